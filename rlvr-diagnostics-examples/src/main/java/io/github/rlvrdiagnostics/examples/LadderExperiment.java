package io.github.rlvrdiagnostics.examples;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.listener.TrainingListener;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DatasetPassAtK;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import io.github.rlvrdiagnostics.djl.DjlPromptEntropyProbe;
import io.github.rlvrdiagnostics.djl.GrpoConfig;
import io.github.rlvrdiagnostics.djl.GrpoStepMetrics;
import io.github.rlvrdiagnostics.djl.GrpoTrainer;
import io.github.rlvrdiagnostics.djl.SftTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;

/**
 * The SFT-ladder experiment of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse
 * Under RLVR</i> on the built-in {@link DigitSumTask}: train SFT checkpoints of several depths and
 * seeds on canonical demonstrations, probe each before RL, run GRPO from each with the Stage 2
 * monitor, and record the GRPO outcome, so that the selection rules can be compared on a task we
 * control.
 *
 * <p><b>Design.</b> SFT sees two-digit problems and three-digit problems with targets 0–13, each
 * with the teacher's single canonical answer. GRPO trains on three-digit problems with every
 * target 0–27 (harder: half the targets were never demonstrated). Every pre-RL quantity is
 * estimated as a user would: {@code n} completions are sampled per probe prompt and counted, and
 * pass@1, pass@k and the signal profile at G (predicted degenerate fraction and its all-pass and
 * all-fail parts) come from those counts through the unbiased estimators. The exact per-prompt
 * pass rates from {@link DigitSumTask#answerDistribution} are kept only as a check column
 * ({@code predictedDegenerateFractionExact}). The generation-start entropy is the mean over the
 * probe prompts (docs/MATH.md §3), the worst-token probe the minimum over five health-check
 * prompts, read every {@code probeEvery} GRPO steps. The outcome is the peak pass@k over periodic
 * evaluations on held-out prompts (exact). Everything is seeded, and no global random state is
 * touched: initial weights come from {@link CausalWindowPolicy#initialize}.
 */
public final class LadderExperiment {
  private LadderExperiment() {}

  /**
   * The early-GRPO window, in steps, whose prompts are also sampled before RL, so that the
   * prediction from samples can be compared with what GRPO then observes on the same prompts.
   */
  public static final int EARLY_STEPS = 10;

