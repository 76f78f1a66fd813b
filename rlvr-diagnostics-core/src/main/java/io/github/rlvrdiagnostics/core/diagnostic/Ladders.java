package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The checkpoint diagnostic applied to a ladder of SFT checkpoints (docs/MATH.md §4): the entropy
 * rules' Stage 1 and Stage 2 flags of <i>SFT Overtraining Predicts Rank Inversion via Entropy
 * Collapse Under RLVR</i>, this library's signal flag, the standard, triage and signal picks, the
 * compute saved, and, when GRPO outcomes are known, the rank-inversion verdict and predictor
 * correlations. Thresholds are decided by {@link TriageConfig}'s rule methods; this class only
 * gathers the readings they judge. Calibrating the thresholds is {@link LadderCalibration}'s job.
 *
 * <p><b>Rules</b>, stated once:
 * <ul>
 *   <li>Stage 2 reads the trace at the reference and check steps, where "the reading at step
 *       {@code s}" is the latest reading at or before {@code s} (what a monitor knew at that
 *       step); the drop {@code (H_ref − H_check)/H_ref} is unknown when either reading is missing
 *       or {@code H_ref = 0}.
 *   <li>Selection works on checkpoint <em>names</em> (SFT depths), averaging over seeds: the
 *       standard rule picks the highest mean pass@1; triage picks the highest mean pass@1 among
 *       names that neither entropy rule flags on their means (mean entropy, mean known drop),
 *       and picks nothing unless every checkpoint has its pre-RL entropy (released evaluation
 *       data has none: the paper's Stage 1 is then unknown, and only the signal rules judge);
 *       the signal rule picks the highest mean pass@1 among names whose mean predicted
 *       degenerate fraction the signal rule does not flag, falling back to the name with the
 *       lowest mean predicted degenerate fraction when every name is flagged (it needs a signal
 *       profile on every checkpoint). Ties go to the earlier name in input order.
 *   <li>Rank inversion: the standard pick has the lowest mean outcome of all names (and the
 *       outcomes are not all equal); {@link OutcomeAnalysis#standardTiesWorst()} reports a tie
 *       within {@link OutcomeAnalysis#TIE_TOLERANCE}.
 *   <li>Correlations: Spearman's ρ (Commons Math, average ranks for ties), pooled and
 *       seed-demeaned, Kendall's τ-b, R² of a least-squares line, and a two-sided permutation
 *       p-value for the pooled ρ — exact over all {@code n!} orderings for {@code n ≤ 8}, else
 *       from 9,999 random permutations with a fixed seed, {@code (hits + 1)/(9,999 + 1)}. A
 *       predictor that is constant over the ladder, or unknown on some checkpoint, is left out.
 *   <li>A signal-flagged checkpoint carries {@link SignalAdvice}'s side and action.
 * </ul>
 * All methods are static and thread-safe.
 */
public final class Ladders {
  private Ladders() {}

  /** The stability constant ε of the diversity ratio {@code pass@k / (pass@1 + ε)}. */
  public static final double DIVERSITY_EPSILON = 1e-3;

  private static final int PERMUTATIONS = 9_999;
  private static final long PERMUTATION_SEED = 0x5EED_000L;

  /**
   * Applies the diagnostic (entropy rules, signal rule, picks, outcome analysis) to a ladder.
   *
   * @param ladder at least one checkpoint
   * @throws IllegalArgumentException on an empty ladder
   */
  public static LadderReport analyze(List<Checkpoint> ladder, TriageConfig config) {
    if (ladder.isEmpty()) {
      throw new IllegalArgumentException("ladder must hold at least one checkpoint, was empty");
    }
    List<CheckpointVerdict> verdicts = new ArrayList<>();
    int stage2Flagged = 0;
    for (Checkpoint c : ladder) {
      OptionalDouble drop = stage2Drop(c.entropyTrace(), config);
      boolean stage2 = config.stage2Flag(drop);
      stage2Flagged += stage2 ? 1 : 0;
      OptionalDouble diversity = c.passAtK().size() > 1
          ? OptionalDouble.of(diversityRatio(c.passAtK().get(java.util.Collections.max(c.passAtK().keySet())), c.passAt1()))
          : OptionalDouble.empty();
      OptionalDouble predicted = predictedDegenerateFraction(c, config);
      boolean signal = predicted.isPresent() && config.signalStage1Flag(predicted.getAsDouble());
      verdicts.add(new CheckpointVerdict(c.name(), c.seed(), config.stage1Flag(c.entropy()), c.hasEntropy(), drop,
          stage2, diversity, predicted, signal, c.signal().flatMap(p -> SignalAdvice.forProfile(p, config))));
    }
    Map<String, NameStats> names = byName(ladder, config);
    String standard = argMax(names, s -> s.passAt1, s -> true).orElseThrow();
    Optional<String> triage = Optional.empty();
    if (ladder.stream().allMatch(Checkpoint::hasEntropy)) {
      triage = argMax(names, s -> s.passAt1, s -> !config.stage1Flag(s.entropy) && !config.stage2Flag(s.drop));
    }
    Optional<String> signalPick = Optional.empty();
    if (names.values().stream().allMatch(s -> s.predicted.isPresent())) {
      signalPick = argMax(names, s -> s.passAt1, s -> !config.signalStage1Flag(s.predicted.getAsDouble()))
          .or(() -> argMax(names, s -> -s.predicted.getAsDouble(), s -> true));
    }
    double perRun = config.computeSavedFraction();
    double ladderSaved = perRun * stage2Flagged / ladder.size();
    Optional<OutcomeAnalysis> outcomes = Optional.empty();
    if (ladder.stream().allMatch(c -> c.outcome().isPresent())) {
      outcomes = Optional.of(outcomes(ladder, names, standard, triage, signalPick, config));
    }
    return new LadderReport(config, verdicts, standard, triage, signalPick, perRun, ladderSaved, outcomes);
  }

  /**
   * The Stage 2 relative drop {@code (H_ref − H_check)/H_ref} of a worst-token entropy trace
   * (see the class documentation for how readings are chosen); negative when entropy rose.
   *
   * @return the drop, or empty when the trace does not reach both steps or {@code H_ref = 0}
   */
  public static OptionalDouble stage2Drop(List<EntropyPoint> trace, TriageConfig config) {
    OptionalDouble reference = readingAt(trace, config.referenceStep());
    OptionalDouble check = readingAt(trace, config.checkStep());
    if (reference.isEmpty() || check.isEmpty() || !(reference.getAsDouble() > 0.0)
        || lastStep(trace) < config.checkStep()) {
      return OptionalDouble.empty();
    }
    double ref = reference.getAsDouble();
    return OptionalDouble.of((ref - check.getAsDouble()) / ref);
  }

  /**
   * A checkpoint's predicted degenerate fraction at the triage group size, from its signal
   * profile; empty without one.
   *
   * @throws IllegalArgumentException when the profile was estimated at another group size
   */
  static OptionalDouble predictedDegenerateFraction(Checkpoint c, TriageConfig config) {
    if (c.signal().isEmpty()) {
      return OptionalDouble.empty();
    }
    if (c.signal().get().groupSize() != config.groupSize()) {
      throw new IllegalArgumentException("signal of checkpoint '" + c.name() + "' must be estimated at groupSize = "
          + config.groupSize() + ", was " + c.signal().get().groupSize());
    }
    return OptionalDouble.of(c.signal().get().predictedDegenerateFraction());
  }

  private static long lastStep(List<EntropyPoint> trace) {
    return trace.isEmpty() ? -1 : trace.get(trace.size() - 1).step();
  }

  /**
   * The reading a monitor knew at {@code step}: the entropy of the latest point at or before it.
   *
   * @return the entropy, or empty when the trace has no point at or before {@code step}
   */
  public static OptionalDouble readingAt(List<EntropyPoint> trace, long step) {
    OptionalDouble value = OptionalDouble.empty();
    for (EntropyPoint p : trace) {
      if (p.step() <= step) {
        value = OptionalDouble.of(p.entropy());
      }
    }
    return value;
  }

  /**
   * The diversity ratio of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under
   * RLVR</i> in the form we implement, {@code pass@k / (pass@1 + ε)} with
   * {@code ε = 1e-3} (the paper's exact form was lost in extraction).
   *
   * @throws IllegalArgumentException unless both are in [0, 1]
   */
  public static double diversityRatio(double passAtK, double passAt1) {
    Checks.probability("passAtK", passAtK);
    Checks.probability("passAt1", passAt1);
    return passAtK / (passAt1 + DIVERSITY_EPSILON);
  }

  // ---------------------------------------------------------------------------------------------

  private static final class NameStats {
    double passAt1;
    double entropy;
    OptionalDouble drop = OptionalDouble.empty();
    OptionalDouble predicted = OptionalDouble.empty();
    OptionalDouble outcome = OptionalDouble.empty();
  }

  private static Map<String, NameStats> byName(List<Checkpoint> ladder, TriageConfig config) {
    Map<String, List<Checkpoint>> groups = new LinkedHashMap<>();
    for (Checkpoint c : ladder) {
      groups.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c);
    }
    Map<String, NameStats> stats = new LinkedHashMap<>();
    for (Map.Entry<String, List<Checkpoint>> e : groups.entrySet()) {
      NameStats s = new NameStats();
      List<Checkpoint> cs = e.getValue();
      s.passAt1 = cs.stream().mapToDouble(Checkpoint::passAt1).average().orElseThrow();
      s.entropy = cs.stream().mapToDouble(Checkpoint::entropy).average().orElseThrow();
      s.drop = cs.stream().map(c -> stage2Drop(c.entropyTrace(), config)).filter(OptionalDouble::isPresent)
          .mapToDouble(OptionalDouble::getAsDouble).average();
      if (cs.stream().allMatch(c -> c.signal().isPresent())) {
        s.predicted = cs.stream().mapToDouble(c -> predictedDegenerateFraction(c, config).getAsDouble()).average();
      }
      s.outcome = cs.stream().filter(c -> c.outcome().isPresent()).mapToDouble(c -> c.outcome().getAsDouble()).average();
      stats.put(e.getKey(), s);
    }
    return stats;
  }

  private static Optional<String> argMax(Map<String, NameStats> names, ToDoubleFunction<NameStats> key,
      java.util.function.Predicate<NameStats> eligible) {
    String best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, NameStats> e : names.entrySet()) {
      double v = key.applyAsDouble(e.getValue());
      if (eligible.test(e.getValue()) && (best == null || v > bestValue)) {
        best = e.getKey();
        bestValue = v;
      }
    }
    return Optional.ofNullable(best);
  }

  private static OutcomeAnalysis outcomes(List<Checkpoint> ladder, Map<String, NameStats> names,
      String standard, Optional<String> triage, Optional<String> signalPick, TriageConfig config) {
    String bestName = argMax(names, s -> s.outcome.getAsDouble(), s -> true).orElseThrow();
    double worst = names.values().stream().mapToDouble(s -> s.outcome.getAsDouble()).min().orElseThrow();
    double best = names.get(bestName).outcome.getAsDouble();
    double standardOutcome = names.get(standard).outcome.getAsDouble();
    boolean inversion = worst < best && standardOutcome == worst;
    Optional<Double> triageOutcome = triage.map(t -> names.get(t).outcome.getAsDouble());
    Optional<Double> signalOutcome = signalPick.map(t -> names.get(t).outcome.getAsDouble());

    double[] outcome = ladder.stream().mapToDouble(c -> c.outcome().getAsDouble()).toArray();
    long[] seeds = ladder.stream().mapToLong(Checkpoint::seed).toArray();
    Map<String, double[]> predictors = predictors(ladder, config);
    List<Correlation> correlations = new ArrayList<>();
    if (ladder.size() >= 3 && !constant(outcome)) {
      for (Map.Entry<String, double[]> e : predictors.entrySet()) {
        if (!constant(e.getValue())) {
          correlations.add(Correlations.of(e.getKey(), e.getValue(), outcome, seeds, PERMUTATIONS, PERMUTATION_SEED));
        }
      }
    }
    return new OutcomeAnalysis(inversion, standardOutcome, triageOutcome, signalOutcome, bestName, best, worst,
        correlations);
  }

  /**
   * The pre-RL predictors of a ladder by name, each with one value per checkpoint in ladder order:
   * {@code entropy}, {@code passAt1}, {@code passAt<k>} for every k > 1 that all checkpoints
   * report, and {@code generalisationLoss}, {@code predictedDegenerateFraction} (at the config's
   * group size) and {@code stage2Drop} when every checkpoint has them. The correlations and the
   * report's scatter charts both read their values here, so a chart exists for every predictor
   * a correlation names.
   */
  public static Map<String, double[]> predictors(List<Checkpoint> ladder, TriageConfig config) {
    Map<String, double[]> predictors = new LinkedHashMap<>();
    if (ladder.stream().allMatch(Checkpoint::hasEntropy)) {
      predictors.put("entropy", ladder.stream().mapToDouble(Checkpoint::entropy).toArray());
    }
    predictors.put("passAt1", ladder.stream().mapToDouble(Checkpoint::passAt1).toArray());
    TreeSet<Integer> commonKs = new TreeSet<>(ladder.get(0).passAtK().keySet());
    ladder.forEach(c -> commonKs.retainAll(c.passAtK().keySet()));
    for (int k : commonKs) {
      if (k > 1) {
        predictors.put("passAt" + k, ladder.stream().mapToDouble(c -> c.passAtK().get(k)).toArray());
      }
    }
    if (ladder.stream().allMatch(c -> c.generalisationLoss().isPresent())) {
      predictors.put("generalisationLoss", ladder.stream().mapToDouble(c -> c.generalisationLoss().getAsDouble()).toArray());
    }
    if (ladder.stream().allMatch(c -> c.signal().isPresent())) {
      predictors.put("predictedDegenerateFraction",
          ladder.stream().mapToDouble(c -> predictedDegenerateFraction(c, config).getAsDouble()).toArray());
    }
    List<OptionalDouble> drops = ladder.stream().map(c -> stage2Drop(c.entropyTrace(), config)).toList();
    if (drops.stream().allMatch(OptionalDouble::isPresent)) {
      predictors.put("stage2Drop", drops.stream().mapToDouble(OptionalDouble::getAsDouble).toArray());
    }
    return predictors;
  }

  private static boolean constant(double[] values) {
    return Arrays.stream(values).distinct().count() < 2;
  }
}
