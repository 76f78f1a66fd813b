package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the logs real GRPO runs write into {@link TrainingLog}s, detecting the format:
 *
 * <ul>
 *   <li><b>trl</b>: a Hugging Face TRL {@code trainer_state.json}; its {@code log_history} entries
 *       with a {@code step} and training metrics (summary and evaluation entries are left out);
 *   <li><b>verl</b>: verl console lines ({@code step:12 - actor/entropy:0.41 - critic/score/mean:0.3
 *       - …}, values possibly wrapped as {@code np.float64(…)}) anywhere in a text log, or JSON
 *       lines with verl metric names, flat or as {@code {"step": n, "data": {…}}};
 *   <li><b>jsonl</b> and <b>csv</b>: one object or row per step with any field names, mapped by
 *       the aliases below or by the caller's mapping.
 * </ul>
 *
 * <p><b>Field aliases</b> (first present wins; a caller's mapping replaces an entry): step
 * ({@code step, global_step, training/global_step, _step}), entropy ({@code entropy,
 * actor/entropy}), degenerateFraction ({@code frac_reward_zero_std, degenerate_fraction,
 * degenerateFraction}), predictedDegenerateFraction, groups, reward ({@code reward,
 * critic/score/mean, rewards/mean}), rewardStd ({@code reward_std, critic/score/std}), rewardMin
 * ({@code critic/score/min}), rewardMax ({@code critic/score/max}), kl ({@code kl,
 * actor/kl_loss}), clipFraction ({@code clip_ratio/region_mean, actor/pg_clipfrac}), gradNorm
 * ({@code grad_norm, actor/grad_norm}).
 *
 * <p><b>Tolerance.</b> Missing and extra fields are fine; {@code "NaN"}, {@code nan} and
 * infinities read as missing; a malformed line, a line without a step or with an impossible
 * value is listed in {@link TrainingLog#skipped()} with its number and reason, and the rest of the
 * log is kept; a malformed <em>last</em> line is reported as truncated (the log is still being
 * written); steps are sorted, and a repeated step keeps its later record.
 *
 * <p><b>Derived, and no more.</b> TRL's {@code reward_std} is zero only when every group of the
 * step was degenerate (in old versions it was the mean of per-group stds, now the std of all the
 * step's rewards): such steps get a degenerate fraction of 1 when the log has no
 * {@code frac_reward_zero_std}. With one group per step (pass {@code groupsPerStep = 1}) a
 * non-zero {@code reward_std} means a fraction of 0. Rewards outside [0, 1] are noted: the binary
 * closed forms do not apply to such a run.
 */
public final class TrainingLogs {
  private TrainingLogs() {}

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final Pattern CONSOLE = Pattern.compile("(?:^|[\\s)])step:(\\d+) - (.*)$");
  private static final Pattern WRAPPED = Pattern.compile("^[A-Za-z_.0-9]+\\((.*)\\)$");

  /** Our field names, in output order. */
  public static final List<String> FIELDS = List.of("step", "entropy", "degenerateFraction",
      "predictedDegenerateFraction", "groups", "reward", "rewardStd", "rewardMin", "rewardMax", "kl",
      "clipFraction", "gradNorm");

  private static final Map<String, List<String>> ALIASES = new LinkedHashMap<>();

  static {
    ALIASES.put("step", List.of("step", "global_step", "training/global_step", "_step"));
    ALIASES.put("entropy", List.of("entropy", "actor/entropy"));
    ALIASES.put("degenerateFraction", List.of("frac_reward_zero_std", "degenerate_fraction", "degenerateFraction"));
    ALIASES.put("predictedDegenerateFraction", List.of("predicted_degenerate_fraction", "predictedDegenerateFraction"));
    ALIASES.put("groups", List.of("groups", "num_groups"));
    ALIASES.put("reward", List.of("reward", "critic/score/mean", "rewards/mean"));
    ALIASES.put("rewardStd", List.of("reward_std", "critic/score/std", "rewardStd"));
    ALIASES.put("rewardMin", List.of("critic/score/min", "reward_min", "rewardMin"));
    ALIASES.put("rewardMax", List.of("critic/score/max", "reward_max", "rewardMax"));
    ALIASES.put("kl", List.of("kl", "actor/kl_loss"));
    ALIASES.put("clipFraction", List.of("clip_ratio/region_mean", "actor/pg_clipfrac", "clip_fraction", "clipFraction"));
    ALIASES.put("gradNorm", List.of("grad_norm", "actor/grad_norm", "gradNorm"));
  }

  /** Reads a log with the default aliases. */
  public static TrainingLog read(Path file) {
    return read(file, Map.of(), OptionalInt.empty());
  }

  /**
   * Reads a log.
   *
   * @param fields our field name → the log's field name, overriding the aliases (keys from
   *     {@link #FIELDS})
   * @param groupsPerStep the number of groups each step holds, when the user knows it
   * @throws IllegalArgumentException if the file cannot be read, is empty, is a malformed
   *     {@code trainer_state.json}, holds no usable step, or a mapping key is unknown
   */
  public static TrainingLog read(Path file, Map<String, String> fields, OptionalInt groupsPerStep) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file.toString(), text, fields, groupsPerStep);
  }

  /**
   * Parses a log's text; {@code name} only labels messages.
   *
   * @throws IllegalArgumentException as {@link #read(Path, Map, OptionalInt)}
   */
  public static TrainingLog parse(String name, String text, Map<String, String> fields, OptionalInt groupsPerStep) {
    Map<String, List<String>> aliases = new LinkedHashMap<>(ALIASES);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (!ALIASES.containsKey(e.getKey())) {
        throw new IllegalArgumentException("field mapping key must be one of " + FIELDS + ", was '" + e.getKey() + "'");
      }
      aliases.put(e.getKey(), List.of(e.getValue()));
    }
    if (groupsPerStep.isPresent()) {
      Checks.atLeast("groupsPerStep", groupsPerStep.getAsInt(), 1);
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(name + ": is empty");
    }
    Reader reader = new Reader(name, aliases, groupsPerStep);
    if (trimmed.startsWith("{") && trimmed.contains("\"log_history\"")) {
      reader.trl(text);
    } else if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      reader.csv(text);
    } else {
      reader.lines(text);
    }
    return reader.finish();
  }

  /** The state of one read. */
  private static final class Reader {
    final String name;
    final Map<String, List<String>> aliases;
    final OptionalInt groupsPerStep;
    final TreeMap<Long, TrainingStep> steps = new TreeMap<>();
    final List<SkippedLine> skipped = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    String format = "jsonl";
    boolean sawVerlKeys;
    int duplicates;
    int derivedFromStd;
    int derivedOneGroup;
    long outOfUnitStep = -1;
    double outOfUnitValue;
    int nanValues;
    boolean sawConsole;
    final List<Integer> nonMetric = new ArrayList<>();

    Reader(String name, Map<String, List<String>> aliases, OptionalInt groupsPerStep) {
      this.name = name;
      this.aliases = aliases;
      this.groupsPerStep = groupsPerStep;
    }

    void trl(String text) {
      format = "trl";
      JsonNode root;
      try {
        root = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(name + ": malformed or truncated trainer_state.json at line "
            + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
      }
      JsonNode history = root.get("log_history");
      if (history == null || !history.isArray()) {
        throw new IllegalArgumentException(name + ": \"log_history\" must be an array");
      }
      for (int i = 0; i < history.size(); i++) {
        JsonNode entry = history.get(i);
        // Summary ("train_runtime") and evaluation ("eval_*") entries are not training steps.
        if (!entry.isObject() || entry.has("train_runtime") || !(entry.has("reward") || entry.has("entropy") || entry.has("loss"))) {
          continue;
        }
        Map<String, Object> values = new HashMap<>();
        entry.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        add(values, "log_history[" + i + "]", -1);
      }
    }

    void csv(String text) {
      format = "csv";
      CSVFormat csvFormat = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
          .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
      try (CSVParser parser = CSVParser.parse(new StringReader(text), csvFormat)) {
        List<String> header = parser.getHeaderNames();
        for (CSVRecord record : parser) {
          int line = (int) record.getRecordNumber() + 1;
          if (!record.isConsistent()) {
            skipped.add(new SkippedLine(line, "expected " + header.size() + " fields, found " + record.size()));
            continue;
          }
          Map<String, Object> values = new HashMap<>();
          for (String column : header) {
            values.put(column, record.get(column));
          }
          add(values, "line " + line, line);
        }
      } catch (IOException | UncheckedIOException e) {
        throw new IllegalArgumentException(name + ": malformed CSV: " + e.getMessage(), e);
      }
    }

    void lines(String text) {
      String[] lines = text.split("\r?\n", -1);
      int last = lines.length;
      while (last > 0 && lines[last - 1].isBlank()) {
        last--;
      }
      boolean endsWithNewline = text.endsWith("\n");
      for (int i = 0; i < last; i++) {
        String line = lines[i].strip();
        int number = i + 1;
        boolean isLast = i == last - 1;
        if (line.isEmpty()) {
          continue;
        }
        Matcher console = CONSOLE.matcher(line);
        if (line.startsWith("{")) {
          json(line, number, isLast && !endsWithNewline);
        } else if (console.find()) {
          format = "verl";
          sawConsole = true;
          Map<String, Object> values = new HashMap<>();
          values.put("step", console.group(1));
          for (String pair : console.group(2).split(" - ")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
              values.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
            }
          }
          if (isLast && !endsWithNewline) {
            notes.add("the last line has no newline: it may be incomplete (log still being written)");
          }
          add(values, "line " + number, number);
        } else {
          nonMetric.add(number);
        }
      }
    }

    private void json(String line, int number, boolean unterminatedLast) {
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        skipped.add(new SkippedLine(number, unterminatedLast
            ? "truncated last line (the log is still being written?)"
            : "malformed JSON: " + e.getOriginalMessage()));
        return;
      }
      if (!node.isObject()) {
        skipped.add(new SkippedLine(number, "expected a JSON object"));
        return;
      }
      Map<String, Object> values = new HashMap<>();
      node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
      JsonNode data = node.get("data");
      if (data != null && data.isObject()) {
        data.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
      }
      add(values, "line " + number, number);
    }

    /** Maps one record's values to a step; {@code line} is -1 for TRL entries. */
    private void add(Map<String, Object> values, String where, int line) {
      for (String key : values.keySet()) {
        if (key.startsWith("actor/") || key.startsWith("critic/")) {
          sawVerlKeys = true;
        }
      }
      OptionalDouble stepValue = number(values, "step");
      if (stepValue.isEmpty() || !(stepValue.getAsDouble() >= 0) || stepValue.getAsDouble() != Math.rint(stepValue.getAsDouble())) {
        skip(line, where, "no non-negative integer step");
        return;
      }
      long step = (long) stepValue.getAsDouble();
      TrainingStep.Builder b = TrainingStep.builder(step);
      try {
        number(values, "entropy").ifPresent(b::entropy);
        OptionalDouble degenerate = number(values, "degenerateFraction");
        OptionalDouble rewardStd = number(values, "rewardStd");
        if (degenerate.isPresent()) {
          b.degenerateFraction(degenerate.getAsDouble());
        } else if (rewardStd.isPresent() && rewardStd.getAsDouble() == 0.0) {
          b.degenerateFraction(1.0);
          derivedFromStd++;
        } else if (rewardStd.isPresent() && groupsPerStep.isPresent() && groupsPerStep.getAsInt() == 1) {
          b.degenerateFraction(0.0);
          derivedOneGroup++;
        }
        number(values, "predictedDegenerateFraction").ifPresent(b::predictedDegenerateFraction);
        OptionalDouble groups = number(values, "groups");
        if (groups.isPresent()) {
          b.groups((int) groups.getAsDouble());
        } else if (groupsPerStep.isPresent()) {
          b.groups(groupsPerStep.getAsInt());
        }
        rewardStd.ifPresent(b::rewardStd);
        for (String field : new String[] {"reward", "rewardMin", "rewardMax"}) {
          OptionalDouble v = number(values, field);
          if (v.isPresent()) {
            if (!(v.getAsDouble() >= 0.0 && v.getAsDouble() <= 1.0) && outOfUnitStep < 0) {
              outOfUnitStep = step;
              outOfUnitValue = v.getAsDouble();
            }
            switch (field) {
              case "reward" -> b.reward(v.getAsDouble());
              case "rewardMin" -> b.rewardMin(v.getAsDouble());
              default -> b.rewardMax(v.getAsDouble());
            }
          }
        }
        number(values, "kl").ifPresent(b::kl);
        number(values, "clipFraction").ifPresent(b::clipFraction);
        number(values, "gradNorm").ifPresent(b::gradNorm);
        if (steps.put(step, b.build()) != null) {
          duplicates++;
        }
      } catch (IllegalArgumentException e) {
        skip(line, where, e.getMessage());
      }
    }

    private void skip(int line, String where, String reason) {
      if (line > 0) {
        skipped.add(new SkippedLine(line, reason));
      } else {
        notes.add(where + " skipped: " + reason);
      }
    }

    /** The first alias present, as a finite double; NaN and infinities read as missing. */
    private OptionalDouble number(Map<String, Object> values, String field) {
      for (String alias : aliases.get(field)) {
        Object raw = values.get(alias);
        if (raw == null) {
          continue;
        }
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
            throw new IllegalArgumentException(field + " ('" + alias + "') must be a number, was " + node);
          }
        } else {
          v = parse(raw.toString(), field + " ('" + alias + "')");
        }
        if (!Double.isFinite(v)) {
          nanValues++;
          return OptionalDouble.empty();
        }
        return OptionalDouble.of(v);
      }
      return OptionalDouble.empty();
    }

    private static final Set<String> NOT_A_NUMBER = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf",
        "infinity", "+infinity", "-infinity", "none", "null", "");

    private static double parse(String text, String field) {
      String s = text.strip();
      Matcher wrapped = WRAPPED.matcher(s);
      if (wrapped.matches()) {
        s = wrapped.group(1).strip();
      }
      if (NOT_A_NUMBER.contains(s.toLowerCase(Locale.ROOT))) {
        return Double.NaN;
      }
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + " must be a number, was '" + text + "'");
      }
    }

    TrainingLog finish() {
      if (sawConsole) {
        // A console log is mostly other output (progress bars, warnings): only metric lines count.
        if (!nonMetric.isEmpty()) {
          notes.add(nonMetric.size() + " non-metric console line(s) ignored");
        }
      } else {
        for (int line : nonMetric) {
          skipped.add(new SkippedLine(line, "neither a JSON object nor a 'step:N - key:value' metric line"));
        }
        skipped.sort(java.util.Comparator.comparingInt(SkippedLine::line));
      }
      if (steps.isEmpty()) {
        String why = skipped.isEmpty() ? "" : " (first problem, line " + skipped.get(0).line() + ": " + skipped.get(0).reason() + ")";
        throw new IllegalArgumentException(name + ": holds no training step" + why);
      }
      if ("jsonl".equals(format) && sawVerlKeys) {
        format = "verl";
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
      if (nanValues > 0) {
        notes.add(nanValues + " NaN or infinite value(s) read as missing");
      }
      if (outOfUnitStep >= 0) {
        notes.add(String.format(Locale.ROOT, "rewards outside [0, 1] (first at step %d: %s): rewards are not binary,"
            + " so the binary closed forms (p*(G), predicted degenerate fractions) do not apply to this run",
            outOfUnitStep, Double.toString(outOfUnitValue)));
      }
      return new TrainingLog(format, new ArrayList<>(steps.values()), skipped, notes);
    }
  }

  /**
   * Whether the log's rewards stayed within [0, 1], the precondition of the binary closed forms
   * (necessary, not sufficient: a mean in [0, 1] can hide other reward values).
   */
  public static boolean rewardsWithinUnitInterval(TrainingLog log) {
    for (TrainingStep s : log.steps()) {
      for (OptionalDouble v : List.of(s.reward(), s.rewardMin(), s.rewardMax())) {
        if (v.isPresent() && !(v.getAsDouble() >= 0.0 && v.getAsDouble() <= 1.0)) {
          return false;
        }
      }
    }
    return true;
  }
}
