package io.github.rlvrdiagnostics.logs;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The reader of comma-separated values: a header row names the fields, each later row is one
 * record. Spaces around values are ignored, as are empty lines; a row with the wrong number of
 * fields is skipped.
 */
final class CsvReader implements LogReader {
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
      .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

  @Override
  public LogFormat read(String text, StepCollector out) {
    try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
      List<String> header = parser.getHeaderNames();
      for (CSVRecord record : parser) {
        // The header is line 1 and records count from 1: the row's line unless blank lines or
        // quoted line breaks come before it.
        int line = (int) record.getRecordNumber() + 1;
        if (!record.isConsistent()) {
          out.skipLine(line, "expected " + header.size() + " fields, found " + record.size());
          continue;
        }
        Map<String, String> values = new HashMap<>();
        for (String column : header) {
          values.put(column, record.get(column));
        }
        out.addLine(line, values);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(out.name() + ": malformed CSV: " + e.getMessage(), e);
    }
    return LogFormat.CSV;
  }
}
