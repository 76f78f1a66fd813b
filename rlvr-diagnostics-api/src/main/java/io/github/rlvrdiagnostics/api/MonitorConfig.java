package io.github.rlvrdiagnostics.api;

/**
 * The training monitor's own rules beside the triage thresholds of {@link TriageConfig}: how the
 * run state is decided, how alerts and verdicts are kept from flapping, and how urgent each alert
 * kind is. It is the one home of these rules: the monitor, the command line and reports ask it.
 * See docs/MATH.md §7.
 *
 * <p><b>Trend window.</b> With {@code n} rewards logged so far, the trend is read over the last
 * {@link #window(long) w = clamp(⌈n·windowFraction⌉, minReadings, maxReadings)} of them (with fewer
 * than {@code minReadings} it is unknown), and is up or down when the Mann–Kendall score exceeds
 * {@code zCritical} in that direction.
 *
 * <p><b>Hysteresis.</b> A state becomes the verdict once it has been the raw state for
 * {@code confirmSteps} consecutive logged steps; an alert episode opens after its condition held
 * for {@code confirmSteps} logged steps and closes after it failed for {@code clearSteps}.
 *
 * @param minReadings the fewest readings a trend is read from, {@code ≥ 3}
 * @param maxReadings the most readings a trend window holds, {@code ≥ minReadings}
 * @param windowFraction the share of the readings so far the window covers, in (0, 1]
 * @param zCritical the Mann–Kendall score beyond which a trend is up or down, {@code > 0}
 * @param confirmSteps consecutive logged steps a state or alert condition must hold, {@code ≥ 1}
 * @param clearSteps consecutive logged steps an alert condition must fail to close, {@code ≥ 1}
 * @param minCoverage the share of a window's steps that must report a quantity for its window
 *     mean to be used, in (0, 1]
 * @param noProgressZ the Mann–Kendall score over a spell and the window before it at or below which a lasting
 *     plateau shows no progress at all, finite (a score above it is a rise too slow to be
 *     significant in one window, and is not stopped)
 * @param patience the fewest logged steps a spell without progress must last before it is
 *     critical, {@code ≥ 1}: early in a run no window can tell a slow learner from a plateau
 * @param detectors the thresholds of the instability detectors
 * @param relativeDropCollapses whether an entropy that fell by more than the Stage 2 fraction
 *     {@code δ} from the run's first readings counts as collapsed, as an entropy below {@code τ}
 *     does; when false (the default) only {@code τ} makes a run {@link RunState#COLLAPSED} and
 *     the fall is reported as evidence only. Runs that sharpen because they learn halve their
 *     entropy too: in a held-out test (docs/EXPERIMENTS.md) counting the fall as collapse stopped
 *     many of them wrongly
 */