  /** The experiment's sizes; {@link #defaults()} and {@link #quick()} are the two the CLI runs. */
  public record Settings(int[] depths, long[] seeds, int sftPrompts, int grpoSteps, int groupSize, int promptsPerStep,
      int probePrompts, int evalPrompts, int evalEvery, int probeEvery, int samplesPerPrompt, int k, double sftLearningRate,
      double grpoLearningRate, int hidden) {
    /** Validates the sizes. */
    public Settings {
      if (depths.length == 0 || seeds.length == 0) {
        throw new IllegalArgumentException("depths and seeds must not be empty, were " + depths.length + " and " + seeds.length);
      }
      for (int d : depths) {
        Checks.atLeast("depth", d, 0);
      }
      Checks.atLeast("sftPrompts", sftPrompts, 2);
      Checks.atLeast("grpoSteps", grpoSteps, 2);
      Checks.groupSize(groupSize);
      Checks.atLeast("promptsPerStep", promptsPerStep, 1);
      Checks.atLeast("probePrompts", probePrompts, 1);
      Checks.atLeast("evalPrompts", evalPrompts, 1);
      Checks.atLeast("evalEvery", evalEvery, 1);
      Checks.atLeast("probeEvery", probeEvery, 1);
      Checks.atLeast("samplesPerPrompt", samplesPerPrompt, Math.max(k, groupSize));
      Checks.atLeast("k", k, 1);
      Checks.positive("sftLearningRate", sftLearningRate);
      Checks.positive("grpoLearningRate", grpoLearningRate);
      Checks.atLeast("hidden", hidden, 1);
      depths = depths.clone();
      seeds = seeds.clone();
    }

    /**
     * The README's default run: six depths from very shallow (1 epoch) to very deep (48) × eight
     * seeds, 120 GRPO steps at G = 8. The sizes were fixed before the selection rules were
     * compared; the seeds went from five to eight, decided before the stop rules and the regret
     * intervals were first computed, so that the intervals rest on more than five pairs.
     */
    public static Settings defaults() {
      return new Settings(new int[] {1, 2, 4, 8, 16, 48}, new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 160, 120, 8, 8, 40, 40, 10, 10, 16, 8,
          0.01, 0.01, 64);
    }

    @Override
    public int[] depths() {
      return depths.clone();
    }

    @Override
    public long[] seeds() {
      return seeds.clone();
    }

    /**
     * These settings with as many seeds, numbered from {@code first} on: the same experiment on
     * seeds it has not run (a held-out test of a rule decided on others).
     */
    public Settings withFirstSeed(long first) {
      Checks.atLeast("first", first, 1L);
      long last = Long.MAX_VALUE - (seeds.length - 1);
      if (first > last) {
        throw new IllegalArgumentException("first must be <= " + last + " (" + seeds.length + " seeds), was " + first);
      }
      long[] renumbered = new long[seeds.length];
      for (int i = 0; i < renumbered.length; i++) {
        renumbered[i] = first + i;
      }
      return new Settings(depths, renumbered, sftPrompts, grpoSteps, groupSize, promptsPerStep, probePrompts, evalPrompts,
          evalEvery, probeEvery, samplesPerPrompt, k, sftLearningRate, grpoLearningRate, hidden);
    }

    /** A run of well under a minute for tests. */
    public static Settings quick() {
      return new Settings(new int[] {1, 2, 4, 8}, new long[] {1, 2, 3}, 64, 16, 4, 4, 12, 12, 8, 4, 8, 4, 0.01, 0.01, 32);
    }

    /**
     * The Stage 2 schedule scaled to this run: reference at 1/40, check at 3/8 of the steps (the
     * paper's 10 and 150 of 400), and the signal rules at this run's group size.
     */
    public TriageConfig triage() {
      long reference = Math.max(1, Math.round(grpoSteps / 40.0));
      long check = Math.max(reference + 1, Math.round(grpoSteps * 3 / 8.0));
      return TriageConfig.DEFAULT.withSteps(reference, check, grpoSteps).withGroupSize(groupSize);
    }
  }

