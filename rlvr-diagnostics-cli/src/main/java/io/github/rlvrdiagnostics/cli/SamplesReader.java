package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.logs.Numbers;
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
 * Files must be at most {@link Inputs#MAX_FILE_BYTES} (less on a small heap); a JSON line must
 * be one object without duplicate keys or trailing data; CSV column names must be unique.
 *
 * <p>{@link #read} is strict: the first bad line (or invalid UTF-8 anywhere) ends the read. {@link
 * #readLenient} loses nothing: a bad line or row — malformed JSON, invalid UTF-8 in a
 * JSON-lines file, bad counts (a count beyond 2^31 − 1 included: counts are read with {@link
 * Numbers}, never wrapped) — is skipped and listed (file, line, reason), every good line is kept,
 * and the read fails only when no good problem remains (its message then quotes the first bad
 * line). It also warns when the tasks' {@code n} differ. Errors of the whole file (no such file,
 * a CSV header without the columns, CSV that cannot be parsed on, a task with more than 2^31 − 1
 * samples, and per-sample lines mixed with per-problem lines, named by the first line of the
 * other kind than the file's first good line) still end it.
 */
final class SamplesReader {
  private SamplesReader() {}

  /** A line of the other kind than the file's first good line: an error of the whole file, even when lenient. */
  private static final class MixedKinds extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MixedKinds(String message) {
      super(message);
    }
  }

  private static final class Counts {
    long n;
    long c;
  }

  /**
   * What a lenient read found: the problems, and the lines for stderr (skipped lines, warnings)
   * to print once the command is sure to succeed.
   */
  record Samples(List<ProblemSamples> problems, List<String> warnings) {}

  /**
   * Reads strictly: the first bad line is an {@link InputException}.
   *
   * @param chooseColumn how the caller's user names the pass-count column (an option, a field),
   *     for the message about a CSV without it
   */
  static List<ProblemSamples> read(Path file, String countColumn, String chooseColumn) {
    return read(file, countColumn, chooseColumn, null).problems();
  }

  /** Reads leniently for {@code passk}: bad lines are skipped and listed in {@link Samples#warnings()}. */
  static Samples readLenient(Path file, String countColumn) {
    return read(file, countColumn, "--c-column", new ArrayList<>());
  }

  /** Reads; {@code skipped} collects the bad lines' messages, or is null to fail on the first. */
  private static Samples read(Path file, String countColumn, String chooseColumn, List<String> skipped) {
    boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    Map<String, Counts> pooled;
    if (csv || skipped == null) {
      String text = Inputs.readUtf8(file);
      pooled = csv ? readCsv(file, text, countColumn, chooseColumn, skipped) : readJsonLines(file, text.lines().toList(), skipped);
    } else {
      pooled = readJsonLines(file, lenientLines(file, skipped), skipped);
    }
    if (pooled.isEmpty()) {
      if (skipped != null && !skipped.isEmpty()) {
        throw new InputException(file + ": holds no good problem; " + skipped.get(0)
            + (skipped.size() > 1 ? " (and " + (skipped.size() - 1) + " more bad lines)" : ""));
      }
      throw new InputException(file + ": holds no problems");
    }
    List<ProblemSamples> problems = new ArrayList<>();
    for (Map.Entry<String, Counts> e : pooled.entrySet()) {
      if (e.getValue().n > Integer.MAX_VALUE) {
        throw new InputException(file + ": task '" + Inputs.cut(e.getKey()) + "' has more than 2^31 - 1 samples");
      }
      problems.add(ProblemSamples.of(e.getKey(), (int) e.getValue().n, (int) e.getValue().c));
    }
    List<String> warnings = new ArrayList<>();
    if (skipped != null) {
      for (String message : skipped) {
        warnings.add(skippedLine(file, message));
      }
      ProblemSamples fewest = problems.get(0);
      ProblemSamples most = problems.get(0);
      for (ProblemSamples p : problems) {
        fewest = p.n() < fewest.n() ? p : fewest;
        most = p.n() > most.n() ? p : most;
      }
      if (fewest.n() != most.n()) {
        warnings.add(String.format(Locale.ROOT, "warning: %s: tasks have different sample counts n, from %d (task '%s') "
            + "to %d (task '%s'): each pass@k is estimated from its own n, and k is limited by the smallest",
            file, fewest.n(), Inputs.cut(fewest.id()), most.n(), Inputs.cut(most.id())));
      }
    }
    return new Samples(problems, warnings);
  }

  /** "FILE: skipped line N: reason" from a message "FILE:N: reason". */
  private static String skippedLine(Path file, String message) {
    String prefix = file + ":";
    if (message.startsWith(prefix)) {
      String rest = message.substring(prefix.length());
      int colon = rest.indexOf(": ");
      if (colon > 0 && rest.substring(0, colon).chars().allMatch(Character::isDigit)) {
        return file + ": skipped line " + rest.substring(0, colon) + ": " + rest.substring(colon + 2);
      }
    }
    return "skipped: " + message;
  }

  /**
   * The file's lines; when it is not valid UTF-8 as a whole, each {@code \n}-ended line is decoded
   * on its own and a line that is not valid UTF-8 is skipped (null in the list).
   */
  private static List<String> lenientLines(Path file, List<String> skipped) {
    byte[] bytes = Inputs.readBytes(file, 6);
    try {
      return Inputs.utf8(file, bytes).lines().toList();
    } catch (InputException e) {
      // decoded line by line below
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    // Lines end at \n, \r\n or a lone \r, as String.lines() splits them when the file decodes.
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n' || bytes[i] == '\r') {
        if (i == bytes.length && start == i) {
          break;
        }
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, start, i - start);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(i - start);
        if (decoder.decode(in, out, true).isError()) {
          skipped.add(file + ":" + (lines.size() + 1) + ": not valid UTF-8 at byte " + in.position());
          lines.add(null);
        } else {
          decoder.flush(out);
          String line = out.flip().toString();
          lines.add(lines.isEmpty() && line.startsWith("\uFEFF") ? line.substring(1) : line);
        }
        if (i < bytes.length - 1 && bytes[i] == '\r' && bytes[i + 1] == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    return lines;
  }

  /** {@code a + b} for non-negative counts, {@link Long#MAX_VALUE} instead of overflowing. */
  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static Map<String, Counts> readJsonLines(Path file, List<String> lines, List<String> skipped) {
    Map<String, Counts> pooled = new LinkedHashMap<>();
    Boolean perSample = null;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i) == null) {
        continue; // not valid UTF-8, already listed
      }
      String line = lines.get(i).strip();
      String where = file + ":" + (i + 1) + ": ";
      if (line.isEmpty()) {
        continue;
      }
      try {
        perSample = jsonLine(line, where, i + 1, perSample, pooled);
      } catch (MixedKinds e) {
        throw new InputException(e.getMessage(), e);
      } catch (InputException e) {
        if (skipped == null) {
          throw e;
        }
        skipped.add(e.getMessage());
      }
    }
    return pooled;
  }

  /**
   * Reads one JSON line into {@code pooled}, only once it is known to be good; returns whether
   * the file holds per-sample lines.
   */
  private static boolean jsonLine(String line, String where, int lineNumber, Boolean perSample,
      Map<String, Counts> pooled) {
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
      throw new MixedKinds(where + (sampleLine ? "a per-sample line (\"passed\")" : "a per-problem line (\"n\", \"c\")")
          + " in a file of " + (sampleLine ? "per-problem" : "per-sample") + " lines: a file must hold one kind"
          + " (pooled, the two would count a problem's samples twice or not at all); split it");
    }
    String id = taskId(node, sampleLine, lineNumber, where);
    if (sampleLine) {
      JsonNode passed = node.get("passed");
      if (!passed.isBoolean()) {
        throw new InputException(where + "\"passed\" must be true or false, was " + Inputs.cut(passed));
      }
      Counts counts = pooled.computeIfAbsent(id, k -> new Counts());
      counts.n++;
      counts.c += passed.booleanValue() ? 1 : 0;
    } else {
      long n = count(node, "n", where);
      long c = count(node, "c", where);
      if (!(n >= 1 && c <= n)) {
        throw new InputException(where + "needs 1 <= n and c <= n, was n=" + n + ", c=" + c);
      }
      Counts counts = pooled.computeIfAbsent(id, k -> new Counts());
      counts.n = add(counts.n, n);
      counts.c = add(counts.c, c);
    }
    return sampleLine;
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
    if (value == null || !value.isNumber()) {
      throw new InputException(where + "\"" + field + "\" must be a non-negative integer, was " + Inputs.cut(value));
    }
    long count;
    try {
      count = Numbers.exactLong(value, where + "\"" + field + "\"");
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    return inRange(count, field, where, Inputs.cut(value));
  }

  /**
   * A count checked to lie in [0, 2^31 - 1], the range of {@link ProblemSamples}: a larger one is
   * refused with its line rather than summed into a task that is refused later without one.
   */
  private static long inRange(long count, String field, String where, String written) {
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw new InputException(where + "'" + field + "' must be a non-negative integer of at most 2^31 - 1, was " + written);
    }
    return count;
  }

  private static Map<String, Counts> readCsv(Path file, String text, String countColumn, String chooseColumn,
      List<String> skipped) {
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
            + "' (choose the pass-count column with " + chooseColumn + "), has " + Inputs.cut(header));
      }
      String idColumn = header.contains("task_id") ? "task_id" : header.get(0);
      Map<String, Counts> pooled = new LinkedHashMap<>();
      for (CSVRecord record : parser) {
        String where = file + ":" + (record.getRecordNumber() + 1) + ": ";
        try {
          csvRecord(record, header, countColumn, idColumn, where, pooled);
        } catch (InputException e) {
          if (skipped == null) {
            throw e;
          }
          skipped.add(e.getMessage());
        }
      }
      return pooled;
    } catch (IOException | java.io.UncheckedIOException e) {
      // The cause's own message: an UncheckedIOException's names the cause's class
      // (org.apache.commons.csv.CSVException), which means nothing to a user.
      Throwable cause = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
      throw new InputException(file + ": cannot read CSV: " + Inputs.cut(cause.getMessage()), e);
    }
  }

  /** Reads one CSV record into {@code pooled}, only once it is known to be good. */
  private static void csvRecord(CSVRecord record, List<String> header, String countColumn, String idColumn,
      String where, Map<String, Counts> pooled) {
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

  private static long parseCount(String text, String column, String where) {
    if (!Numbers.isInteger(text.strip())) { // ASCII digits only: no "٤", "４", "4d"
      throw new InputException(where + "'" + column + "' must be a non-negative integer, was '" + Inputs.cut(text) + "'");
    }
    long value;
    try {
      value = Numbers.parseLong(text.strip(), where + "'" + column + "'");
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    return inRange(value, column, where, "'" + Inputs.cut(text) + "'");
  }
}
