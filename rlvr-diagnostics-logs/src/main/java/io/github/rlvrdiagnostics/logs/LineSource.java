package io.github.rlvrdiagnostics.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The lines of a byte stream, read one at a time so that memory is bounded by the longest line,
 * not the file: each line is decoded as UTF-8 on its own, so one invalid byte costs its line, not
 * the log. Lines end at {@code \n}; a {@code \r} before it and a byte-order mark at the start are
 * dropped. Not thread-safe.
 */
final class LineSource {
  /** The longest line kept; a longer one is skipped whole (it cannot be a metric record). */
  static final int MAX_LINE_BYTES = 16 << 20;

  /**
   * One line of the stream.
   *
   * @param number its 1-based number (saturating at {@link Integer#MAX_VALUE})
   * @param text the decoded line, or null when it could not be decoded
   * @param error why it could not be, or null
   * @param terminated whether a newline ended it (only the stream's last line may lack one)
   * @param endOffset the stream offset just past the line and its newline
   */
  record Line(int number, @Nullable String text, @Nullable String error, boolean terminated, long endOffset) {}

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[256];
  private int length;
  private long offset;
  private int number;

  /**
   * The lines of {@code in} from its current position.
   *
   * @param startOffset the stream offset {@code in} starts at (reported in {@link Line#endOffset})
   * @param startLine the number of lines before it
   */
  LineSource(InputStream in, long startOffset, int startLine) {
    this.in = in;
    this.offset = startOffset;
    this.number = startLine;
  }

  /** The lines of a whole stream. */
  LineSource(InputStream in) {
    this(in, 0, 0);
  }

  /**
   * The next line, or null at the end of the stream.
   *
   * @throws IOException if the stream cannot be read
   */
  @Nullable Line next() throws IOException {
    length = 0;
    boolean tooLong = false;
    long start = offset;
    while (true) {
      if (position == limit) {
        int n = in.read(buffer);
        if (n <= 0) {
          if (offset == start) {
            return null;
          }
          return line(tooLong, false);
        }
        position = 0;
        limit = n;
      }
      int newline = -1;
      for (int i = position; i < limit; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? limit : newline;
      int chunk = end - position;
      if (!tooLong && length + (long) chunk > MAX_LINE_BYTES) {
        tooLong = true;
        length = 0;
      }
      if (!tooLong) {
        if (length + chunk > line.length) {
          line = Arrays.copyOf(line, Math.max(length + chunk, Math.min(MAX_LINE_BYTES, 2 * line.length)));
        }
        System.arraycopy(buffer, position, line, length, chunk);
        length += chunk;
      }
      offset += chunk;
      position = end;
      if (newline >= 0) {
        position++;
        offset++;
        return line(tooLong, true);
      }
    }
  }

  private Line line(boolean tooLong, boolean terminated) {
    number = number == Integer.MAX_VALUE ? number : number + 1;
    if (tooLong) {
      return new Line(number, null, "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB", terminated, offset);
    }
    int n = length;
    if (n > 0 && line[n - 1] == '\r') {
      n--;
    }
    int from = 0;
    if (number == 1 && n >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
      from = 3;
    }
    if (ascii(line, from, n)) {
      // Most logs are ASCII: such bytes are valid UTF-8 and copy straight into a compact string,
      // without the decoder's buffer (a third of the time spent on a large JSON-lines log).
      return new Line(number, new String(line, from, n - from, StandardCharsets.ISO_8859_1), null, terminated, offset);
    }
    try {
      String text = decoder.reset().decode(ByteBuffer.wrap(line, from, n - from)).toString();
      return new Line(number, text, null, terminated, offset);
    } catch (CharacterCodingException e) {
      return new Line(number, null, "invalid UTF-8", terminated, offset);
    }
  }

  /** Whether {@code bytes[from, to)} are all ASCII (high bit clear). */
  private static boolean ascii(byte[] bytes, int from, int to) {
    int any = 0;
    for (int i = from; i < to; i++) {
      any |= bytes[i];
    }
    return any >= 0;
  }
}
