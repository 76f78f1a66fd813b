package io.github.rlvrdiagnostics.spark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a record was left out: the keys of {@link RolloutTable#skippedReasons()} and
 * {@link SamplesPassAtK#skippedReasons()}. The order is the order of the report.
 */
enum SkipReason {
  MALFORMED_JSON("malformed JSON line"),
  DUPLICATE_KEY("duplicate key in a JSON line"),
  NEGATIVE_STEP("negative step"),
  NO_GROUP("no prompt_id (nor group_id)"),
  BAD_REWARD("reward missing or not finite"),
  BAD_TOKENS("tokens missing, empty, with a null or beyond int range"),
  BAD_LOGPROB("logprob missing, positive or not finite"),
  BAD_PASS_RATE("pass_rate outside [0, 1]"),
  PASS_RATES_DISAGREE("a group's records disagree on pass_rate"),
  NO_TASK("no task_id"),
  BAD_PASSED("passed missing or not true/false/0/1"),
  BAD_COUNTS("counts break n >= 1, 0 <= c <= n (or beyond 2^31 - 1)"),
  BOTH_KINDS("both passed and n, c in one record");

  /** The column where {@link SparkDiagnostics#read} marks a JSON line it leaves out (its reason's text). */
  static final String COLUMN = "_rlvr_skipped";

  private final String text;

  SkipReason(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /** The reason whose text this is, or null. */
  static SkipReason ofText(String text) {
    for (SkipReason r : values()) {
      if (r.text.equals(text)) {
        return r;
      }
    }
    return null;
  }

  /** Counts by reason ({@code counts[reason.ordinal()]}) as the records' map: reasons with a count, in order. */
  static Map<String, Long> map(long[] counts) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (SkipReason r : values()) {
      if (counts[r.ordinal()] > 0) {
        map.put(r.text, counts[r.ordinal()]);
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** Checks a reasons map against its total; the records' constructors ask it. */
  static Map<String, Long> check(Map<String, Long> reasons, long total) {
    long sum = 0;
    for (Map.Entry<String, Long> e : reasons.entrySet()) {
      if (!(e.getValue() > 0)) {
        throw new IllegalArgumentException("skippedReasons must hold counts > 0, '" + e.getKey() + "' has "
            + e.getValue());
      }
      sum += e.getValue();
    }
    if (sum != total) {
      throw new IllegalArgumentException("skippedReasons must add up to skippedRecords " + total + ", add up to " + sum);
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }

  /** The note of the command line: "4 records skipped: 3 malformed JSON line, 1 duplicate key in a JSON line". */
  static String note(long total, Map<String, Long> reasons) {
    StringBuilder b = new StringBuilder().append(total).append(total == 1 ? " record" : " records").append(" skipped");
    String sep = ": ";
    for (Map.Entry<String, Long> e : reasons.entrySet()) {
      b.append(sep).append(e.getValue()).append(' ').append(e.getKey());
      sep = ", ";
    }
    return b.toString();
  }
}