public record MonitorConfig(int minReadings, int maxReadings, double windowFraction, double zCritical,
    int confirmSteps, int clearSteps, double minCoverage, double noProgressZ, int patience, DetectorConfig detectors,
    boolean relativeDropCollapses) {

  /**
   * The defaults, fixed before any fixture or experiment was judged: windows of the last third of
   * the run, 10 to 100 readings; z* = 2.58 (two-sided 1%); 3 steps to confirm and to clear; half
   * the window's steps must report a quantity; a lasting plateau is critical only when the score
   * over the spell and the window before it is at most 1 and it has lasted 50 logged steps. Only
   * an entropy below τ counts as collapse: that one default was changed after a held-out test
   * registered in advance (docs/EXPERIMENTS.md), which the rule with the relative fall lost.
   */
  public static final MonitorConfig DEFAULT = new MonitorConfig(10, 100, 1.0 / 3, 2.58, 3, 3, 0.5, 1.0, 50,
      DetectorConfig.DEFAULT, false);

  /** Validates the components. */
  public MonitorConfig {
    Checks.atLeast("minReadings", minReadings, 3);
    Checks.atLeast("maxReadings", maxReadings, minReadings);
    Checks.openClosed("windowFraction", windowFraction, 0.0, 1.0);
    Checks.positive("zCritical", zCritical);
    Checks.atLeast("confirmSteps", confirmSteps, 1);
    Checks.atLeast("clearSteps", clearSteps, 1);
    Checks.openClosed("minCoverage", minCoverage, 0.0, 1.0);
    Checks.finite("noProgressZ", noProgressZ);
    Checks.atLeast("patience", patience, 1);
    if (detectors == null) {
      throw new IllegalArgumentException("detectors must not be null");
    }
  }

  /** This configuration with other detector thresholds. */
  public MonitorConfig withDetectors(DetectorConfig newDetectors) {
    return new MonitorConfig(minReadings, maxReadings, windowFraction, zCritical, confirmSteps, clearSteps, minCoverage,
        noProgressZ, patience, newDetectors, relativeDropCollapses);
  }

  /** This configuration with other hysteresis lengths. */
  public MonitorConfig withHysteresis(int newConfirmSteps, int newClearSteps) {
    return new MonitorConfig(minReadings, maxReadings, windowFraction, zCritical, newConfirmSteps, newClearSteps,
        minCoverage, noProgressZ, patience, detectors, relativeDropCollapses);
  }

  /** This configuration with the relative entropy fall counted as collapse, or not. */
  public MonitorConfig withRelativeDropCollapses(boolean collapses) {
    return new MonitorConfig(minReadings, maxReadings, windowFraction, zCritical, confirmSteps, clearSteps,
        minCoverage, noProgressZ, patience, detectors, collapses);
  }

  /** This configuration with other trend-window bounds. */
  public MonitorConfig withWindow(int newMinReadings, int newMaxReadings, double newWindowFraction) {
    return new MonitorConfig(newMinReadings, newMaxReadings, newWindowFraction, zCritical, confirmSteps, clearSteps,
        minCoverage, noProgressZ, patience, detectors, relativeDropCollapses);
  }

  /**
   * The trend window for {@code readings} readings so far: {@code clamp(⌈readings·windowFraction⌉,
   * minReadings, maxReadings)}, but never more than {@code readings}; 0 when there are fewer than
   * {@code minReadings} (no trend).
   */
  public int window(long readings) {
    if (readings < minReadings) {
      return 0;
    }
    long w = (long) Math.ceil(readings * windowFraction);
    return (int) Math.min(readings, Math.max(minReadings, Math.min(maxReadings, w)));
  }

  /**
   * How often the trend is re-read: every {@code ⌈w/20⌉} logged steps, so that a window of 100
   * costs a twentieth of a full evaluation per step while the state still moves within a few
   * percent of the window.
   */
  public int stride(int window) {
    return Math.max(1, (window + 19) / 20);
  }

  /** The trend's direction from its Mann–Kendall score: +1 up, −1 down, 0 flat (NaN is flat). */
  public int direction(double z) {
    return z > zCritical ? 1 : z < -zCritical ? -1 : 0;
  }

  /** Whether {@code reported} of a window's {@code steps} steps are enough to use the window mean. */
  public boolean covered(long reported, long steps) {
    return steps > 0 && reported >= minCoverage * steps;
  }

  /**
   * Whether a spell of {@code spellSteps} logged steps without progress is long enough to be
   * critical: it has lasted {@link #patience} logged steps and as long as the current trend
   * window, and the reward's Mann–Kendall score over the spell and the window before it (at most
   * {@code 2·maxReadings} logged steps; {@code longSpanZ}) is at most
   * {@link #noProgressZ}: a rise too slow for one window but visible over two is not stopped. NaN
   * (no reading) is never long.
   */
  public boolean isLong(long spellSteps, int window, double longSpanZ) {
    return window > 0 && spellSteps >= Math.max(window, patience) && longSpanZ <= noProgressZ;
  }

  /**
   * How urgent a state is: {@code LEARNING} and {@code UNKNOWN} are info; {@code SATURATED} a
   * warning (harder data is needed, not alarm); {@code PLATEAU} and {@code STARVED} warnings that
   * become critical once long; {@code COLLAPSED} and {@code REGRESSING} critical.
   */
  public Severity severity(RunState state, boolean longSpell) {
    return switch (state) {
      case LEARNING, UNKNOWN -> Severity.INFO;
      case SATURATED -> Severity.WARNING;
      case PLATEAU, STARVED -> longSpell ? Severity.CRITICAL : Severity.WARNING;
      case COLLAPSED, REGRESSING -> Severity.CRITICAL;
    };
  }

  /**
   * How urgent an alert of a kind is. No alert is critical on its own: only the verdict advises
   * stopping. The papers' Stage 2 alerts and the level alerts are warnings;
   * {@link AlertKind#DEGENERATE_ABOVE_PREDICTED} (a discrepancy worth a look) is info.
   */
  public Severity severity(AlertKind kind) {
    return kind == AlertKind.DEGENERATE_ABOVE_PREDICTED ? Severity.INFO : Severity.WARNING;
  }
}
