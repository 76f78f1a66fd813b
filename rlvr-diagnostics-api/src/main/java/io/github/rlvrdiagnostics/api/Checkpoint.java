package io.github.rlvrdiagnostics.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One SFT checkpoint of a ladder: what was measured before RL, and optionally how its early GRPO
 * went and how well GRPO from it ended (docs/MATH.md §4).
 *
 * @param name the checkpoint's name (an SFT depth such as "1.9" epochs); checkpoints of several
 *     seeds share a name
 * @param seed the training seed; checkpoints are grouped by seed for seed-demeaned statistics
 * @param entropy the pre-RL generation-start entropy in nats, finite and {@code ≥ 0}, or
 *     {@link #UNKNOWN_ENTROPY} (NaN) when it was not measured, as in released evaluation data:
 *     the paper's Stage 1 is then unknown, never flagged (see {@link #hasEntropy()})
 * @param passAtK pre-RL pass@k by {@code k} (at least pass@1), each in [0, 1]; an unmodifiable
 *     sorted copy
 * @param entropyTrace early-GRPO worst-token entropy readings, sorted by step, steps distinct;
 *     empty when the run was not monitored
 * @param outcome the GRPO outcome (for example peak pass@10), empty when unknown
 * @param generalisationLoss an optional further predictor (<i>Quagmires in SFT-RL Post-Training</i>), empty when unknown
 * @param signal the learning signal estimated from pre-RL samples at the triage group size;
 *     empty when the ladder gave no samples
 */
public record Checkpoint(
    String name,
    long seed,
    double entropy,
    Map<Integer, Double> passAtK,
    List<EntropyPoint> entropyTrace,
    OptionalDouble outcome,
    OptionalDouble generalisationLoss,
    Optional<SignalProfile> signal) {

  /**
   * The {@code entropy} of a checkpoint whose pre-RL entropy was not measured: NaN, the one
   * value besides finite {@code ≥ 0} readings that the record accepts, so that every comparison
   * with τ is false and the Stage 1 rule never flags it.
   */
  public static final double UNKNOWN_ENTROPY = Double.NaN;

  /** Validates the components and makes sorted unmodifiable copies. */
  public Checkpoint {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must be a non-empty string, was " + (name == null ? "null" : "empty"));
    }
    if (!(entropy >= 0.0 && entropy < Double.POSITIVE_INFINITY) && !Double.isNaN(entropy)) {
      throw new IllegalArgumentException("entropy of checkpoint '" + name + "' must be finite and >= 0, or unknown, was "
          + entropy);
    }
    TreeMap<Integer, Double> sorted = new TreeMap<>(passAtK);
    if (!sorted.containsKey(1)) {
      throw new IllegalArgumentException("passAtK of checkpoint '" + name + "' must contain k = 1, has " + sorted.keySet());
    }
    for (Map.Entry<Integer, Double> e : sorted.entrySet()) {
      Checks.atLeast("k", e.getKey(), 1);
      Checks.probability("passAtK[" + e.getKey() + "] of checkpoint '" + name + "'", e.getValue());
    }
    passAtK = Collections.unmodifiableMap(sorted);
    List<EntropyPoint> trace = new ArrayList<>(entropyTrace);
    for (int i = 0; i < trace.size(); i++) {
      if (trace.get(i) == null) {
        throw new IllegalArgumentException("entropyTrace of checkpoint '" + name + "' must not hold null, was null at index " + i);
      }
    }
    trace.sort(Comparator.comparingLong(EntropyPoint::step));
    for (int i = 1; i < trace.size(); i++) {
      if (trace.get(i).step() == trace.get(i - 1).step()) {
        throw new IllegalArgumentException("entropyTrace of checkpoint '" + name + "' has step "
            + trace.get(i).step() + " twice");
      }
    }
    entropyTrace = Collections.unmodifiableList(trace);
    if (outcome.isPresent()) {
      Checks.finite("outcome of checkpoint '" + name + "'", outcome.getAsDouble());
    }
    if (generalisationLoss.isPresent()) {
      Checks.finite("generalisationLoss of checkpoint '" + name + "'", generalisationLoss.getAsDouble());
    }
  }

  /** A checkpoint without a signal profile. */
  public Checkpoint(String name, long seed, double entropy, Map<Integer, Double> passAtK,
      List<EntropyPoint> entropyTrace, OptionalDouble outcome, OptionalDouble generalisationLoss) {
    this(name, seed, entropy, passAtK, entropyTrace, outcome, generalisationLoss, Optional.empty());
  }

  /** A checkpoint with its pre-RL entropy and pass@1 only. */
  public static Checkpoint of(String name, long seed, double entropy, double passAt1) {
    return new Checkpoint(name, seed, entropy, Map.of(1, passAt1), List.of(), OptionalDouble.empty(), OptionalDouble.empty());
  }

  /**
   * A checkpoint with pass@1 only and no pre-RL entropy, as released evaluation data gives it:
   * only the signal rules (once {@link #withSignal} adds a profile) can judge it.
   */
  public static Checkpoint withoutEntropy(String name, long seed, double passAt1) {
    return of(name, seed, UNKNOWN_ENTROPY, passAt1);
  }

  /** Whether its pre-RL entropy was measured; the paper's Stage 1 is unknown when it was not. */
  public boolean hasEntropy() {
    return !Double.isNaN(entropy);
  }

  /** Its pre-RL pass@1. */
  public double passAt1() {
    return passAtK.get(1);
  }

  /** This checkpoint with pass@k added for one more {@code k}. */
  public Checkpoint withPassAtK(int k, double value) {
    Map<Integer, Double> more = new TreeMap<>(passAtK);
    more.put(k, value);
    return new Checkpoint(name, seed, entropy, more, entropyTrace, outcome, generalisationLoss, signal);
  }

  /** This checkpoint with an early-GRPO worst-token entropy trace. */
  public Checkpoint withEntropyTrace(List<EntropyPoint> trace) {
    return new Checkpoint(name, seed, entropy, passAtK, trace, outcome, generalisationLoss, signal);
  }

  /** This checkpoint with its GRPO outcome. */
  public Checkpoint withOutcome(double value) {
    return new Checkpoint(name, seed, entropy, passAtK, entropyTrace, OptionalDouble.of(value), generalisationLoss, signal);
  }

  /** This checkpoint with its generalisation loss. */
  public Checkpoint withGeneralisationLoss(double value) {
    return new Checkpoint(name, seed, entropy, passAtK, entropyTrace, outcome, OptionalDouble.of(value), signal);
  }

  /** This checkpoint with the learning signal estimated from its pre-RL samples. */
  public Checkpoint withSignal(SignalProfile profile) {
    return new Checkpoint(name, seed, entropy, passAtK, entropyTrace, outcome, generalisationLoss, Optional.of(profile));
  }
}
