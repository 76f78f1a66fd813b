package io.github.rlvrdiagnostics.examples;

import ai.djl.training.listener.TrainingListener;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.djl.CompletionSampler;
import io.github.rlvrdiagnostics.djl.SftProbe;
import io.github.rlvrdiagnostics.djl.SftRecommendation;
import io.github.rlvrdiagnostics.djl.SftStopAdvisor;
import io.github.rlvrdiagnostics.examples.LadderExperiment.CheckpointResult;
import io.github.rlvrdiagnostics.examples.LadderExperiment.Settings;
import io.github.rlvrdiagnostics.cli.Output;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SFT stop advisor in the ladder experiment: an {@link SftStopAdvisor} rides on each seed's
 * deepest SFT run ({@link LadderExperiment#run(Settings, java.util.function.IntConsumer,
 * java.util.function.LongFunction)}), probing at the end of every depth of the ladder the
 * generation-start entropy and {@code samplesPerPrompt} sampled completions of each probe prompt
 * (token by token from the model, scored by the task's verifier), and recommends the depth to
 * start RL from by the signal rule, with the Stage 1 pick beside it. The GRPO outcomes of the
 * ladder then say what the recommendation cost: its regret, the seed's best outcome minus the
 * recommended depth's.
 *
 * <p>The advisor reads the model and draws from its own seeded random numbers, so the ladder's
 * checkpoints and outcomes are the same with it as without it.
 */
public final class SftAdvice {
  /**
   * One seed's advice and what it cost.
   *
   * @param seed the training seed
   * @param recommendedEpochs the depth the advisor recommends (signal rule)
   * @param stage1Epochs the depth of the Stage 1 pick; empty when every depth was flagged
   * @param outcome the recommended depth's GRPO outcome
   * @param bestEpochs the depth with the seed's best outcome
   * @param regret the seed's best outcome minus {@code outcome}
   */
  public record Seed(long seed, int recommendedEpochs, Optional<Integer> stage1Epochs, double outcome, int bestEpochs,
      double regret) {}

  private final List<Seed> perSeed;
  private final int[] probedDepths;

  private SftAdvice(List<Seed> perSeed, int[] probedDepths) {
    this.perSeed = List.copyOf(perSeed);
    this.probedDepths = probedDepths.clone();
  }

  /** Each seed's advice, in seed order; empty when the ladder has no depth of at least one epoch. */
  public List<Seed> perSeed() {
    return perSeed;
  }

  /** The advice for one seed, as {@code demo --json}'s {@code sftAdvice}; empty for a seed without. */
  public Optional<ObjectNode> json(long seed) {
    return perSeed.stream().filter(a -> a.seed() == seed).findFirst().map(a -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("recommendedEpochs", a.recommendedEpochs());
      o.put("regret", a.regret());
      if (a.stage1Epochs().isPresent()) {
        o.put("stage1Epochs", a.stage1Epochs().get());
      } else {
        o.putNull("stage1Epochs");
      }
      o.put("outcome", a.outcome());
      o.put("bestEpochs", a.bestEpochs());
      return o;
    });
  }

  /** The depths the advisors probed (the ladder's depths of at least one epoch). */
  public int[] probedDepths() {
    return probedDepths.clone();
  }

  /**
   * The advice as {@code demo} prints it: the recommended depth per seed, its outcome and regret,
   * and the Stage 1 pick beside it. Prints nothing when there is no advice.
   */
  public void print(PrintWriter out) {
    if (perSeed.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "SFT stop advisor (a DJL TrainingListener on each seed's deepest SFT run, probing at epochs %s): "
        + "the depth to start RL from by the signal rule, its outcome and regret against the seed's best depth.%n",
        Arrays.toString(probedDepths));
    Output.Table table = new Output.Table("seed", "recommended depth", "outcome", "regret", "Stage 1 pick", "best depth");
    for (Seed a : perSeed) {
      table.row(a.seed(), a.recommendedEpochs(), a.outcome(), a.regret(),
          a.stage1Epochs().map(String::valueOf).orElse("none"), a.bestEpochs());
    }
    table.print(out);
    out.printf(Locale.ROOT, "mean regret of the advisor: %s%n", Output.number(meanRegret()));
  }

  /** The mean regret over seeds; NaN without advice. */
  public double meanRegret() {
    return perSeed.stream().mapToDouble(Seed::regret).average().orElse(Double.NaN);
  }

  /**
   * Creates the advisors of one experiment, one per seed, and judges them once it has run.
   * Not thread-safe.
   */
  public static final class Advisors {
    private final Settings settings;
    private final int[] depths;
    private final Map<Long, SftStopAdvisor> bySeed = new LinkedHashMap<>();

    private Advisors(Settings settings) {
      this.settings = settings;
      this.depths = Arrays.stream(settings.depths()).filter(d -> d >= 1).distinct().sorted().toArray();
    }

    /** The listeners for one seed's deepest SFT run: its advisor (none when no depth has an epoch). */
    public List<TrainingListener> listeners(long seed) {
      if (depths.length == 0) {
        return List.of();
      }
      // The probe set of the ladder's own pre-RL measurements; completions as GRPO samples them.
      SftStopAdvisor advisor = SftStopAdvisor.builder(DigitSumTask.prompts(3, settings.probePrompts(), 8000 + seed),
              DigitSumTask.VERIFIER, CompletionSampler.autoregressive(SamplingConfig.ofTemperature(1.0), 3, 20_000 + seed))
          .triage(settings.triage()).samplesPerPrompt(settings.samplesPerPrompt()).atEpochs(depths).seed(seed).build();
      bySeed.put(seed, advisor);
      return List.of(advisor);
    }

    /** Each seed's recommendation against the ladder's GRPO outcomes. */
    public SftAdvice judge(List<CheckpointResult> results) {
      List<Seed> perSeed = new ArrayList<>();
      for (Map.Entry<Long, SftStopAdvisor> e : bySeed.entrySet()) {
        long seed = e.getKey();
        SftRecommendation r = e.getValue().recommendation().orElseThrow();
        List<CheckpointResult> ofSeed = results.stream().filter(c -> c.seed() == seed).toList();
        CheckpointResult best = ofSeed.get(0);
        for (CheckpointResult c : ofSeed) {
          if (c.peakPassAtK() > best.peakPassAtK()) {
            best = c;
          }
        }
        double outcome = outcome(ofSeed, r.signalPick());
        perSeed.add(new Seed(seed, r.signalPick().epochs(), r.stage1Pick().map(SftProbe::epochs), outcome, best.depth(),
            best.peakPassAtK() - outcome));
      }
      return new SftAdvice(perSeed, depths);
    }

    private static double outcome(List<CheckpointResult> ofSeed, SftProbe pick) {
      return ofSeed.stream().filter(c -> c.depth() == pick.epochs()).findFirst().orElseThrow().peakPassAtK();
    }
  }

  /** The advisors of one run of the experiment. */
  public static Advisors advisors(Settings settings) {
    return new Advisors(settings);
  }
}
