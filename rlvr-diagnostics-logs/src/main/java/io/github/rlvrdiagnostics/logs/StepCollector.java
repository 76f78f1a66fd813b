package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state of one read: turns the records that a {@link LogReader} hands over into
 * {@link TrainingStep}s, keeps the skipped lines and the notes, and builds the {@link TrainingLog}.
 * The one place where a record becomes a step, so that every format gets the same aliases,
 * tolerances and derivations. Not thread-safe; one per read.
 *
 * <p>A record maps the log's keys to raw values: Jackson {@link JsonNode}s from the JSON readers,
 * strings from the text readers. A value may be wrapped as {@code np.float64(…)} (verl prints
 * numpy scalars); {@code NaN}, infinities, {@code None} and {@code null} read as missing.
 */
final class StepCollector {
  private static final Pattern WRAPPED = Pattern.compile("^[A-Za-z_.0-9]+\\((.*)\\)$");

  private static final Set<String> NOT_A_NUMBER = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf",
      "infinity", "+infinity", "-infinity", "none", "null", "");
  /** The words for a value that was not logged at all: missing, not a diverged (non-finite) number. */
  private static final Set<String> MISSING = Set.of("none", "null", "");

  /** The reason a last line without its newline is not read. */
  static final String INCOMPLETE_LAST_LINE = "incomplete last line (no newline: the log is still being written?): held back, not read";

  private final String name;
  private final FieldMapping mapping;
  private final OptionalInt groupsPerStep;

  /**
   * The steps in the order their records came, compact (a log of half a million steps holds
   * tens of megabytes, not hundreds); sorted and de-duplicated at {@link #finish} only when the
   * records came out of order, which real logs rarely do.
   */
  private final TrainingStep.ListBuilder steps = TrainingStep.compactListBuilder();
  private long lastStep = -1;
  private boolean inOrder = true;
  private final List<SkippedLine> skipped = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private OptionalInt groupSize = OptionalInt.empty();
  private OptionalLong plannedSteps = OptionalLong.empty();
  private OptionalLong loggingSteps = OptionalLong.empty();
  private final List<TrainingStep> added = new ArrayList<>();
  private int duplicates;
  private int derivedFromStd;
  private int derivedOneGroup;
  private int nanValues;
  private int derivedFromSplit;
  private int countsAsFractions;
  private int countsWithoutTotal;
  private int severalAgents;
  private long outOfUnitStep = -1;
  private double outOfUnitValue;

  /**
   * A collector for one log.
   *
   * @param name labels messages (usually the file name)
   * @param mapping where to find each of our fields in a record
   * @param groupsPerStep the number of groups each step holds, when the user knows it (checked by
   *     the caller)
   */
  StepCollector(String name, FieldMapping mapping, OptionalInt groupsPerStep) {
    this.name = name;
    this.mapping = mapping;
    this.groupsPerStep = groupsPerStep;
  }

  /** The log's name, for the readers' own messages. */
  String name() {
    return name;
  }

  /**
   * Adds the record read from a numbered line (or CSV row); if it cannot be a step, the line is
   * listed as skipped with the reason (a step that is not a number included).
   */
  void addLine(int line, Map<String, ?> values) {
    add(values, "line " + line, reason -> skipLine(line, reason));
  }

  /**
   * Adds a record that has no line number of its own, such as a {@code log_history} entry; if it
   * cannot be a step, a note says so, naming it by {@code entry}.
   */
  void addEntry(String entry, Map<String, ?> values) {
    add(values, entry, reason -> note(entry + " skipped: " + reason));
  }

  /** Lists a line that could not be used, with the reason. */
  void skipLine(int line, String reason) {
    skipped.add(new SkippedLine(line, reason));
  }

  /**
   * Stands in a record for a key the record writes more than once. The one duplicate-key rule of
   * every format (JSON lines, {@code trainer_state.json} entries, verl console lines, TRL and slime
   * console dicts, CSV headers): which of two values the trainer meant cannot be told, so the key
   * is dropped and a note says where; the record's other fields are kept. Readers put values with
   * {@link #put}, which applies the rule.
   */
  enum Duplicate { KEY }

  /** Puts a record's value, replacing it by {@link Duplicate#KEY} when the key is already there. */
  static void put(Map<String, Object> values, String key, Object value) {
    if (values.putIfAbsent(key, value) != null) {
      values.put(key, Duplicate.KEY);
    }
  }

  /**
   * A key that marks a record as an evaluation record whose evaluation keys the reader did not
   * hand over (the JSON-lines reader passes only wanted keys). Never a key of a real log: it starts
   * with a NUL character.
   */
  static final String EVALUATION_MARK = "\u0000evaluation";

  /**
   * Whether a key names an evaluation metric rather than a training one: {@code eval/} and
   * {@code eval_} (Hugging Face's Trainer, TRL, OpenRLHF), {@code val/}, {@code val-core/},
   * {@code val-aux/} (verl), {@code test/} (the Tinker cookbook, the Trainer's predict).
   */
  static boolean isEvaluationKey(String key) {
    return key.startsWith("eval") && key.length() > 4 && (key.charAt(4) == '/' || key.charAt(4) == '_')
        || key.startsWith("val/") || key.startsWith("val-") || key.startsWith("test/");
  }

  /** How many keys of a log without any known field are kept to name them in its error. */
  private static final int KEYS_LISTED = 30;

  /** The first keys seen while no record has held a known field (for the error naming them). */
  private final java.util.LinkedHashSet<String> keysSeen = new java.util.LinkedHashSet<>();

  /**
   * Tells the collector that a record holds a key no field reads (a reader that passes only
   * wanted keys calls this), so that a log without any known field can name its keys.
   */
  void unwanted(String key) {
    if (recordsWithField == 0 && keysSeen.size() < KEYS_LISTED && key.indexOf('\u0000') < 0) {
      keysSeen.add(key);
    }
  }

  /** Records the group size G the log states (a verl launch line's {@code rollout.n}). */
  void groupSize(int g) {
    groupSize = OptionalInt.of(g);
  }

  /** The group size the log has stated so far. */
  OptionalInt groupSize() {
    return groupSize;
  }

  /** Records the planned step count the log states ({@code max_steps}). */
  void plannedSteps(long n) {
    plannedSteps = OptionalLong.of(n);
  }

  /** Records the logging interval the log states ({@code logging_steps}). */
  void loggingSteps(long n) {
    loggingSteps = OptionalLong.of(n);
  }

  /** The logging interval the log has stated so far. */
  OptionalLong loggingSteps() {
    return loggingSteps;
  }

  /**
   * The steps added since the last call, in the order their records came (for a follower of a
   * growing log), and forgets them.
   */
  List<TrainingStep> drainAdded() {
    List<TrainingStep> out = List.copyOf(added);
    added.clear();
    return out;
  }

  /** Whether a follower is draining the added steps (a whole-file read does not keep them). */
  private boolean keepAdded;

  /** Keeps each added step for {@link #drainAdded}. */
  void keepAdded() {
    keepAdded = true;
  }

  /** The lines skipped so far. */
  List<SkippedLine> skipped() {
    return skipped;
  }

  /** The notes so far. */
  List<String> notes() {
    return notes;
  }

  /** Whether some field looks for this key: a reader may skip the values under every other key. */
  boolean wants(String key) {
    return mapping.wants(key);
  }

  /** Whether a record holds a value under one of the step's aliases. */
  boolean hasStep(Map<String, ?> values) {
    return mapping.aliases("step").stream().anyMatch(values::containsKey);
  }

  /** Whether a list of keys (a CSV header) holds one of the step's aliases. */
  boolean hasStep(List<String> keys) {
    return mapping.aliases("step").stream().anyMatch(keys::contains);
  }

  /** Adds a note for the reader of the log. */
  void note(String note) {
    notes.add(note);
  }

  /**
   * Maps one record's values to a step, or hands {@code skip} the reason it cannot be one. A
   * field whose value is of the wrong type is dropped (noted with {@code where} and its key) and
   * the record's other fields kept; a record without any known field, an evaluation record
   * included, is not a step. A step number lower than the last one starts a new attempt (a
   * restarted run writing into the same log).
   */
  private void add(Map<String, ?> values, String where, Consumer<String> skip) {
    long step;
    try {
      OptionalLong stepValue = step(values);
      if (stepValue.isEmpty() || stepValue.getAsLong() < 0) {
        skip.accept("no non-negative integer step");
        return;
      }
      step = stepValue.getAsLong();
    } catch (IllegalArgumentException e) {
      skip.accept(e.getMessage());
      return;
    }
    this.where = where;
    fieldsPresent = 0;
    recordNonFinite = 0;
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (e.getValue() == Duplicate.KEY && mapping.wants(e.getKey())) { // a key no field reads costs nothing
        dropped(e.getKey(), "written more than once in the record");
      }
    }
    TrainingStep.Builder b = TrainingStep.builder(step);
    field(values, "entropy").ifPresent(b::entropy);
    OptionalInt stepGroups = groups(values);
    stepGroups.ifPresent(b::groups);
    OptionalDouble degenerate = field(values, "degenerateFraction");
    OptionalDouble rewardStd = field(values, "rewardStd");
    OptionalDouble reward = reward(values, "reward", step);
    OptionalDouble rewardMin = reward(values, "rewardMin", step);
    OptionalDouble rewardMax = reward(values, "rewardMax", step);
    TrainerCounters.Split split;
    try {
      split = TrainerCounters.split(values, stepGroups, this::number, this::value);
    } catch (IllegalArgumentException e) {
      dropped("degenerate-group counters", e.getMessage());
      split = TrainerCounters.Split.NONE;
    }
    if (split.source() != TrainerCounters.Source.NONE) {
      fieldsPresent++; // a trainer's degenerate-group counters, even those that need a group total
    }
    // What the rewards prove: every rollout of the step scored the same when the logged mean, min
    // and max leave no room for two values (or when their std is 0).
    OptionalDouble uniform = uniformReward(reward, rewardMin, rewardMax);
    OptionalDouble allPass = split.allPass();
    OptionalDouble allFail = split.allFail();
    if (degenerate.isPresent()) {
      b.degenerateFraction(degenerate.getAsDouble());
    } else if (split.degenerate().isPresent()) {
      b.degenerateFraction(split.degenerate().getAsDouble());
      derivedFromSplit++;
    } else if (rewardStd.isPresent() && rewardStd.getAsDouble() == 0.0) {
      // A zero std over the step's rewards: every group of the step was degenerate.
      b.degenerateFraction(1.0);
      derivedFromStd++;
      if (uniform.isEmpty() && reward.isPresent()) {
        uniform = reward; // a zero std: every reward equals the mean
      }
    } else if (uniform.isPresent()) {
      b.degenerateFraction(1.0);
      provenUniform++;
    } else if (rewardStd.isPresent() && groupsPerStep.isPresent() && groupsPerStep.getAsInt() == 1) {
      // The step's one group had unequal rewards.
      b.degenerateFraction(0.0);
      derivedOneGroup++;
    }
    if (uniform.isPresent() && allPass.isEmpty() && allFail.isEmpty()) {
      if (uniform.getAsDouble() == 0.0) {
        allFail = OptionalDouble.of(1.0);
        allPass = OptionalDouble.of(0.0);
      } else if (uniform.getAsDouble() == 1.0) {
        allPass = OptionalDouble.of(1.0);
        allFail = OptionalDouble.of(0.0);
      }
    }
    allPass.ifPresent(b::allPassFraction);
    allFail.ifPresent(b::allFailFraction);
    field(values, "predictedDegenerateFraction").ifPresent(b::predictedDegenerateFraction);
    rewardStd.ifPresent(b::rewardStd);
    reward.ifPresent(b::reward);
    rewardMin.ifPresent(b::rewardMin);
    rewardMax.ifPresent(b::rewardMax);
    field(values, "kl").ifPresent(b::kl);
    field(values, "clipFraction").ifPresent(b::clipFraction);
    field(values, "gradNorm").ifPresent(b::gradNorm);
    field(values, "clipFractionLow").ifPresent(b::clipFractionLow);
    field(values, "clipFractionHigh").ifPresent(b::clipFractionHigh);
    field(values, "genBatches").ifPresent(b::genBatches);
    field(values, "loss").ifPresent(b::loss);
    field(values, "responseLength").ifPresent(b::responseLength);
    field(values, "truncatedFraction").ifPresent(b::truncatedFraction);
    // A value logged as NaN or infinite is read as missing, but counted on its step: a diverged
    // update (a NaN loss or gradient) must not look like a step that logged nothing.
    b.nonFiniteValues(recordNonFinite);
    fieldsPresent += recordNonFinite;
    if (fieldsPresent == 0) {
      // No training metric: an evaluation row, or a record of keys no field reads. Never a step,
      // so that it cannot replace the training metrics logged at the same step.
      boolean evaluation = values.containsKey(EVALUATION_MARK);
      for (String key : values.keySet()) {
        evaluation |= isEvaluationKey(key);
        unwanted(key);
      }
      if (evaluation) {
        evaluationRecords++;
      } else {
        recordsWithoutField++;
      }
      return;
    }
    TrainingStep built;
    try {
      built = b.build();
    } catch (IllegalArgumentException e) {
      skip.accept(e.getMessage()); // values that do not fit together (all-pass + all-fail above 1)
      return;
    }
    recordsWithField++;
    switch (split.source()) {
      case COUNTS -> countsAsFractions++;
      case COUNTS_WITHOUT_TOTAL -> countsWithoutTotal++;
      case SEVERAL_AGENTS -> severalAgents++;
      default -> { }
    }
    if (keepAdded) {
      added.add(built); // a follower drains these and never finishes: nothing else is kept
      return;
    }
    if (step < lastArrived && steps.size() > attemptStart) {
      // The step number went back: a restarted run writing into the same log. The report covers
      // the last attempt; the earlier ones are listed.
      earlierAttempts.add(new long[] {attemptFirst, attemptLast, steps.size() - attemptStart});
      attemptStart = steps.size();
      lastStep = -1;
      inOrder = true;
    }
    if (steps.size() == attemptStart) {
      attemptFirst = step;
      attemptLast = step;
    }
    attemptFirst = Math.min(attemptFirst, step);
    attemptLast = Math.max(attemptLast, step);
    lastArrived = step;
    inOrder &= step > lastStep;
    lastStep = Math.max(lastStep, step);
    steps.add(built);
  }

  /** Where the record being added is (a line or an entry), for the notes on its dropped fields. */
  private String where = "";
  /** The number of known fields the record being added holds. */
  private int fieldsPresent;
  /** The current record's values that were NaN or infinite. */
  private int recordNonFinite;
  private int recordsWithField;
  private int recordsWithoutField;
  private int evaluationRecords;
  private int provenUniform;
  private long lastArrived = -1;
  private int attemptStart;
  private long attemptFirst;
  private long attemptLast;
  /** Each earlier attempt's first step, last step and step count. */
  private final List<long[]> earlierAttempts = new ArrayList<>();
  /** Dropped fields by key: the count, and where the first was. */
  private final Map<String, String> droppedFirst = new java.util.LinkedHashMap<>();
  private final Map<String, Integer> droppedCount = new HashMap<>();

  /** Notes a field dropped from the record being added. */
  private void dropped(String key, String reason) {
    droppedFirst.putIfAbsent(key, where + ": " + reason);
    droppedCount.merge(key, 1, Integer::sum);
  }

  /**
   * One field's value, or empty when the record lacks it or holds a value of the wrong type (then
   * the field is dropped and noted, the record kept).
   */
  private OptionalDouble field(Map<String, ?> values, String field) {
    OptionalDouble v;
    try {
      v = number(values, field);
    } catch (FieldException e) {
      dropped(e.key, e.getMessage());
      return OptionalDouble.empty();
    }
    if (v.isPresent()) {
      fieldsPresent++;
    }
    return v;
  }

  /** A value of the wrong type under one key. */
  private static final class FieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final String key;

    FieldException(String key, String message) {
      super(message);
      this.key = key;
    }
  }

  /**
   * The one reward every rollout of the step scored, when the logged statistics prove there was
   * only one: the mean equal to the minimum or the maximum, or the minimum equal to the maximum.
   */
  private static OptionalDouble uniformReward(OptionalDouble mean, OptionalDouble min, OptionalDouble max) {
    if (min.isPresent() && max.isPresent() && min.getAsDouble() == max.getAsDouble()) {
      return min;
    }
    if (mean.isPresent() && (max.isPresent() && mean.getAsDouble() == max.getAsDouble()
        || min.isPresent() && mean.getAsDouble() == min.getAsDouble())) {
      return mean;
    }
    return OptionalDouble.empty();
  }

  /** The step's number of groups: the record's, else the caller's {@code groupsPerStep}. */
  private OptionalInt groups(Map<String, ?> values) {
    OptionalDouble groups = field(values, "groups");
    if (groups.isPresent()) {
      double g = groups.getAsDouble();
      if (!(g >= 1 && g <= Integer.MAX_VALUE && g == Math.rint(g))) {
        fieldsPresent--;
        dropped("groups", "groups must be a whole number in [1, 2^31 - 1], was " + g);
        return groupsPerStep;
      }
      return OptionalInt.of((int) g);
    }
    return groupsPerStep;
  }

  /** A reward field's value, remembering the first one outside [0, 1] for the closing note. */
  private OptionalDouble reward(Map<String, ?> values, String field, long step) {
    OptionalDouble v = field(values, field);
    if (v.isPresent() && !withinUnitInterval(v.getAsDouble()) && outOfUnitStep < 0) {
      outOfUnitStep = step;
      outOfUnitValue = v.getAsDouble();
    }
    return v;
  }

  /**
   * The value under the field's first alias present, as a finite double; NaN and infinities read
   * as missing (and are counted), as does a JSON {@code null}.
   *
   * @throws IllegalArgumentException if the value is present but not a number
   */
  private OptionalDouble number(Map<String, ?> values, String field) {
    for (String alias : mapping.aliases(field)) {
      Object raw = values.get(alias);
      if (raw != null && raw != Duplicate.KEY) {
        OptionalDouble v = value(raw, field, alias);
        double scale = FieldMapping.scale(alias);
        return scale == 1.0 || v.isEmpty() ? v : OptionalDouble.of(v.getAsDouble() * scale);
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * One raw value as a finite double; NaN and infinities read as missing (and are counted), as
   * does a JSON {@code null}.
   *
   * @throws IllegalArgumentException if the value is present but not a number
   */
  private OptionalDouble value(Object raw, String field, String key) {
    double v;
    try {
      if (raw instanceof JsonNode node) {
        if (node.isNull() || node.isTextual() && MISSING.contains(unwrap(node.textValue()).toLowerCase(Locale.ROOT))) {
          return OptionalDouble.empty();
        }
        if (node.isNumber()) {
          v = node.doubleValue();
        } else if (node.isTextual()) {
          v = parse(node.textValue(), field);
        } else {
          throw new IllegalArgumentException(field + " ('" + key + "') must be a number, was " + node);
        }
      } else {
        String text = raw.toString();
        if (text.isBlank() || MISSING.contains(unwrap(text).toLowerCase(Locale.ROOT))) {
          return OptionalDouble.empty(); // an empty CSV cell or Python's None: a missing value, not a NaN
        }
        v = parse(text, field + " ('" + key + "')");
      }
    } catch (FieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new FieldException(key, e.getMessage());
    }
    if (!Double.isFinite(v)) {
      nanValues++;
      recordNonFinite++;
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(v);
  }

  /**
   * The text stripped and unwrapped: {@code np.float64(0.5)} becomes {@code 0.5}, and torch's
   * {@code tensor(0.75, device='cuda:0')} its first argument.
   */
  private static String unwrap(String text) {
    String s = text.strip();
    Matcher wrapped = WRAPPED.matcher(s);
    if (wrapped.matches()) {
      s = wrapped.group(1).strip();
      int comma = s.indexOf(',');
      if (comma > 0) {
        s = s.substring(0, comma).strip();
      }
    }
    return s;
  }

  /**
   * A number written as text, possibly wrapped, in {@link Numbers}' grammar; NaN for the
   * missing-value words.
   */
  private static double parse(String text, String label) {
    return parseNumber(text, label);
  }

  /** {@link #parse}, for {@link TrainerCounters}: a number in text, NaN for the missing-value words. */
  static double parseNumber(String text, String label) {
    String s = unwrap(text);
    if (NOT_A_NUMBER.contains(s.toLowerCase(Locale.ROOT))) {
      return Double.NaN;
    }
    return Numbers.parseDouble(s, label);
  }

  /**
   * The record's step, read exactly by {@link Numbers}: an integer in digits up to 2^63 - 1 as
   * written (2^53 + 1 stays 2^53 + 1), one written with a point or an exponent only below 2^53;
   * empty when missing, NaN, infinite or not a whole number.
   *
   * @throws IllegalArgumentException if the step is not a number, not an integer, or beyond
   *     those ranges (the message names the value)
   */
  private OptionalLong step(Map<String, ?> values) {
    for (String alias : mapping.aliases("step")) {
      Object raw = values.get(alias);
      if (raw == null) {
        continue;
      }
      String label = "step ('" + alias + "')";
      if (raw instanceof JsonNode node) {
        if (node.isNull()) {
          return OptionalLong.empty();
        }
        if (node.isNumber()) {
          double v = node.doubleValue();
          return node.isIntegralNumber() || v == Math.rint(v) ? OptionalLong.of(Numbers.exactLong(node, label))
              : OptionalLong.empty();
        }
        if (!node.isTextual()) {
          throw new IllegalArgumentException(label + " must be a number, was " + node);
        }
        label = "step"; // as every other textual JSON value is named
        raw = node.textValue();
      }
      String text = unwrap(raw.toString());
      if (Numbers.isInteger(text)) {
        return OptionalLong.of(Numbers.parseLong(text, label));
      }
      double v = parse(text, label);
      return v == Math.rint(v) ? OptionalLong.of(Numbers.exactLong(v, label, text)) : OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /**
   * Whether a step's logged rewards are consistent with 0/1-valued rewards, the one rule for when
   * the binary closed forms may apply: its mean within [0, 1], and its minimum and maximum, where
   * logged, exactly 0 or 1 (a shaped reward that merely lies inside [0, 1], such as a
   * 0.05/0.10/0.80 mix, shows a minimum or maximum strictly between). A log that logs only means
   * cannot show more than that they lie in [0, 1].
   */
  static boolean binaryConsistent(TrainingStep s) {
    return (s.reward().isEmpty() || withinUnitInterval(s.reward().getAsDouble()))
        && (s.rewardMin().isEmpty() || zeroOrOne(s.rewardMin().getAsDouble()))
        && (s.rewardMax().isEmpty() || zeroOrOne(s.rewardMax().getAsDouble()));
  }

  private static boolean zeroOrOne(double v) {
    return v == 0.0 || v == 1.0;
  }

  /** Whether a reward lies in [0, 1], where the binary closed forms can apply; false for NaN. */
  static boolean withinUnitInterval(double reward) {
    return reward >= 0.0 && reward <= 1.0;
  }

  /**
   * The log read so far, with the notes on what was derived.
   *
   * @param format the format the reader found
   * @throws IllegalArgumentException if no record became a step
   */
  TrainingLog finish(LogFormat format) {
    // The line reader lists unrecognised lines only at the end, once it knows the whole log.
    skipped.sort(Comparator.comparingInt(SkippedLine::line));
    if (steps.size() == 0) {
      if (recordsWithoutField + evaluationRecords > 0 && recordsWithField == 0) {
        throw new IllegalArgumentException(name + ": no known training field in " + (recordsWithoutField + evaluationRecords)
            + " record(s)" + (evaluationRecords > 0 ? " (" + evaluationRecords + " of them evaluation records)" : "")
            + "; keys seen: " + String.join(", ", keysSeen) + (keysSeen.size() == KEYS_LISTED ? ", ..." : "")
            + "; map them with --field, e.g. --field entropy=KEY --field reward=KEY (fields: " + FieldMapping.FIELDS + ")");
      }
      String why = skipped.isEmpty() ? "" : " (first problem, line " + skipped.get(0).line() + ": " + skipped.get(0).reason() + ")";
      throw new IllegalArgumentException(name + ": holds no training step" + why);
    }
    List<TrainingStep> ordered = steps.build();
    if (attemptStart > 0) {
      TrainingStep.ListBuilder last = TrainingStep.compactListBuilder();
      ordered.subList(attemptStart, ordered.size()).forEach(last::add);
      ordered = last.build();
      StringBuilder earlier = new StringBuilder();
      for (long[] a : earlierAttempts) {
        earlier.append(earlier.length() == 0 ? "" : "; ").append("steps ").append(a[0]).append('-').append(a[1])
            .append(" (").append(a[2]).append(" step(s))");
      }
      notes.add("the step number went back " + earlierAttempts.size() + " time(s) (a restarted run writing into the same"
          + " log): this report covers the last attempt, steps " + attemptFirst + "-" + attemptLast
          + "; earlier attempt(s): " + earlier);
    }
    if (!inOrder) {
      ordered = sortKeepingLater(ordered);
    }
    for (Map.Entry<String, String> e : droppedFirst.entrySet()) {
      notes.add("'" + e.getKey() + "' dropped from " + droppedCount.get(e.getKey()) + " record(s), each keeping its other"
          + " fields (first: " + e.getValue() + ")");
    }
    if (evaluationRecords > 0) {
      notes.add(evaluationRecords + " evaluation record(s) (eval/, eval_, val/, val-, test/ keys only) kept apart:"
          + " never read as training steps");
    }
    if (recordsWithoutField > 0) {
      notes.add(recordsWithoutField + " record(s) without any known training field left out");
    }
    if (provenUniform > 0) {
      notes.add("every rollout scored the same at " + provenUniform + " step(s), as their reward mean, min and max"
          + " show: degenerate fraction 1 (all-fail where that score is 0, all-pass where it is 1)");
    }
    if (duplicates > 0) {
      notes.add(duplicates + " step(s) appear more than once (a resumed run?): the later record was kept");
    }
    if (derivedFromStd > 0) {
      notes.add("reward_std == 0 at " + derivedFromStd + " step(s) without frac_reward_zero_std: every group of"
          + " those steps was degenerate (degenerate fraction 1)");
    }
    if (derivedOneGroup > 0) {
      notes.add("one group per step: a non-zero reward_std means that group carried a gradient at "
          + derivedOneGroup + " step(s)");
    }
    if (derivedFromSplit > 0) {
      notes.add("degenerate fraction from the trainer's own degenerate-group counters (all-pass + all-fail,"
          + " or zero-variance groups) at " + derivedFromSplit + " step(s)");
    }
    if (countsAsFractions > 0) {
      notes.add("degenerate-group counts turned into fractions of the step's groups at " + countsAsFractions + " step(s)");
    }
    if (countsWithoutTotal > 0) {
      notes.add("degenerate-group counts without a group total at " + countsWithoutTotal
          + " step(s) left out: pass --groups-per-step N to turn them into fractions");
    }
    if (severalAgents > 0) {
      notes.add("solve rates of several agents at " + severalAgents + " step(s) (prime-rl train/agg/all/<agent>/solved_*):"
          + " not combined; map one with --field allPassFraction=... and --field allFailFraction=...");
    }
    if (nanValues > 0) {
      notes.add(nanValues + " NaN or infinite value(s) read as missing");
    }
    if (outOfUnitStep >= 0) {
      notes.add(String.format(Locale.ROOT, "rewards outside [0, 1] (first at step %d: %s): rewards are not binary,"
          + " so the binary closed forms (p*(G), predicted degenerate fractions) do not apply to this run",
          outOfUnitStep, Double.toString(outOfUnitValue)));
    } else {
      for (TrainingStep s : ordered) {
        if (!binaryConsistent(s)) {
          notes.add(String.format(Locale.ROOT, "a reward minimum or maximum strictly between 0 and 1 (first at step %d):"
              + " rewards are not 0/1-valued, so the binary closed forms do not apply to this run", s.step()));
          break;
        }
      }
    }
    return new TrainingLog(format.label(), ordered, skipped, notes, groupSize, plannedSteps, loggingSteps);
  }

  /** The steps in step order, a repeated step keeping its later record; counts the repeats. */
  private List<TrainingStep> sortKeepingLater(List<TrainingStep> arrived) {
    TreeMap<Long, Integer> last = new TreeMap<>();
    for (int i = 0; i < arrived.size(); i++) {
      if (last.put(arrived.get(i).step(), i) != null) {
        duplicates++;
      }
    }
    TrainingStep.ListBuilder sorted = TrainingStep.compactListBuilder();
    last.values().forEach(i -> sorted.add(arrived.get(i)));
    return sorted.build();
  }
}
