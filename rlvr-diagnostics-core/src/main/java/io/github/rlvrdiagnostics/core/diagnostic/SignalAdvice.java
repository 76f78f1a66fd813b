package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DegenerateAdvice;
import io.github.rlvrdiagnostics.api.DegenerateSide;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The one home of what a signal flag says (docs/MATH.md §4, "Which side a flag comes from"): the
 * side its degenerate groups come from and what to do, with the numbers behind the advice. Every
 * caller that explains a degenerate fraction (the ladder's signal flag, the training monitor's
 * alerts) asks this class, so the rules and the wording live here only.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li><b>Side</b>: {@link DegenerateSide#ALL_PASS} when the all-pass part alone would be flagged
 *       ({@link TriageConfig#degenerateFlag}) and exceeds the all-fail part,
 *       {@link DegenerateSide#ALL_FAIL} likewise; else {@link DegenerateSide#MIXED} (only the two
 *       together exceed the threshold, or, under a threshold below 1/2, both parts equally).
 *   <li><b>Action</b>: all-pass means the prompts are too easy at this {@code G}: use harder
 *       prompts. All-fail means too hard: use easier prompts, or filter the degenerate groups
 *       (dynamic sampling), whose cost is {@link GenerationRounds#expectedRounds} of the whole
 *       degenerate fraction (in the words of the monitor's advice, {@code Actions.filtering}).
 *       Mixed: filter the degenerate groups.
 *   <li><b>Raising G</b>: when the degenerate fraction at {@code 2G} is known, the advice gives
 *       it; it recommends raising {@code G} only when that removes at least
 *       {@link #RAISE_G_MIN_RELATIVE_DROP} of the degenerate groups, and otherwise says that
 *       raising {@code G} barely helps (prompts that are always or never solved stay degenerate
 *       at any {@code G}).
 * </ul>
 * Shares are printed as whole percents, fractions with two decimals, rounds with one, all with
 * {@link Locale#ROOT}. All methods are static and thread-safe.
 */
public final class SignalAdvice {
  private SignalAdvice() {}

  /**
   * The least share of the degenerate groups that doubling {@code G} must remove for the advice
   * to recommend it: a quarter. Doubling {@code G} doubles the rollouts per prompt, so a smaller
   * gain is not worth proposing.
   */
  public static final double RAISE_G_MIN_RELATIVE_DROP = 0.25;

  /** Tolerance on {@code allPass + allFail ≤ 1} for parts that were rounded separately. */
  private static final double SUM_TOLERANCE = 1e-9;

  /**
   * The side a degenerate fraction comes from (see the class documentation for the rule).
   *
   * @param allPass the all-pass fraction, in [0, 1]
   * @param allFail the all-fail fraction, in [0, 1]
   * @throws IllegalArgumentException when a part is outside [0, 1] or NaN
   */
  public static DegenerateSide side(double allPass, double allFail, TriageConfig config) {
    Checks.probability("allPass", allPass);
    Checks.probability("allFail", allFail);
    // The monitor's verdict uses the same test for a side that "dominates" (docs/MATH.md §7).
    if (config.degenerateFlag(allPass) && allPass > allFail) {
      return DegenerateSide.ALL_PASS;
    }
    return config.degenerateFlag(allFail) && allFail > allPass ? DegenerateSide.ALL_FAIL : DegenerateSide.MIXED;
  }

  /**
   * The advice on a checkpoint's signal flag, from its signal profile; empty when the signal rule
   * does not flag it ({@link TriageConfig#signalStage1Flag}). The group size is the profile's.
   */
  public static Optional<DegenerateAdvice> forProfile(SignalProfile profile, TriageConfig config) {
    if (!config.signalStage1Flag(profile.predictedDegenerateFraction())) {
      return Optional.empty();
    }
    return Optional.of(advise(profile.allPassFraction(), profile.allFailFraction(), profile.groupSize(),
        profile.degenerateFractionAtTwiceG(), config));
  }

  /**
   * The side and the action for a flagged degenerate fraction {@code allPass + allFail} at group
   * size {@code G}.
   *
   * @param allPass the all-pass fraction, in [0, 1]
   * @param allFail the all-fail fraction, in [0, 1]
   * @param groupSize the group size {@code G}, {@code ≥ 1}
   * @param degenerateAtTwiceG the degenerate fraction at {@code 2G} for the same prompts, or empty
   *     when unknown (the advice then says nothing about raising {@code G})
   * @throws IllegalArgumentException when a fraction is outside [0, 1] or NaN, the parts sum to
   *     more than 1, {@code G < 1}, or their sum is not flagged ({@link TriageConfig#degenerateFlag})
   */
  public static DegenerateAdvice advise(double allPass, double allFail, int groupSize,
      OptionalDouble degenerateAtTwiceG, TriageConfig config) {
    DegenerateSide side = side(allPass, allFail, config);
    Checks.groupSize(groupSize);
    if (!(allPass + allFail <= 1.0 + SUM_TOLERANCE)) {
      throw new IllegalArgumentException("allPass + allFail must be <= 1, was " + allPass + " + " + allFail);
    }
    double degenerate = Math.min(1.0, allPass + allFail);
    if (!config.degenerateFlag(degenerate)) {
      throw new IllegalArgumentException("allPass + allFail must exceed maxDegenerateFraction = "
          + config.maxDegenerateFraction() + " for a flag to explain, was " + degenerate);
    }
    if (degenerateAtTwiceG.isPresent()) {
      Checks.probability("degenerateAtTwiceG", degenerateAtTwiceG.getAsDouble());
    }
    String at = " at G = " + groupSize;
    String action = switch (side) {
      case ALL_PASS -> percent(allPass) + " of groups would be all-pass" + at + ": too easy for RL at this G; "
          + "use harder prompts";
      case ALL_FAIL -> percent(allFail) + " of groups would be all-fail" + at + ": too hard; use easier prompts"
          + (degenerate < 1.0 ? " or " : "; ") + Actions.filtering(degenerate);
      case MIXED -> percent(degenerate) + " of groups would be degenerate" + at + " (" + percent(allPass)
          + " all-pass, " + percent(allFail) + " all-fail; neither side dominates): "
          + (degenerate < 1.0 ? Actions.filtering(degenerate) : "change the prompts; " + Actions.filtering(degenerate));
    };
    return new DegenerateAdvice(side, action + raiseG(degenerate, groupSize, degenerateAtTwiceG));
  }

  /** What doubling G would buy, when the samples allow an estimate at 2G. */
  private static String raiseG(double degenerate, int groupSize, OptionalDouble atTwiceG) {
    if (atTwiceG.isEmpty()) {
      return "";
    }
    long twice = 2L * groupSize;
    double after = atTwiceG.getAsDouble();
    if (after <= (1.0 - RAISE_G_MIN_RELATIVE_DROP) * degenerate) {
      return String.format(Locale.ROOT, "; or raise G to %d (twice the rollouts per prompt): the predicted "
          + "degenerate fraction falls from %.2f to %.2f", twice, degenerate, after);
    }
    return String.format(Locale.ROOT, "; raising G to %d barely helps (the predicted degenerate fraction goes "
        + "from %.2f to %.2f)", twice, degenerate, after);
  }

  private static String percent(double fraction) {
    return Math.round(100 * fraction) + "%";
  }
}
