package io.github.rlvrdiagnostics.logs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reader of verl console metric lines, {@code step:12 - actor/entropy:0.41 - critic/score/mean:0.3
 * - …}, wherever they start on the line (verl's Ray workers prefix their output, as in
 * {@code (TaskRunner pid=222265) step:34 - …}). Each such line is one record; a part without a
 * {@code key:} is ignored. A last line without its newline is held back
 * as incomplete: its last value may be cut short.
 */
final class VerlConsoleReader implements LineReader {
  private static final Pattern CONSOLE = Pattern.compile("(?:^|[\\s)])step:(\\d+) - (.*)$");

  @Override
  public Optional<LogFormat> read(String line, int number, boolean unterminatedLast, StepCollector out) {
    Matcher console = CONSOLE.matcher(line);
    if (!console.find()) {
      return Optional.empty();
    }
    if (unterminatedLast) {
      // Not a reading: "actor/entropy:0" may be the start of "actor/entropy:0.511".
      out.skipLine(number, StepCollector.INCOMPLETE_LAST_LINE);
      return Optional.of(LogFormat.VERL);
    }
    Map<String, Object> values = new HashMap<>();
    values.put("step", console.group(1));
    for (String pair : console.group(2).split(" - ")) {
      int colon = pair.indexOf(':');
      if (colon > 0) {
        StepCollector.put(values, pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
      }
    }
    out.addLine(number, values);
    return Optional.of(LogFormat.VERL);
  }

  @Override
  public boolean mixedWithOtherOutput() {
    return true;
  }
}
