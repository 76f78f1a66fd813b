package io.github.rlvrdiagnostics.djl;

import ai.djl.training.listener.TrainingListener;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A DJL {@link TrainingListener} that says, during supervised fine-tuning, which checkpoint to
 * start RL from: attach it to any DJL {@code Trainer} (through
 * {@code DefaultTrainingConfig.addTrainingListeners}), and every {@code everySteps} training
 * steps and at each epoch end it probes the model as it is:
 * <ul>
 *   <li>the generation-start entropy, mean over held-out probe prompts, by
 *       {@link DjlPromptEntropyProbe} (Stage 1 of <i>SFT Overtraining Predicts Rank Inversion via
 *       Entropy Collapse Under RLVR</i>);
 *   <li>{@code n} completions per probe prompt from a {@link CompletionSampler}, scored by a
 *       {@link Verifier}, giving the unbiased pass@1 and the signal profile at the planned group
 *       size G: predicted degenerate fraction, its all-pass and all-fail parts, and the sampling
 *       cost under dynamic sampling.
 * </ul>
 * Each probe point becomes a checkpoint of a ladder built as SFT proceeds; {@link #recommendation()}
 * judges it with the checkpoint diagnostic that {@code rlvr-diag triage} applies (the signal
 * rule's pick, the Stage 1 pick beside it), every threshold taken from the {@link TriageConfig}.
 * Optionally the ladder file {@code triage --ladder} reads is rewritten after each probe point
 * ({@link Builder#ladderFile}), the model is saved at each point ({@link Builder#saveTo}), and
 * each point's entropy and predicted degenerate fraction are added to the trainer's
 * {@code Metrics} when it has one ({@value #ENTROPY_METRIC}, {@value #DEGENERATE_METRIC}).
 *
 * <p>Epochs and steps are counted by the listener itself, across trainers: a loop that opens a
 * new {@code Trainer} per epoch and attaches the same advisor numbers them on. A probe runs the
 * model in inference mode and draws from the sampler's own random numbers, so it changes neither
 * the weights nor the training's random stream. The listener holds no native memory. Not
 * thread-safe: one training loop at a time.
 */
public interface SftStopAdvisor extends TrainingListener {
  /** The metric name of each probe point's generation-start entropy in the trainer's {@code Metrics}. */
  String ENTROPY_METRIC = "sft_probe_entropy";

  /** The metric name of each probe point's predicted degenerate fraction at G in the trainer's {@code Metrics}. */
  String DEGENERATE_METRIC = "sft_probe_predicted_degenerate_fraction";

  /** The probe points so far, in order. */
  List<SftProbe> probes();

  /** The probe points so far as a checkpoint ladder (each with its signal profile). */
  List<Checkpoint> ladder();

  /** The recommendation from the probe points so far; empty before the first. */
  Optional<SftRecommendation> recommendation();

  /**
   * Probes the model now, outside the trainer's callbacks (for a training loop that does not
   * notify listeners), as the end of the epoch the advisor is counting.
   *
   * @return the new probe point
   */
  SftProbe probeNow(ai.djl.Model model);

  /**
   * A builder of an advisor.
   *
   * @param probePrompts held-out prompts, at least one, each non-empty (40 in the paper)
   * @param verifier scores each sampled completion; it must return 0 or 1
   * @param sampler draws the completions of each probe prompt
   * @throws IllegalArgumentException on no prompts or an empty prompt
   */
  static Builder builder(List<int[]> probePrompts, Verifier verifier, CompletionSampler sampler) {
    return new Builder(probePrompts, verifier, sampler);
  }

  /** The settings of an {@link SftStopAdvisor}; each setter validates at once. */
  final class Builder {
    final List<int[]> prompts;
    final Verifier verifier;
    final CompletionSampler sampler;
    TriageConfig triage = TriageConfig.DEFAULT;
    SamplingConfig sampling = SamplingConfig.ofTemperature(1.0);
    @Nullable Integer samplesPerPrompt;
    int everySteps;
    int everyEpochs = 1;
    @Nullable TreeSet<Integer> epochs;
    @Nullable Path ladderFile;
    @Nullable Path saveTo;
    long seed;
    String source = "rlvr-diagnostics SftStopAdvisor: probe points of one SFT run";

    private Builder(List<int[]> probePrompts, Verifier verifier, CompletionSampler sampler) {
      if (probePrompts.isEmpty()) {
        throw new IllegalArgumentException("probePrompts must hold at least one prompt, was empty");
      }
      List<int[]> copy = new ArrayList<>();
      for (int i = 0; i < probePrompts.size(); i++) {
        if (probePrompts.get(i).length == 0) {
          throw new IllegalArgumentException("probePrompts[" + i + "] must hold at least one token, was empty");
        }
        copy.add(probePrompts.get(i).clone());
      }
      this.prompts = List.copyOf(copy);
      this.verifier = verifier;
      this.sampler = sampler;
    }

    /** The rules and the planned group size G ({@link TriageConfig#DEFAULT}: G = 8 unless changed). */
    public Builder triage(TriageConfig config) {
      this.triage = config;
      return this;
    }

    /** The rollout temperature and truncation of the entropy probe (default T = 1, untruncated). */
    public Builder sampling(SamplingConfig config) {
      this.sampling = config;
      return this;
    }

    /**
     * Completions drawn per probe prompt, {@code n ≥ G} (an unbiased estimate at G needs G
     * samples); default {@code max(16, G)}.
     */
    public Builder samplesPerPrompt(int n) {
      this.samplesPerPrompt = Checks.atLeast("samplesPerPrompt", n, 1);
      return this;
    }

    /** Also probe every {@code steps} training steps (batches); 0, the default, probes at epoch ends only. */
    public Builder everySteps(int steps) {
      this.everySteps = Checks.atLeast("everySteps", steps, 0);
      return this;
    }

    /** Probe at the end of every {@code epochs}-th epoch (default 1: every epoch). */
    public Builder everyEpochs(int epochs) {
      this.everyEpochs = Checks.atLeast("everyEpochs", epochs, 1);
      this.epochs = null;
      return this;
    }

    /**
     * Probe at the end of exactly these epochs (counted from 1), instead of every
     * {@code everyEpochs}-th: the depths of a ladder planned in advance.
     *
     * @throws IllegalArgumentException on no epochs or an epoch below 1
     */
    public Builder atEpochs(int... epochs) {
      if (epochs.length == 0) {
        throw new IllegalArgumentException("epochs must hold at least one epoch, was empty");
      }
      TreeSet<Integer> set = new TreeSet<>();
      for (int e : epochs) {
        set.add(Checks.atLeast("epochs[]", e, 1));
      }
      this.epochs = set;
      return this;
    }

    /** Rewrite this ladder file (the format {@code triage --ladder} reads) after every probe point. */
    public Builder ladderFile(Path file) {
      this.ladderFile = file;
      return this;
    }

    /** Save the model at every probe point, to {@code directory/<probe name>/} ({@code Model.save}). */
    public Builder saveTo(Path directory) {
      this.saveTo = directory;
      return this;
    }

    /** The seed the ladder's checkpoints carry (default 0): the SFT run's seed, for ladders of several runs. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The ladder file's {@code "_source"} note. */
    public Builder source(String note) {
      this.source = note;
      return this;
    }

    /**
     * The advisor.
     *
     * @throws IllegalArgumentException when {@code samplesPerPrompt} is below the group size
     */
    public SftStopAdvisor build() {
      int n = samplesPerPrompt == null ? Math.max(16, triage.groupSize()) : samplesPerPrompt;
      if (!(n >= triage.groupSize())) {
        throw new IllegalArgumentException("samplesPerPrompt must be >= groupSize = " + triage.groupSize()
            + " (an unbiased estimate at G needs G samples), was " + n);
      }
      return new SftStopListener(this, n);
    }

    @Override
    public String toString() {
      return "SftStopAdvisor.Builder{prompts=" + prompts.size() + ", triage=" + triage + ", everySteps=" + everySteps
          + ", epochs=" + (epochs == null ? "every " + everyEpochs : Arrays.toString(epochs.toArray())) + "}";
    }
  }
}
