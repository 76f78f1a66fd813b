package io.github.rlvrdiagnostics.spark;

import io.github.rlvrdiagnostics.api.Checks;
import java.util.List;
import java.util.Map;

/**
 * The per-step table of a set of rollout records, as {@link SparkDiagnostics#rolloutTable} reduces
 * it, and which optional inputs it saw.
 *
 * @param steps one row per step, in increasing step order
 * @param skippedRecords records that could not be used and were left out (a missing or non-finite
 *     reward, a missing prompt and group id, a negative step, a log-probability that is missing,
 *     positive or not finite, missing or empty tokens, a pass rate outside [0, 1], a group whose
 *     records disagree on the pass rate, a malformed JSON line, a JSON line with a duplicate key); {@code ≥ 0}
 * @param passRates whether the input had a {@code pass_rate} column
 * @param tokens whether the input had a {@code tokens} column
 * @param logProbs whether the input had a {@code logprob} column
 * @param skippedReasons the skipped records by reason (a short text such as
 *     {@code "duplicate key in a JSON line"}), only reasons with a count, adding up to
 *     {@code skippedRecords}
 */
public record RolloutTable(List<RolloutStep> steps, long skippedRecords, boolean passRates, boolean tokens,
    boolean logProbs, Map<String, Long> skippedReasons) {

  /**
   * Copies the steps and the reasons.
   *
   * @throws IllegalArgumentException on a negative skipped count, reasons that do not add up to it,
   *     or steps out of increasing order
   */
  public RolloutTable {
    steps = List.copyOf(steps);
    Checks.atLeast("skippedRecords", skippedRecords, 0L);
    skippedReasons = SkipReason.check(skippedReasons, skippedRecords);
    for (int i = 1; i < steps.size(); i++) {
      if (!(steps.get(i).step() > steps.get(i - 1).step())) {
        throw new IllegalArgumentException("steps must be in increasing step order, step " + steps.get(i).step()
            + " follows " + steps.get(i - 1).step());
      }
    }
  }

  /** The skipped records in words: {@code "3 records skipped: 2 malformed JSON line, 1 negative step"}, or {@code "0 records skipped"}. */
  public String skippedNote() {
    return SkipReason.note(skippedRecords, skippedReasons);
  }
}
