package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads per-problem sampling results into {@link ProblemSamples}, pooling by task id in
 * first-seen order.
 *
 * <ul>
 *   <li>JSON lines, per problem: {@code {"task_id": …, "n": 10, "c": 3}};
 *   <li>JSON lines, per sample, as OpenAI human-eval's {@code evaluate_functional_correctness}
 *       writes them: {@code {"task_id": …, "passed": true, …}};
 *   <li>CSV ({@code .csv}) with a header, an {@code n} column and a pass-count column.
 * </ul>
 * Lines (or rows) with the same task id are pooled: their {@code n} and {@code c} add up, as
 * results from several sampling seeds should. Every problem is reported with file and line.
 * Files must be valid UTF-8 and at most {@link Inputs#MAX_FILE_BYTES} (less on a small heap);
 * a JSON line must be one object without duplicate keys or trailing data; CSV column names must
 * be unique.
 */
final class SamplesReader {
  private SamplesReader() {}

  private static final class Counts {
    long n;
    long c;
  }

  static List<ProblemSamples> read(Path file, String countColumn) {
    String text = Inputs.readUtf8(file);
    Map<String, Counts> pooled = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
        ? readCsv(file, text, countColumn)
        : readJsonLines(file, text);
    if (pooled.isEmpty()) {
      throw new InputException(file + ": holds no problems");
    }
    List<ProblemSamples> problems = new ArrayList<>();
    for (Map.Entry<String, Counts> e : pooled.entrySet()) {
      if (e.getValue().n > Integer.MAX_VALUE) {
        throw new InputException(file + ": task '" + Inputs.cut(e.getKey()) + "' has more than 2^31 - 1 samples");
      }
      problems.add(ProblemSamples.of(e.getKey(), (int) e.getValue().n, (int) e.getValue().c));
    }
    return problems;
  }

  /** {@code a + b} for non-negative counts, {@link Long#MAX_VALUE} instead of overflowing. */
  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static Map<String, Counts> readJsonLines(Path file, String text) {
    List<String> lines = text.lines().toList();
    Map<String, Counts> pooled = new LinkedHashMap<>();
    Boolean perSample = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String where = file + ":" + (i + 1) + ": ";
      if (line.isEmpty()) {
        continue;
      }
      JsonNode node = Inputs.json(line, where, false);
      if (!node.isObject()) {
        throw new InputException(where + "expected a JSON object, found " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
      }
      boolean sampleLine = node.has("passed");
      boolean problemLine = node.has("n") || node.has("c");
      if (sampleLine == problemLine) {
        throw new InputException(where + "expected either \"passed\" (one sample) or \"n\" and \"c\" (one problem)");
      }
      if (perSample != null && perSample != sampleLine) {
        throw new InputException(where + "mixes per-sample and per-problem lines");
      }
      perSample = sampleLine;
      String id = taskId(node, sampleLine, i + 1, where);
      Counts counts = pooled.computeIfAbsent(id, k -> new Counts());
      if (sampleLine) {
        JsonNode passed = node.get("passed");
        if (!passed.isBoolean()) {
          throw new InputException(where + "\"passed\" must be true or false, was " + Inputs.cut(passed));
        }
        counts.n++;
        counts.c += passed.booleanValue() ? 1 : 0;
      } else {
        long n = count(node, "n", where);
        long c = count(node, "c", where);
        if (!(n >= 1 && c <= n)) {
          throw new InputException(where + "needs 1 <= n and c <= n, was n=" + n + ", c=" + c);
        }
        counts.n = add(counts.n, n);
        counts.c = add(counts.c, c);
      }
    }
    return pooled;
  }

  private static String taskId(JsonNode node, boolean required, int lineNumber, String where) {
    JsonNode id = node.get("task_id");
    if (id == null || id.isNull()) {
      if (required) {
        throw new InputException(where + "per-sample lines need a \"task_id\"");
      }
      return "line " + lineNumber;
    }
    return id.isTextual() ? id.textValue() : id.toString();
  }

  private static long count(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || value.asLong() < 0) {
      throw new InputException(where + "\"" + field + "\" must be a non-negative integer, was " + Inputs.cut(value));
    }
    return value.asLong();
  }

  private static Map<String, Counts> readCsv(Path file, String text, String countColumn) {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
        .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL) // reported below, by name
        .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
    try (CSVParser parser = CSVParser.parse(text, format)) {
      List<String> header = parser.getHeaderNames();
      Set<String> unique = new HashSet<>();
      for (String column : header) {
        if (!unique.add(column)) {
          throw new InputException(file + ":1: duplicate column '" + Inputs.cut(column) + "' in the header");
        }
      }
      if (!header.contains("n") || !header.contains(countColumn)) {
        throw new InputException(file + ": needs columns 'n' and '" + countColumn
            + "' (choose the pass-count column with --c-column), has " + Inputs.cut(header));
      }
      String idColumn = header.contains("task_id") ? "task_id" : header.get(0);
      Map<String, Counts> pooled = new LinkedHashMap<>();
      for (CSVRecord record : parser) {
        String where = file + ":" + (record.getRecordNumber() + 1) + ": ";
        if (!record.isConsistent()) {
          throw new InputException(where + "expected " + header.size() + " fields, found " + record.size());
        }
        long n = parseCount(record.get("n"), "n", where);
        long c = parseCount(record.get(countColumn), countColumn, where);
        if (!(n >= 1 && c <= n)) {
          throw new InputException(where + "needs 1 <= n and " + countColumn + " <= n, was n=" + n + ", "
              + countColumn + "=" + c);
        }
        Counts counts = pooled.computeIfAbsent(record.get(idColumn), k -> new Counts());
        counts.n = add(counts.n, n);
        counts.c = add(counts.c, c);
      }
      return pooled;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new InputException(file + ": cannot read CSV: " + Inputs.cut(e.getMessage()), e);
    }
  }

  private static long parseCount(String text, String column, String where) {
    try {
      long value = Long.parseLong(text.strip());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(where + "'" + column + "' must be a non-negative integer, was '" + Inputs.cut(text) + "'");
  }
}
