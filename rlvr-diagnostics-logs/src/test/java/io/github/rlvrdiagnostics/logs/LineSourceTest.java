package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link LineSource}: lines, their numbers and offsets, and the text of ASCII and non-ASCII lines alike. */
class LineSourceTest {

  @Test
  void asciiAndMultiByteLinesDecodeAlikeAndInvalidUtf8IsReported() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("\uFEFFstep:1 - note:plain\r\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("step:2 - note:caf\u00e9 \u2013 \uD83D\uDE00\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'s', 't', 'e', 'p', (byte) 0xC3, (byte) 0x28, '\n'}); // a broken two-byte sequence
    bytes.writeBytes("tail".getBytes(StandardCharsets.US_ASCII));
    LineSource source = new LineSource(new ByteArrayInputStream(bytes.toByteArray()));

    LineSource.Line first = source.next();
    assertEquals("step:1 - note:plain", first.text()); // byte-order mark and carriage return gone
    assertEquals(1, first.number());
    LineSource.Line second = source.next();
    assertEquals("step:2 - note:caf\u00e9 \u2013 \uD83D\uDE00", second.text());
    LineSource.Line third = source.next();
    assertNull(third.text());
    assertEquals("invalid UTF-8", third.error());
    LineSource.Line last = source.next();
    assertEquals("tail", last.text());
    assertFalse(last.terminated());
    assertEquals(bytes.size(), last.endOffset());
    assertTrue(second.terminated());
    assertNull(source.next());
  }
}
