package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.Checks;
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
import org.jspecify.annotations.Nullable;

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
    add(values, reason -> skipLine(line, reason));
  }

  /**
   * Adds a record that has no line number of its own, such as a {@code log_history} entry; if it
   * cannot be a step, a note says so, naming it by {@code entry}.
   */
  void addEntry(String entry, Map<String, ?> values) {
    add(values, reason -> note(entry + " skipped: " + reason));
  }

  /** Lists a line that could not be used, with the reason. */
  void skipLine(int line, String reason) {
    skipped.add(new SkippedLine(line, reason));
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

  /** Adds a note for the reader of the log. */
  void note(String note) {
    notes.add(note);
  }

  /** Maps one record's values to a step, or hands {@code skip} the reason it cannot be one. */
  private void add(Map<String, ?> values, Consumer<String> skip) {
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
    TrainingStep.Builder b = TrainingStep.builder(step);
    try {
      number(values, "entropy").ifPresent(b::entropy);
      OptionalInt stepGroups = groups(values);
      stepGroups.ifPresent(b::groups);
      OptionalDouble degenerate = number(values, "degenerateFraction");
      OptionalDouble rewardStd = number(values, "rewardStd");
      Split split = split(values, stepGroups);
      split.allPass().ifPresent(b::allPassFraction);
      split.allFail().ifPresent(b::allFailFraction);
      if (degenerate.isPresent()) {
        b.degenerateFraction(degenerate.getAsDouble());
      } else if (split.degenerate().isPresent()) {
        b.degenerateFraction(split.degenerate().getAsDouble());
        derivedFromSplit++;
      } else if (rewardStd.isPresent() && rewardStd.getAsDouble() == 0.0) {
        // A zero std over the step's rewards: every group of the step was degenerate.
        b.degenerateFraction(1.0);
        derivedFromStd++;
      } else if (rewardStd.isPresent() && groupsPerStep.isPresent() && groupsPerStep.getAsInt() == 1) {
        // The step's one group had unequal rewards.
        b.degenerateFraction(0.0);
        derivedOneGroup++;
      }
      number(values, "predictedDegenerateFraction").ifPresent(b::predictedDegenerateFraction);
      rewardStd.ifPresent(b::rewardStd);
      reward(values, "reward", step).ifPresent(b::reward);
      reward(values, "rewardMin", step).ifPresent(b::rewardMin);
      reward(values, "rewardMax", step).ifPresent(b::rewardMax);
      number(values, "kl").ifPresent(b::kl);
      number(values, "clipFraction").ifPresent(b::clipFraction);
      number(values, "gradNorm").ifPresent(b::gradNorm);
      number(values, "clipFractionLow").ifPresent(b::clipFractionLow);
      number(values, "clipFractionHigh").ifPresent(b::clipFractionHigh);
      number(values, "genBatches").ifPresent(b::genBatches);
      TrainingStep built = b.build();
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
      inOrder &= step > lastStep;
      lastStep = Math.max(lastStep, step);
      steps.add(built);
    } catch (IllegalArgumentException e) {
      skip.accept(e.getMessage());
    }
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

  /** The step's number of groups: the record's, else the caller's {@code groupsPerStep}. */
  private OptionalInt groups(Map<String, ?> values) {
    OptionalDouble groups = number(values, "groups");
    if (groups.isPresent()) {
      double g = groups.getAsDouble();
      if (!(g >= 1 && g <= Integer.MAX_VALUE && g == Math.rint(g))) {
        throw new IllegalArgumentException("groups must be a whole number in [1, 2^31 - 1], was " + g);
      }
      return OptionalInt.of((int) g);
    }
    return groupsPerStep;
  }

  /** A reward field's value, remembering the first one outside [0, 1] for the closing note. */
  private OptionalDouble reward(Map<String, ?> values, String field, long step) {
    OptionalDouble v = number(values, field);
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
      if (raw != null) {
        return value(raw, field, alias);
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
    if (raw instanceof JsonNode node) {
      if (node.isNull()) {
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
      v = parse(raw.toString(), field + " ('" + key + "')");
    }
    if (!Double.isFinite(v)) {
      nanValues++;
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(v);
  }

  /** What a record says about its all-pass, all-fail and degenerate groups, as fractions of its groups. */
  private record Split(OptionalDouble allPass, OptionalDouble allFail, OptionalDouble degenerate, Source source) {
    static final Split NONE = none(Source.NONE);

    static Split none(Source source) {
      return new Split(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), source);
    }
  }

  /** Where a split came from, for the closing notes (counted only once the record became a step). */
  private enum Source { NONE, FRACTIONS, COUNTS, COUNTS_WITHOUT_TOTAL, SEVERAL_AGENTS }

  /**
   * The degenerate-group counters other trainers log, as fractions of the step's groups: solve
   * rates split into all-pass / all-fail / partial (prime-rl, rllm; counts rather than fractions
   * when they sum to more than 1, as rllm's old trainer logged them), slime's per-reward counts of
   * zero-std groups, and SkyRL's count of zero-variance groups. A count becomes a fraction over the
   * logged partial + all-pass + all-fail total, else over the step's groups (the record's, or
   * {@code --groups-per-step}); without either it is left out, and a note says so.
   */
  private Split split(Map<String, ?> values, OptionalInt groups) {
    OptionalDouble pass = number(values, "allPassFraction");
    OptionalDouble fail = number(values, "allFailFraction");
    OptionalDouble partial = number(values, "partialFraction");
    double slimeAll = 0;
    double slimePass = 0;
    double slimeFail = 0;
    boolean slime = false;
    @Nullable String agent = null;
    boolean manyAgents = false;
    Map<String, OptionalDouble> agentRates = new HashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(FieldMapping.SLIME_ZERO_STD)) {
        OptionalDouble count = value(e.getValue(), "degenerateGroups", key);
        double reward = parse(key.substring(FieldMapping.SLIME_ZERO_STD.length()), "the reward in '" + key + "'");
        if (count.isPresent()) {
          slime = true;
          slimeAll += count.getAsDouble();
          slimePass += reward == 1.0 ? count.getAsDouble() : 0;
          slimeFail += reward == 0.0 ? count.getAsDouble() : 0;
        }
      } else if (key.startsWith(FieldMapping.AGENT_PREFIX)) {
        Matcher m = FieldMapping.AGENT_SOLVE_RATE.matcher(key);
        if (m.matches()) {
          if (agent != null && !agent.equals(m.group(1))) {
            manyAgents = true;
            agentRates.clear();
            break;
          }
          agent = m.group(1);
          agentRates.put(m.group(2), value(e.getValue(), "allPassFraction", key));
        }
      }
    }
    if (pass.isEmpty() && fail.isEmpty() && !agentRates.isEmpty()) {
      pass = agentRates.getOrDefault("all", OptionalDouble.empty());
      fail = agentRates.getOrDefault("none", OptionalDouble.empty());
      partial = agentRates.getOrDefault("some", OptionalDouble.empty());
    }
    if (pass.isPresent() || fail.isPresent()) {
      double sum = pass.orElse(0) + fail.orElse(0) + partial.orElse(0);
      boolean counts = false;
      if (!Checks.atMostWithinTolerance(sum, 1.0)) { // counts of groups, not fractions
        double total;
        if (partial.isPresent()) {
          total = sum;
        } else if (groups.isPresent()) {
          total = groups.getAsInt();
        } else {
          return Split.none(Source.COUNTS_WITHOUT_TOTAL);
        }
        counts = true;
        pass = divide(pass, total);
        fail = divide(fail, total);
      }
      OptionalDouble degenerate = pass.isPresent() && fail.isPresent()
          ? OptionalDouble.of(Math.min(1.0, pass.getAsDouble() + fail.getAsDouble())) : OptionalDouble.empty();
      return new Split(pass, fail, degenerate, counts ? Source.COUNTS : Source.FRACTIONS);
    }
    OptionalDouble degenerateGroups = number(values, "degenerateGroups");
    if (!slime && degenerateGroups.isEmpty()) {
      return Split.none(manyAgents ? Source.SEVERAL_AGENTS : Source.NONE);
    }
    if (groups.isEmpty()) {
      return Split.none(Source.COUNTS_WITHOUT_TOTAL);
    }
    double g = groups.getAsInt();
    if (slime) {
      return new Split(OptionalDouble.of(slimePass / g), OptionalDouble.of(slimeFail / g), OptionalDouble.of(slimeAll / g),
          Source.COUNTS);
    }
    return new Split(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(degenerateGroups.getAsDouble() / g),
        Source.COUNTS);
  }

  private static OptionalDouble divide(OptionalDouble count, double total) {
    return count.isPresent() ? OptionalDouble.of(count.getAsDouble() / total) : count;
  }

  /** The text stripped and unwrapped ({@code np.float64(0.5)} becomes {@code 0.5}). */
  private static String unwrap(String text) {
    String s = text.strip();
    Matcher wrapped = WRAPPED.matcher(s);
    return wrapped.matches() ? wrapped.group(1).strip() : s;
  }

  /**
   * A number written as text, possibly wrapped ({@code np.float64(0.5)}), in {@link Numbers}'
   * grammar; NaN for the missing-value words.
   */
  private static double parse(String text, String label) {
    String s = unwrap(text);
    if (NOT_A_NUMBER.contains(s.toLowerCase(Locale.ROOT))) {
      return Double.NaN;
    }
    return Numbers.parseDouble(s, label);
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
      String why = skipped.isEmpty() ? "" : " (first problem, line " + skipped.get(0).line() + ": " + skipped.get(0).reason() + ")";
      throw new IllegalArgumentException(name + ": holds no training step" + why);
    }
    List<TrainingStep> ordered = steps.build();
    if (!inOrder) {
      ordered = sortKeepingLater(ordered);
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
