package io.github.rlvrdiagnostics.spark;

import io.github.rlvrdiagnostics.api.DatasetPassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pass@k of an evaluation reduced from per-sample results or per-problem counts, the same
 * quantities {@code rlvr-diag passk --samples} reports.
 *
 * @param dataset the mean per-problem unbiased pass@k for each k, and at a group size the
 *     predicted degenerate fraction and advantage variance ({@code PassAtK.aggregate})
 * @param passAllK the mean per-problem unbiased pass^k, {@code C(c, k)/C(n, k)}, for each k
 * @param samples the samples over all problems
 * @param passed the samples that passed
 * @param signal the signal profile at the group size ({@code SignalProfiles.of}); empty without one
 * @param problems the pooled problems (samples with the same {@code task_id} added up), ordered by
 *     task id
 * @param skippedRecords records that could not be used and were left out (a missing task id, a
 *     missing or non-boolean {@code passed}, counts that break {@code 0 ≤ c ≤ n, n ≥ 1}, a
 *     malformed JSON line, a JSON line with a duplicate key, a record with both {@code passed} and
 *     counts); {@code ≥ 0}
 * @param skippedReasons the skipped records by reason (a short text), only reasons with a count,
 *     adding up to {@code skippedRecords}
 */
public record SamplesPassAtK(DatasetPassAtK dataset, Map<Integer, Double> passAllK, long samples, long passed,
    Optional<SignalProfile> signal, List<ProblemSamples> problems, long skippedRecords,
    Map<String, Long> skippedReasons) {

  /**
   * Copies the maps (pass^k kept in increasing k) and the list.
   *
   * @throws IllegalArgumentException when the reasons do not add up to the skipped count
   */
  public SamplesPassAtK {
    passAllK = Collections.unmodifiableMap(new TreeMap<>(passAllK));
    problems = List.copyOf(problems);
    skippedReasons = SkipReason.check(skippedReasons, skippedRecords);
  }

  /** The skipped records in words: {@code "3 records skipped: 2 malformed JSON line, 1 no task_id"}, or {@code "0 records skipped"}. */
  public String skippedNote() {
    return SkipReason.note(skippedRecords, skippedReasons);
  }
}
