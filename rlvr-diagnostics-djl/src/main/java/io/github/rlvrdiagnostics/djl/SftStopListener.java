package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.training.Trainer;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The {@link SftStopAdvisor} of {@link SftStopAdvisor#builder}. */
final class SftStopListener implements SftStopAdvisor {
  private final List<int[]> prompts;
  private final Verifier verifier;
  private final CompletionSampler sampler;
  private final TriageConfig triage;
  private final SamplingConfig sampling;
  private final int samplesPerPrompt;
  private final int everySteps;
  private final int everyEpochs;
  private final @Nullable Set<Integer> epochSet;
  private final @Nullable Path ladderFile;
  private final @Nullable Path saveTo;
  private final long seed;
  private final String source;

  private final List<SftProbe> probes = new ArrayList<>();
  private int epochs;
  private long steps;

  SftStopListener(SftStopAdvisor.Builder b, int samplesPerPrompt) {
    this.prompts = b.prompts;
    this.verifier = b.verifier;
    this.sampler = b.sampler;
    this.triage = b.triage;
    this.sampling = b.sampling;
    this.samplesPerPrompt = samplesPerPrompt;
    this.everySteps = b.everySteps;
    this.everyEpochs = b.everyEpochs;
    this.epochSet = b.epochs == null ? null : Set.copyOf(b.epochs);
    this.ladderFile = b.ladderFile;
    this.saveTo = b.saveTo;
    this.seed = b.seed;
    this.source = b.source;
  }

  @Override
  public void onTrainingBatch(Trainer trainer, BatchData batchData) {
    steps++;
    if (everySteps > 0 && steps % everySteps == 0) {
      record(trainer, probe(trainer.getModel(), "step-" + steps));
    }
  }

  @Override
  public void onEpoch(Trainer trainer) {
    epochs++;
    boolean due = epochSet == null ? epochs % everyEpochs == 0 : epochSet.contains(epochs);
    if (!due) {
      return;
    }
    SftProbe last = probes.isEmpty() ? null : probes.get(probes.size() - 1);
    if (last != null && last.steps() == steps) {
      // A step probe on the epoch's last batch measured this very model: it becomes the epoch's point.
      probes.set(probes.size() - 1, new SftProbe(epochName(), epochs, last.steps(), last.entropy(),
          last.passAt1(), last.signal(), last.samples(), last.savedTo()));
      writeLadder();
      return;
    }
    record(trainer, probe(trainer.getModel(), epochName()));
  }

  private String epochName() {
    return "epoch-" + epochs;
  }

  @Override
  public void onValidationBatch(Trainer trainer, BatchData batchData) {
    // Validation batches are not training steps.
  }

  @Override
  public void onTrainingBegin(Trainer trainer) {
    // Counts run on across trainers: a loop may open one trainer per epoch.
  }

  @Override
  public void onTrainingEnd(Trainer trainer) {
    // The ladder file is already current: it is rewritten after every probe point.
  }

  @Override
  public SftProbe probeNow(Model model) {
    epochs++;
    SftProbe probe = probe(model, epochName());
    probes.add(probe);
    writeLadder();
    return probe;
  }

  private void record(Trainer trainer, SftProbe probe) {
    probes.add(probe);
    Metrics metrics = trainer.getMetrics();
    if (metrics != null) {
      metrics.addMetric(ENTROPY_METRIC, probe.entropy());
      metrics.addMetric(DEGENERATE_METRIC, probe.signal().predictedDegenerateFraction());
    }
    writeLadder();
  }

  /** Measures the model as it is now; the epoch count is the completed epochs. */
  private SftProbe probe(Model model, String name) {
    double entropy = DjlPromptEntropyProbe.of(model, sampling).aggregate(prompts, Aggregation.MEAN);
    List<ProblemSamples> samples = new ArrayList<>();
    for (int j = 0; j < prompts.size(); j++) {
      int[] prompt = prompts.get(j);
      int[][] completions = sampler.sample(model, prompt.clone(), samplesPerPrompt);
      if (completions.length != samplesPerPrompt) {
        throw new IllegalStateException("sampler must return samplesPerPrompt = " + samplesPerPrompt
            + " completions, returned " + completions.length + " for probe prompt " + j);
      }
      int passed = 0;
      for (int[] completion : completions) {
        double reward = verifier.reward(prompt.clone(), completion);
        if (reward == 1.0) {
          passed++;
        } else if (reward != 0.0) {
          throw new IllegalArgumentException("verifier must return 0 or 1 for the signal profile, returned "
              + reward + " for probe prompt " + j);
        }
      }
      samples.add(ProblemSamples.of("probe-" + j, samplesPerPrompt, passed));
    }
    SignalProfile signal = SignalProfiles.of(samples, triage.groupSize());
    Optional<Path> saved = Optional.empty();
    if (saveTo != null) {
      Path directory = saveTo.resolve(name);
      try {
        Files.createDirectories(directory);
        model.save(directory, model.getName());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + directory, e);
      }
      saved = Optional.of(directory);
    }
    return new SftProbe(name, epochs, steps, entropy, signal.meanPassRate(), signal, samples, saved);
  }

  private void writeLadder() {
    if (ladderFile != null) {
      List<LadderFile.Rung> rungs = new ArrayList<>();
      for (SftProbe p : probes) {
        rungs.add(new LadderFile.Rung(p.checkpoint(seed), p.samples()));
      }
      LadderFile.write(ladderFile, source, rungs);
    }
  }

  @Override
  public List<SftProbe> probes() {
    return List.copyOf(probes);
  }

  @Override
  public List<Checkpoint> ladder() {
    return probes.stream().map(p -> p.checkpoint(seed)).toList();
  }

  @Override
  public Optional<SftRecommendation> recommendation() {
    if (probes.isEmpty()) {
      return Optional.empty();
    }
    LadderReport report = Ladders.analyze(ladder(), triage);
    // Every point has a signal profile, so the signal rule always picks.
    SftProbe signal = byName(report.signalPick().orElseThrow());
    return Optional.of(new SftRecommendation(signal, report.triagePick().map(this::byName), report));
  }

  private SftProbe byName(String name) {
    return probes.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Override
  public String toString() {
    return "SftStopAdvisor{probes=" + probes.size() + ", epochs=" + epochs + ", steps=" + steps + "}";
  }
}