  /**
   * One checkpoint's measurements.
   *
   * @param depth SFT epochs
   * @param seed training seed
   * @param entropy generation-start entropy before RL (nats)
   * @param passAt1 unbiased pass@1 estimate before RL
   * @param passAtK unbiased pass@k estimate before RL
   * @param samples the pre-RL counts: {@code n} completions per probe prompt and how many passed
   * @param signal the signal profile at G estimated from {@code samples}
   * @param predictedDegenerateFractionExact {@code mean_j P_deg(p_j, G)} with the exact per-prompt
   *     pass rates: a check on the estimate, which no user has
   * @param entropyTrace worst-token entropy during GRPO
   * @param evalSteps the GRPO steps of the evaluations (0 = before RL)
   * @param passAtKCurve exact pass@k on held-out prompts at each evaluation
   * @param observedDegenerate observed degenerate fraction per GRPO step
   * @param predictedDegenerate predicted degenerate fraction per GRPO step (exact per-prompt rates)
   * @param preRlPredictedDegenerate per GRPO step, the fraction predicted from pre-RL samples of
   *     that step's own prompts ({@code n} per prompt, as for the probe set); NaN after the first
   *     {@link #EARLY_STEPS} steps
   * @param reward the mean reward of each GRPO step's rollouts (what a training log records)
   * @param rolloutEntropy the mean token entropy of each GRPO step's rollouts
   */
  public record CheckpointResult(int depth, long seed, double entropy, double passAt1, double passAtK,
      List<ProblemSamples> samples, SignalProfile signal, double predictedDegenerateFractionExact,
      List<EntropyPoint> entropyTrace, int[] evalSteps, double[] passAtKCurve,
      double[] observedDegenerate, double[] predictedDegenerate, double[] preRlPredictedDegenerate,
      double[] reward, double[] rolloutEntropy) {

    /** Copies the lists and arrays. */
    public CheckpointResult {
      samples = List.copyOf(samples);
      entropyTrace = List.copyOf(entropyTrace);
      evalSteps = evalSteps.clone();
      passAtKCurve = passAtKCurve.clone();
      observedDegenerate = observedDegenerate.clone();
      predictedDegenerate = predictedDegenerate.clone();
      preRlPredictedDegenerate = preRlPredictedDegenerate.clone();
      reward = reward.clone();
      rolloutEntropy = rolloutEntropy.clone();
    }

    @Override
    public double[] reward() {
      return reward.clone();
    }

    @Override
    public double[] rolloutEntropy() {
      return rolloutEntropy.clone();
    }

    /** The fraction predicted from pre-RL samples of the GRPO prompts, averaged over the first {@code steps} steps. */
    public double earlyPreRlPredicted(int steps) {
      return Arrays.stream(preRlPredictedDegenerate, 0, Math.min(steps, preRlPredictedDegenerate.length))
          .average().orElse(Double.NaN);
    }

    /** The predicted degenerate fraction at G, estimated from the pre-RL samples. */
    public double predictedDegenerateFraction() {
      return signal.predictedDegenerateFraction();
    }

    /** The observed degenerate fraction averaged over the first {@code steps} GRPO steps. */
    public double earlyObservedDegenerate(int steps) {
      return Arrays.stream(observedDegenerate, 0, Math.min(steps, observedDegenerate.length)).average().orElse(Double.NaN);
    }

    /** The peak of the pass@k curve: the GRPO outcome. */
    public double peakPassAtK() {
      double peak = 0;
      for (double v : passAtKCurve) {
        peak = Math.max(peak, v);
      }
      return peak;
    }

    /** The name of this checkpoint in the diagnostic: its depth. */
    public String checkpointName() {
      return String.valueOf(depth);
    }

    /** The checkpoint as the diagnostic's input. */
    public Checkpoint checkpoint(int k) {
      return Checkpoint.of(checkpointName(), seed, entropy, passAt1).withPassAtK(k, passAtK)
          .withEntropyTrace(entropyTrace).withOutcome(peakPassAtK()).withSignal(signal);
    }
  }

  /**
   * Runs the whole ladder; {@code progress} is told each finished unit of work (an SFT epoch or a
   * GRPO step), out of {@link #workUnits}.
   */
  public static List<CheckpointResult> run(Settings s, IntConsumer progress) {
    return run(s, progress, seed -> List.of());
  }

  /**
   * {@link #run(Settings, IntConsumer)} with DJL training listeners on each seed's deepest SFT run
   * ({@code sftListeners} is asked once per seed), told of every epoch's end: that run passes
   * through every shallower depth of the seed (same start, data and order), so a listener sees
   * each checkpoint of the ladder as it forms.
   */
  public static List<CheckpointResult> run(Settings s, IntConsumer progress,
      LongFunction<List<TrainingListener>> sftListeners) {
    List<CheckpointResult> results = new ArrayList<>();
    int deepest = Arrays.stream(s.depths()).max().orElseThrow();
    for (long seed : s.seeds()) {
      boolean attached = false;
      for (int depth : s.depths()) {
        List<TrainingListener> listeners = depth == deepest && !attached ? sftListeners.apply(seed) : List.of();
        attached |= depth == deepest;
        results.add(runOne(s, depth, seed, progress, listeners));
      }
    }
    return results;
  }

  /** The number of progress units {@link #run} reports. */
  public static long workUnits(Settings s) {
    long sft = 0;
    for (int d : s.depths()) {
      sft += d;
    }
    return s.seeds().length * (sft + (long) s.depths().length * s.grpoSteps());
  }

