package io.github.rlvrdiagnostics.api;

/**
 * One stretch of a run in one state: the monitor's answer to "is the run still learning, and if
 * not, why and what to change". Consecutive verdicts of a run cover its logged steps without
 * overlap; the last one is the run's current verdict.
 *
 * @param fromStep the first logged step of the stretch (the state's onset, before it was confirmed)
 * @param toStep the last logged step of the stretch, {@code ≥ fromStep}
 * @param state the run state
 * @param severity how urgent it is (a state can escalate: a long plateau becomes critical)
 * @param evidence one line with the numbers the state was decided from
 * @param action one line saying what to do, with numbers the library computed (may be empty for
 *     {@link RunState#LEARNING})
 */
public record Verdict(long fromStep, long toStep, RunState state, Severity severity, String evidence, String action) {

  /** Checks the components. */
  public Verdict {
    if (!(toStep >= fromStep)) {
      throw new IllegalArgumentException("toStep must be >= fromStep (" + fromStep + "), was " + toStep);
    }
    if (state == null || severity == null || evidence == null || action == null) {
      throw new IllegalArgumentException("state, severity, evidence and action must not be null");
    }
  }

  /** This verdict extended to a later logged step. */
  public Verdict extendedTo(long step) {
    if (!(step >= toStep)) {
      throw new IllegalArgumentException("step must be >= toStep (" + toStep + "), was " + step);
    }
    return new Verdict(fromStep, step, state, severity, evidence, action);
  }

  /** This verdict with the latest evidence and action (same stretch). */
  public Verdict withText(String newEvidence, String newAction) {
    return new Verdict(fromStep, toStep, state, severity, newEvidence, newAction);
  }
}
