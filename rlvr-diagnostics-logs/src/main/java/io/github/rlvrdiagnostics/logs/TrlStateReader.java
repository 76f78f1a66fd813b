package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The reader of a Hugging Face TRL {@code trainer_state.json}: one record per training entry of
 * its {@code log_history}, read with Jackson's streaming parser one entry at a time (memory is
 * bounded by the largest entry, not the file). Summary entries ({@code train_runtime}) and
 * evaluation entries (without {@code reward}, {@code entropy} or {@code loss}) are left out, the
 * {@code eval_*} ones counted in a note; an entry that cannot be a step is noted by its index, as
 * the file has no meaningful line numbers. {@code max_steps} and {@code logging_steps} are kept as
 * the run's stated settings.
 *
 * <p>A file cut off (caught while a checkpoint was being saved) keeps every complete entry before
 * the cut. Damage inside {@code log_history} (a garbage line, an invalid byte) is listed as a
 * skipped line with the parser's line number and reason, and reading resumes at the next line
 * that starts an object (<code>{</code>, as each entry of the pretty-printed file does); the
 * damaged entry is lost, every other one kept. Damage outside {@code log_history} ends the read
 * there.
 */
final class TrlStateReader implements LogReader {

  @Override
  public LogFormat read(InputStream in, StepCollector out) throws IOException {
    new Read(out).run(in);
    return LogFormat.TRL;
  }

  /** The state of one read. */
  private static final class Read {
    private final StepCollector out;
    private int index;
    private int kept;
    private int eval;
    private boolean inHistory;
    /** The file's line number of the current parser's line 1, less one. */
    private long lineBase;

    Read(StepCollector out) {
      this.out = out;
    }

    void run(InputStream in) throws IOException {
      InputStream source = in;
      boolean resumedInHistory = false;
      while (true) {
        JsonParser p = Json.MAPPER.createParser(source);
        p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        try {
          if (resumedInHistory) {
            p.nextToken(); // the '[' put before the resumed entry
            history(p);
            // The rest of the root object, after the array: ', "max_steps": …}'.
            source = restOfObject(p, source);
            if (source == null) {
              break;
            }
            p = Json.MAPPER.createParser(source);
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
          }
          if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(out.name() + ": a trainer_state.json must be a JSON object");
          }
          fields(p);
          break;
        } catch (JsonProcessingException e) {
          long line = lineBase + (e.getLocation() == null ? 1 : e.getLocation().getLineNr());
          String what = "trainer_state.json cut off or malformed" + (inHistory ? " in log_history entry " + index : "")
              + " (" + e.getOriginalMessage() + ")";
          InputStream resumed = inHistory ? resume(p, source) : null;
          if (resumed == null) {
            out.skipLine(lineNumber(line), what + ": the " + kept
                + " complete training entries before it are kept, the rest of the file is not read");
            break;
          }
          out.skipLine(lineNumber(line), what + ": skipped to the next entry, at line " + (lineBase + 1));
          source = new SequenceInputStream(new ByteArrayInputStream(new byte[] {'['}), resumed);
          resumedInHistory = true;
        }
      }
      if (eval > 0) {
        out.note(eval + " evaluation entr" + (eval == 1 ? "y" : "ies") + " (eval_*) of log_history skipped:"
            + " the monitor reads training entries only");
      }
    }

    private static int lineNumber(long line) {
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, line));
    }

    private void fields(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "log_history" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new IllegalArgumentException(out.name() + ": \"log_history\" must be an array");
            }
            history(p);
          }
          case "max_steps" -> {
            // Only a long is a step count: a larger integer (2^63 and up) or a fraction is left out,
            // never read as another number nor allowed to end the read before log_history.
            if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
              if (p.getLongValue() >= 1) {
                out.plannedSteps(p.getLongValue());
              }
            } else if (value.isNumeric()) {
              out.note("max_steps " + p.getText() + " is not a step count (a whole number below 2^63): not used");
            }
          }
          case "logging_steps" -> {
            if (value.isNumeric() && p.getDoubleValue() >= 1 && p.getDoubleValue() == Math.rint(p.getDoubleValue())) {
              out.loggingSteps((long) p.getDoubleValue());
            }
          }
          default -> p.skipChildren();
        }
      }
    }

    /** The entries of {@code log_history}, the parser just past its '['. */
    private void history(JsonParser p) throws IOException {
      inHistory = true;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        int i = index;
        if (p.currentToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          index++;
          continue;
        }
        Map<String, Object> entry = Json.members(p);
        index++;
        if (entry.containsKey("train_runtime")) {
          continue;
        }
        if (!(entry.containsKey("reward") || entry.containsKey("entropy") || entry.containsKey("loss"))) {
          if (entry.keySet().stream().anyMatch(k -> k.startsWith("eval_"))) {
            eval++;
          }
          continue;
        }
        out.addEntry("log_history[" + i + "]", entry);
        kept++;
      }
      inHistory = false;
    }

    /** What the parser has read but not used, then the rest of the source. */
    private static InputStream remaining(JsonParser p, InputStream source) throws IOException {
      ByteArrayOutputStream unused = new ByteArrayOutputStream();
      p.releaseBuffered(unused);
      return new SequenceInputStream(new ByteArrayInputStream(unused.toByteArray()), source);
    }

    /**
     * After a resumed array: the root object's remaining members as an object of their own
     * (<code>{</code> put before them), or null when the object ends there.
     */
    private @Nullable InputStream restOfObject(JsonParser p, InputStream source) throws IOException {
      long line = lineBase + p.currentLocation().getLineNr() - 1;
      BufferedInputStream rest = new BufferedInputStream(remaining(p, source));
      int c;
      do {
        rest.mark(1);
        c = rest.read();
        if (c == '\n') {
          line++;
        }
      } while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
      if (c != ',') {
        return null; // '}' or the end: nothing more to read
      }
      lineBase = line;
      return new SequenceInputStream(new ByteArrayInputStream(new byte[] {'{'}), rest);
    }

    /**
     * The source from the next line that starts an object, after the line where the parser stopped;
     * null when none follows. Sets {@link #lineBase} for the resumed parser.
     */
    private @Nullable InputStream resume(JsonParser p, InputStream source) throws IOException {
      // Where the parser stopped, which may be past the token it failed on.
      long line = lineBase + p.currentLocation().getLineNr();
      BufferedInputStream rest = new BufferedInputStream(remaining(p, source));
      // The next '{' that starts a line or follows a ',': the start of the next entry, in the
      // pretty-printed file and in one written on a single line alike.
      int last = -1; // the last byte that was not white space, on this line
      boolean lineStart = false;
      while (true) {
        rest.mark(1);
        int c = rest.read();
        if (c == -1) {
          return null;
        }
        if (c == '\n') {
          line++;
          lineStart = true;
          last = -1;
        } else if (c == '{' && (lineStart && last == -1 || last == ',')) {
          rest.reset();
          lineBase = line - 1;
          return rest;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          last = c;
          lineStart = false;
        }
      }
    }
  }
}