  private static List<int[]> sftPrompts(int count, long seed) {
    List<int[]> prompts = new ArrayList<>();
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      prompts.add(i % 2 == 0 ? DigitSumTask.prompt(2, random.nextInt(19)) : DigitSumTask.prompt(3, random.nextInt(14)));
    }
    return prompts;
  }

  /** Three-digit prompts over every target, seeded (GRPO, probe and evaluation sets use different seeds). */
  private static List<int[]> hardPrompts(int count, long seed) {
    return DigitSumTask.prompts(3, count, seed);
  }

  private static CheckpointResult runOne(Settings s, int depth, long seed, IntConsumer progress,
      List<TrainingListener> listeners) {
    try (Model model = Model.newInstance("ladder-" + depth + "-" + seed)) {
      model.setBlock(CausalWindowPolicy.create(DigitSumTask.VOCAB, 6, s.hidden()));
      // The same initial weights for every depth of one seed: only the SFT depth differs.
      CausalWindowPolicy.initialize(model.getBlock(), model.getNDManager(), 3, seed);
      // SFT: the same data and order for every depth of one seed, one epoch at a time.
      List<int[]> sft = sftPrompts(s.sftPrompts(), 7000 + seed);
      for (int e = 0; e < depth; e++) {
        // SftTrainer needs one answer length per call: two- and three-digit problems train separately.
        SftTrainer.train(model, filter(sft, 2), DigitSumTask::canonical, 1, 16, s.sftLearningRate(), seed * 1000 + e);
        // Listeners ride on the epoch's second half, which ends it: one onEpoch per epoch.
        SftTrainer.train(model, filter(sft, 3), DigitSumTask::canonical, 1, 16, s.sftLearningRate(), seed * 1000 + e + 500,
            listeners);
        progress.accept(1);
      }
      SamplingConfig sampling = SamplingConfig.ofTemperature(1.0);
      List<int[]> probe = hardPrompts(s.probePrompts(), 8000 + seed);
      List<int[]> eval = hardPrompts(s.evalPrompts(), 9000 + seed);
      List<int[]> health = probe.subList(0, Math.min(5, probe.size()));
      double entropy = DjlPromptEntropyProbe.of(model, sampling).aggregate(probe, Aggregation.MEAN);
      Random sampler = new Random(seed * 31 + depth);
      List<ProblemSamples> samples = new ArrayList<>();
      double predictedExact = 0;
      for (int j = 0; j < probe.size(); j++) {
        int[] p = probe.get(j);
        double[] distribution = DigitSumTask.answerDistribution(model.getBlock(), model.getNDManager(), p, 1.0);
        samples.add(ProblemSamples.of("probe-" + j, s.samplesPerPrompt(), sampleCorrect(distribution, p, s.samplesPerPrompt(), sampler)));
        predictedExact += RlvrDiagnostics.degenerateThreshold().degenerateProbability(
            DigitSumTask.passRate(distribution, p), s.groupSize()) / probe.size();
      }
      DatasetPassAtK estimates = RlvrDiagnostics.passAtK().aggregate(samples, new int[] {1, s.k()}, 0);
      SignalProfile signal = SignalProfiles.of(samples, s.groupSize());
      // GRPO from this checkpoint.
      List<int[]> grpoPrompts = hardPrompts(s.grpoSteps() * s.promptsPerStep(), 10_000 + seed);
      // The early steps' own prompts, sampled before RL as the probe set was (own seed, so the
      // probe counts above do not change).
      Map<List<Integer>, ProblemSamples> early = new HashMap<>();
      Random earlySampler = new Random(seed * 131 + depth);
      for (int i = 0; i < Math.min(grpoPrompts.size(), EARLY_STEPS * s.promptsPerStep()); i++) {
        int[] p = grpoPrompts.get(i);
        double[] distribution = DigitSumTask.answerDistribution(model.getBlock(), model.getNDManager(), p, 1.0);
        early.putIfAbsent(tokens(p), ProblemSamples.of(s.samplesPerPrompt(), sampleCorrect(distribution, p, s.samplesPerPrompt(), earlySampler)));
      }
      GrpoConfig config = GrpoConfig.builder().groupSize(s.groupSize()).promptsPerStep(s.promptsPerStep()).maxNewTokens(3)
          .learningRate(s.grpoLearningRate()).plannedSteps(s.grpoSteps()).seed(seed * 101 + depth).build();
      List<EntropyPoint> trace = new ArrayList<>();
      List<Integer> evalSteps = new ArrayList<>();
      List<Double> curve = new ArrayList<>();
      double[] observed = new double[s.grpoSteps()];
      double[] predictedSeries = new double[s.grpoSteps()];
      double[] preRlSeries = new double[s.grpoSteps()];
      double[] rewardSeries = new double[s.grpoSteps()];
      double[] entropySeries = new double[s.grpoSteps()];
      evalSteps.add(0);
      curve.add(exactPassAtK(model, eval, s.k()));
      try (GrpoTrainer trainer = GrpoTrainer.builder(model, config, DigitSumTask.VERIFIER, index -> grpoPrompts.get((int) index))
          .passRates(p -> DigitSumTask.passRate(model.getBlock(), model.getNDManager(), p, 1.0))
          .preRlSamples(p -> Optional.ofNullable(early.get(tokens(p)))).build()) {
        for (int step = 1; step <= s.grpoSteps(); step++) {
          GrpoStepMetrics m = trainer.step();
          observed[step - 1] = m.degenerateFraction();
          rewardSeries[step - 1] = m.reward();
          entropySeries[step - 1] = m.entropy();
          predictedSeries[step - 1] = m.predictedDegenerateFraction().orElse(Double.NaN);
          preRlSeries[step - 1] = step <= EARLY_STEPS ? m.preRlPredictedDegenerateFraction().orElse(Double.NaN) : Double.NaN;
          if (step == 1 || step % s.probeEvery() == 0 || step == s.triage().checkStep()) {
            trace.add(EntropyPoint.of(step, DjlPromptEntropyProbe.of(model, sampling).aggregate(health, Aggregation.MIN)));
          }
          if (step % s.evalEvery() == 0 || step == s.grpoSteps()) {
            evalSteps.add(step);
            curve.add(exactPassAtK(model, eval, s.k()));
          }
          progress.accept(1);
        }
      }
      return new CheckpointResult(depth, seed, entropy, estimates.passAtK().get(1), estimates.passAtK().get(s.k()),
          samples, signal, predictedExact, trace,
          evalSteps.stream().mapToInt(Integer::intValue).toArray(), curve.stream().mapToDouble(Double::doubleValue).toArray(),
          observed, predictedSeries, preRlSeries, rewardSeries, entropySeries);
    }
  }

  private static List<Integer> tokens(int[] prompt) {
    return Arrays.stream(prompt).boxed().toList();
  }

  private static List<int[]> filter(List<int[]> prompts, int k) {
    return prompts.stream().filter(p -> DigitSumTask.digits(p) == k).toList();
  }

  /** How many of {@code n} completions sampled from the answer distribution pass. */
  private static int sampleCorrect(double[] distribution, int[] prompt, int n, Random random) {
    int k = DigitSumTask.digits(prompt);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      double acc = 0;
      int chosen = -1; // −1: an answer with a marker token, which fails
      for (int a = 0; a < distribution.length; a++) {
        acc += distribution[a];
        if (u < acc) {
          chosen = a;
          break;
        }
      }
      if (chosen >= 0 && DigitSumTask.digitSum(chosen, k) == DigitSumTask.target(prompt)) {
        correct++;
      }
    }
    return correct;
  }

  /** Exact population pass@k, {@code mean_j 1 − (1 − p_j)^k}, on held-out prompts. */
  private static double exactPassAtK(Model model, List<int[]> prompts, int k) {
    double sum = 0;
    for (int[] p : prompts) {
      sum += RlvrDiagnostics.passAtK().population(DigitSumTask.passRate(model.getBlock(), model.getNDManager(), p, 1.0), k);
    }
    return sum / prompts.size();
  }
}
