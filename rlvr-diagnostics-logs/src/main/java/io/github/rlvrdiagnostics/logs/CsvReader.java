package io.github.rlvrdiagnostics.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * The reader of comma-separated values: a header row names the fields, each later row is one
 * record. Spaces around values are ignored, as are empty lines. Read one line at a time: a row is
 * one line (metric logs do not quote line breaks), so that a malformed row (an unclosed quote,
 * text after a closing quote, the wrong number of fields, invalid UTF-8) is skipped with its line
 * number and reason and every other row is kept. A last row without its newline is held back as
 * incomplete.
 */
final class CsvReader implements LogReader {
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get();

  @Override
  public LogFormat read(InputStream in, StepCollector out) throws IOException {
    Session session = new Session(out);
    LineSource lines = new LineSource(in);
    for (LineSource.Line line = lines.next(); line != null; line = lines.next()) {
      session.accept(line);
    }
    return session.finish();
  }

  /** The fields of one row, or the reason it cannot be parsed. */
  private static List<String> fields(String line) {
    try (CSVParser parser = CSVParser.parse(line, FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() != 1) {
        throw new IllegalArgumentException("malformed CSV row: expected one record, found " + records.size());
      }
      List<String> fields = new ArrayList<>();
      records.get(0).forEach(fields::add);
      return fields;
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw new IllegalArgumentException("malformed CSV row: " + e.getMessage(), e);
    }
  }

  /** The state of one read, fed line by line. */
  static final class Session implements LineConsumer {
    private final StepCollector out;
    private @Nullable List<String> header;

    Session(StepCollector out) {
      this.out = out;
    }

    @Override
    public void accept(LineSource.Line line) {
      if (line.text() == null) {
        out.skipLine(line.number(), String.valueOf(line.error()));
        return;
      }
      if (line.text().isBlank()) {
        return;
      }
      if (!line.terminated()) {
        out.skipLine(line.number(), StepCollector.INCOMPLETE_LAST_LINE);
        return;
      }
      List<String> row;
      try {
        row = fields(line.text());
      } catch (IllegalArgumentException e) {
        if (header == null) {
          throw new IllegalArgumentException(out.name() + ": malformed CSV header (line " + line.number() + "): "
              + e.getMessage(), e);
        }
        out.skipLine(line.number(), e.getMessage());
        return;
      }
      List<String> names = header;
      if (names == null) {
        header = List.copyOf(row);
        if (!out.hasStep(header)) {
          throw new IllegalArgumentException(out.name() + ": the CSV header (line " + line.number() + ") has no step column: "
              + String.join(", ", header) + "; name it with --field step=COLUMN");
        }
        return;
      }
      if (row.size() != names.size()) {
        out.skipLine(line.number(), "expected " + names.size() + " fields, found " + row.size());
        return;
      }
      Map<String, Object> values = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        StepCollector.put(values, names.get(i), row.get(i));
      }
      out.addLine(line.number(), values);
    }

    @Override
    public LogFormat finish() {
      return LogFormat.CSV;
    }
  }
}
