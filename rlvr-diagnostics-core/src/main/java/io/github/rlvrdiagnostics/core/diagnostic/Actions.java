package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.core.signal.Signals;
import java.util.Locale;

/**
 * The one home of the monitor's advice: each line says what to do, with the numbers the library
 * computes (the degenerate probability at a larger group size, the expected generation rounds of
 * dynamic sampling). Package-private: callers get the text through alerts and verdicts.
 */
final class Actions {
  private Actions() {}

  /**
   * Advice for a batch whose degenerate groups are mostly all-pass: the prompts are too easy.
   *
   * @param allPass the all-pass fraction (observed or a lower bound)
   */
  static String tooEasy(double allPass) {
    return String.format(Locale.ROOT, "%.0f%% of groups all pass: the model solves these prompts; add harder prompts "
        + "or stop", 100 * allPass);
  }

  /**
   * Advice for a batch whose degenerate groups are mostly all-fail: the prompts are too hard.
   *
   * @param allFail the all-fail fraction
   * @param degenerate the whole degenerate fraction, for the cost of filtering, or NaN when unknown
   */
  static String tooHard(double allFail, double degenerate) {
    String filter = filtering(Double.isNaN(degenerate) ? allFail : degenerate);
    return String.format(Locale.ROOT, "%.0f%% of groups all fail: the prompts are too hard; use easier prompts or an "
        + "earlier curriculum stage, or %s", 100 * allFail, filter);
  }

  /**
   * Advice for a batch with many degenerate groups whose side is unknown, from the mean pass rate
   * {@code p} and the group size {@code g} where both are known (binary rewards), else in words.
   */
  static String degenerate(double fraction, double p, int g) {
    StringBuilder out = new StringBuilder();
    if (Double.isFinite(p) && p >= 0 && p <= 1 && g >= 1) {
      out.append(raiseGroupSize(p, g)).append("; or ");
    }
    out.append(filtering(fraction));
    return out.toString();
  }

  /**
   * "raise G to 2G: at the current pass rate P_deg falls from a to b" (a lower bound for prompts
   * of unequal pass rates, as the mean rate is used).
   */
  static String raiseGroupSize(double p, int g) {
    int larger = (int) Math.min(Integer.MAX_VALUE, 2L * g);
    double now = Signals.degenerateThreshold().degenerateProbability(p, g);
    double then = Signals.degenerateThreshold().degenerateProbability(p, larger);
    return String.format(Locale.ROOT, "raise G to %d: at the mean pass rate %.2f, P_deg falls from %.2f to %.2f",
        larger, p, now, then);
  }

  /** "filter groups with pass rate 0 or 1 (dynamic sampling): expect r generation rounds per batch". */
  static String filtering(double degenerateFraction) {
    double rounds = GenerationRounds.expectedRounds(degenerateFraction);
    return Double.isFinite(rounds)
        ? String.format(Locale.ROOT, "filter groups with pass rate 0 or 1 (dynamic sampling): expect %.1f generation "
            + "rounds per batch", rounds)
        : "filtering degenerate groups (dynamic sampling) cannot fill a batch: every group is degenerate";
  }

  /** Advice for a run whose entropy collapsed while its reward stopped improving. */
  static String collapsed(long steps) {
    return String.format(Locale.ROOT, "entropy collapsed and no reward progress over %d logged steps: stop; restart "
        + "from an earlier SFT checkpoint (one that keeps its entropy) or raise the entropy bonus", steps);
  }

  /** Advice for a run whose reward falls. */
  static String regressing(double change, long steps) {
    return String.format(Locale.ROOT, "the reward fell by %s over %d logged steps: stop and keep the best checkpoint "
        + "so far; lower the learning rate or raise the KL penalty before resuming", number(-change), steps);
  }

  /** Advice for a run whose reward has stopped moving. */
  static String plateau(long steps, boolean longSpell) {
    return longSpell
        ? String.format(Locale.ROOT, "no reward progress over %d logged steps: stop, or change the data, G or the "
            + "learning rate", steps)
        : String.format(Locale.ROOT, "no significant reward change over the last %d logged steps: watch; it becomes "
            + "stop advice if it lasts as long again", steps);
  }

  /** Advice while the entropy is below τ (the level alert). */
  static String entropyBelowTau() {
    return "low entropy alone is not a failure: it matters if the reward stops improving (see the verdict); "
        + "if it does, raise the entropy bonus or start RL from an earlier SFT checkpoint";
  }

  /** Advice for the Stage 2 alerts (the paper's and the signal rule's): shown for reference; the verdict decides. */
  static String stage2() {
    return "a fixed check-step rule, shown for reference: act on the verdict, which says whether the reward "
        + "still rises";
  }

  /** Advice when more groups are degenerate than the pass rates predict. */
  static String aboveCalibration() {
    return "more groups are degenerate than the per-prompt pass rates predict: check the verifier and the reward "
        + "parsing (a reward that ignores the answer makes whole groups equal)";
  }

  /** A number with three significant digits, Locale.ROOT. */
  static String number(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
