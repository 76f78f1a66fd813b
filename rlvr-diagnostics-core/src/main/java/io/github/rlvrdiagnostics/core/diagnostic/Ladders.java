package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checks;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.TriageCalibration;
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
 * The two-stage checkpoint diagnostic of seed 000 applied to a ladder of SFT checkpoints
 * (SPEC §4): Stage 1 and Stage 2 flags, the standard and triage picks, the compute saved, and,
 * when GRPO outcomes are known, the rank-inversion verdict and predictor correlations.
 *
 * <p><b>Rules</b>, stated once:
 * <ul>
 *   <li>Stage 1 flags a checkpoint with {@code entropy < τ}.
 *   <li>Stage 2 reads the trace at the reference and check steps, where "the reading at step
 *       {@code s}" is the latest reading at or before {@code s} (what a monitor knew at that
 *       step); the drop {@code (H_ref − H_check)/H_ref} is unknown when either reading is missing
 *       or {@code H_ref = 0}, and a checkpoint is flagged when the drop exceeds δ.
 *   <li>Selection works on checkpoint <em>names</em> (SFT depths), averaging over seeds: the
 *       standard rule picks the highest mean pass@1; triage picks the highest mean pass@1 among
 *       names whose mean entropy is at least τ and whose mean known drop is at most δ; ties go
 *       to the earlier name in input order.
 *   <li>Rank inversion: the standard pick has the lowest mean outcome of all names (and the
 *       outcomes are not all equal).
 *   <li>Correlations: Spearman's ρ (Commons Math, average ranks for ties), pooled and
 *       seed-demeaned, Kendall's τ-b, R² of a least-squares line, and a two-sided permutation
 *       p-value for the pooled ρ — exact over all {@code n!} orderings for {@code n ≤ 8}, else
 *       from 9,999 random permutations with a fixed seed, {@code (hits + 1)/(9,999 + 1)}. A
 *       predictor that is constant over the ladder has no ranking and is left out.
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
   * Applies the two-stage diagnostic to a ladder.
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
      boolean stage2 = drop.isPresent() && drop.getAsDouble() > config.delta();
      stage2Flagged += stage2 ? 1 : 0;
      OptionalDouble diversity = c.passAtK().size() > 1
          ? OptionalDouble.of(diversityRatio(c.passAtK().get(java.util.Collections.max(c.passAtK().keySet())), c.passAt1()))
          : OptionalDouble.empty();
      verdicts.add(new CheckpointVerdict(c.name(), c.seed(), c.entropy() < config.tau(), drop, stage2, diversity));
    }
    Map<String, NameStats> names = byName(ladder, config);
    String standard = argMax(names, s -> s.passAt1, s -> true).orElseThrow();
    Optional<String> triage = argMax(names, s -> s.passAt1,
        s -> !(s.entropy < config.tau()) && !(s.drop.isPresent() && s.drop.getAsDouble() > config.delta()));
    double perRun = config.computeSavedFraction();
    double ladderSaved = perRun * stage2Flagged / ladder.size();
    Optional<OutcomeAnalysis> outcomes = Optional.empty();
    if (ladder.stream().allMatch(c -> c.outcome().isPresent())) {
      outcomes = Optional.of(outcomes(ladder, names, standard, triage, config));
    }
    return new LadderReport(config, verdicts, standard, triage, perRun, ladderSaved, outcomes);
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
   * Seed 000's diversity ratio in the form we implement, {@code pass@k / (pass@1 + ε)} with
   * {@code ε = 1e-3} (the paper's exact form was lost in extraction).
   *
   * @throws IllegalArgumentException unless both are in [0, 1]
   */
  public static double diversityRatio(double passAtK, double passAt1) {
    Checks.probability("passAtK", passAtK);
    Checks.probability("passAt1", passAt1);
    return passAtK / (passAt1 + DIVERSITY_EPSILON);
  }

  /**
   * Fits τ and δ to a ladder whose outcomes are known, so that the thresholds are the user's own.
   *
   * <p><b>Rule.</b> A checkpoint is <em>poor</em> when its outcome is below the median outcome.
   * τ is the candidate (midpoints between consecutive distinct entropies) that maximises the
   * balanced accuracy of "entropy below τ" as a detector of poor checkpoints; δ likewise for
   * "drop above δ" over the checkpoints with a known drop. Balanced accuracy, the mean of the
   * true-positive and true-negative rates, does not reward flagging everything or nothing on a
   * small ladder whose classes are unequal. Ties go to the smallest τ and the largest δ: the
   * threshold that flags fewest checkpoints.
   *
   * @throws IllegalArgumentException unless at least four checkpoints have outcomes and both poor
   *     and non-poor checkpoints occur
   */
  public static TriageCalibration calibrate(List<Checkpoint> ladder, TriageConfig base) {
    List<Checkpoint> known = ladder.stream().filter(c -> c.outcome().isPresent()).toList();
    if (known.size() < 4) {
      throw new IllegalArgumentException("calibration needs at least 4 checkpoints with outcomes, was " + known.size());
    }
    double[] outcomes = known.stream().mapToDouble(c -> c.outcome().getAsDouble()).sorted().toArray();
    double median = outcomes.length % 2 == 1 ? outcomes[outcomes.length / 2]
        : 0.5 * (outcomes[outcomes.length / 2 - 1] + outcomes[outcomes.length / 2]);
    boolean[] poor = new boolean[known.size()];
    for (int i = 0; i < poor.length; i++) {
      poor[i] = known.get(i).outcome().getAsDouble() < median;
    }
    int poorCount = 0;
    for (boolean p : poor) {
      poorCount += p ? 1 : 0;
    }
    if (poorCount == 0 || poorCount == poor.length) {
      throw new IllegalArgumentException("calibration needs both poor and good outcomes, all outcomes are equal");
    }
    double[] entropies = known.stream().mapToDouble(Checkpoint::entropy).toArray();
    double[] tau = bestThreshold(entropies, poor, true);
    List<Double> drops = new ArrayList<>();
    List<Boolean> dropPoor = new ArrayList<>();
    for (int i = 0; i < known.size(); i++) {
      OptionalDouble d = stage2Drop(known.get(i).entropyTrace(), base);
      if (d.isPresent()) {
        drops.add(d.getAsDouble());
        dropPoor.add(poor[i]);
      }
    }
    OptionalDouble delta = OptionalDouble.empty();
    OptionalDouble deltaAccuracy = OptionalDouble.empty();
    if (dropPoor.contains(true) && dropPoor.contains(false)) {
      boolean[] p = new boolean[dropPoor.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = dropPoor.get(i);
      }
      double[] fitted = bestThreshold(drops.stream().mapToDouble(Double::doubleValue).toArray(), p, false);
      delta = OptionalDouble.of(fitted[0]);
      deltaAccuracy = OptionalDouble.of(fitted[1]);
    }
    return new TriageCalibration(tau[0], tau[1], delta, deltaAccuracy, median, known.size());
  }

  /** {threshold, balanced accuracy}: flags {@code value < t} when {@code below}, else {@code value > t}. */
  private static double[] bestThreshold(double[] values, boolean[] poor, boolean below) {
    double[] distinct = Arrays.stream(values).distinct().sorted().toArray();
    List<Double> candidates = new ArrayList<>();
    for (int i = 0; i + 1 < distinct.length; i++) {
      candidates.add(0.5 * (distinct[i] + distinct[i + 1]));
    }
    if (candidates.isEmpty()) {
      candidates.add(distinct[0]);
    }
    if (!below) {
      java.util.Collections.reverse(candidates); // ties go to the largest δ
    }
    double bestT = Double.NaN;
    double bestAccuracy = -1;
    for (double t : candidates) {
      int tp = 0, fn = 0, tn = 0, fp = 0;
      for (int i = 0; i < values.length; i++) {
        boolean flagged = below ? values[i] < t : values[i] > t;
        if (poor[i]) {
          if (flagged) tp++; else fn++;
        } else {
          if (flagged) fp++; else tn++;
        }
      }
      double accuracy = 0.5 * ((double) tp / (tp + fn) + (double) tn / (tn + fp));
      if (accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestT = t;
      }
    }
    return new double[] {bestT, bestAccuracy};
  }

  // ---------------------------------------------------------------------------------------------

  private static final class NameStats {
    double passAt1;
    double entropy;
    OptionalDouble drop = OptionalDouble.empty();
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
      String standard, Optional<String> triage, TriageConfig config) {
    String bestName = argMax(names, s -> s.outcome.getAsDouble(), s -> true).orElseThrow();
    double worst = names.values().stream().mapToDouble(s -> s.outcome.getAsDouble()).min().orElseThrow();
    double best = names.get(bestName).outcome.getAsDouble();
    double standardOutcome = names.get(standard).outcome.getAsDouble();
    boolean inversion = worst < best && standardOutcome == worst;
    Optional<Double> triageOutcome = triage.map(t -> names.get(t).outcome.getAsDouble());

    double[] outcome = ladder.stream().mapToDouble(c -> c.outcome().getAsDouble()).toArray();
    long[] seeds = ladder.stream().mapToLong(Checkpoint::seed).toArray();
    Map<String, double[]> predictors = new LinkedHashMap<>();
    predictors.put("entropy", ladder.stream().mapToDouble(Checkpoint::entropy).toArray());
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
    List<OptionalDouble> drops = ladder.stream().map(c -> stage2Drop(c.entropyTrace(), config)).toList();
    if (drops.stream().allMatch(OptionalDouble::isPresent)) {
      predictors.put("stage2Drop", drops.stream().mapToDouble(OptionalDouble::getAsDouble).toArray());
    }
    List<Correlation> correlations = new ArrayList<>();
    if (ladder.size() >= 3 && !constant(outcome)) {
      for (Map.Entry<String, double[]> e : predictors.entrySet()) {
        if (!constant(e.getValue())) {
          correlations.add(Correlations.of(e.getKey(), e.getValue(), outcome, seeds, PERMUTATIONS, PERMUTATION_SEED));
        }
      }
    }
    return new OutcomeAnalysis(inversion, standardOutcome, triageOutcome, bestName, best, correlations);
  }

  private static boolean constant(double[] values) {
    return Arrays.stream(values).distinct().count() < 2;
  }
}
