package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code entropy} on .npy files written byte by byte per the NumPy format specification
 * (magic, version, little-endian header length, a Python-literal dict padded with spaces to a
 * multiple of 64 bytes and ending in a newline, then raw C-order data) and on JSON arrays.
 */
class EntropyCommandTest {
  @TempDir Path dir;

  /** An .npy file of the given version, dtype ('<f4', '>f8', …), shape literal and payload. */
  static byte[] npy(int major, String descr, String fortran, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    int prefix = major == 1 ? 10 : 12;
    int total = prefix + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - total) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    ByteBuffer length = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      length.putShort((short) header.length());
    } else {
      length.putInt(header.length());
    }
    out.writeBytes(length.array());
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  static byte[] floats(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] doubles(ByteOrder order, double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(order);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  @Test
  void float32MatrixVersion1() throws IOException {
    float ln2 = (float) Math.log(2);
    Path file = write("a.npy", npy(1, "<f4", "False", "(2, 4)",
        floats(ByteOrder.LITTLE_ENDIAN, 0f, 0f, 0f, 0f, 0f, ln2, (float) Math.log(3), Float.NEGATIVE_INFINITY)));
    JsonNode node = CliRun.json("entropy", "--logits", file.toString());
    assertEquals(2, node.get("rows").asInt());
    double second = -(1 / 6.0 * Math.log(1 / 6.0) + 2 / 6.0 * Math.log(2 / 6.0) + 3 / 6.0 * Math.log(3 / 6.0));
    assertEquals(Math.log(4), node.get("entropies").get(0).asDouble(), 1e-12);
    assertEquals(second, node.get("entropies").get(1).asDouble(), 1e-6);
    assertEquals((Math.log(4) + second) / 2, node.get("mean").asDouble(), 1e-6);
    assertEquals(second, node.get("min").asDouble(), 1e-6);
  }

  @Test
  void float64VectorVersion2AndBigEndianVersion3() throws IOException {
    Path v2 = write("b.npy", npy(2, "<f8", "False", "(3,)", doubles(ByteOrder.LITTLE_ENDIAN, 1.0, 1.0, 1.0)));
    JsonNode node = CliRun.json("entropy", "--logits", v2.toString(), "--temperature", "0.5");
    assertEquals(1, node.get("rows").asInt());
    assertEquals(Math.log(3), node.get("entropies").get(0).asDouble(), 1e-15);
    Path v3 = write("c.npy", npy(3, ">f4", "False", "(1, 2)", floats(ByteOrder.BIG_ENDIAN, 5f, 5f)));
    assertEquals(Math.log(2), CliRun.json("entropy", "--logits", v3.toString()).get("min").asDouble(), 1e-15);
  }

  @Test
  void truncationOptions() throws IOException {
    Path file = write("t.json", "[[0, 0.6931471805599453, 1.0986122886681098, 1.3862943611198906]]".getBytes(StandardCharsets.UTF_8));
    // p = (0.1, 0.2, 0.3, 0.4); top-k 2 keeps (3/7, 4/7).
    double h = -(3 / 7.0 * Math.log(3 / 7.0) + 4 / 7.0 * Math.log(4 / 7.0));
    assertEquals(h, CliRun.json("entropy", "--logits", file.toString(), "--top-k", "2").get("mean").asDouble(), 1e-12);
    assertEquals(h, CliRun.json("entropy", "--logits", file.toString(), "--top-p", "0.5").get("mean").asDouble(), 1e-12);
  }

  @Test
  void jsonArraysWithMaskedTokens() throws IOException {
    Path flat = write("flat.json", "[1.0, -Infinity, 1.0]".getBytes(StandardCharsets.UTF_8));
    assertEquals(Math.log(2), CliRun.json("entropy", "--logits", flat.toString()).get("mean").asDouble(), 1e-15);
    Path table = write("table.json", "[[0, 0], [3, 3, 3]]".getBytes(StandardCharsets.UTF_8));
    JsonNode node = CliRun.json("entropy", "--logits", table.toString());
    assertEquals(2, node.get("rows").asInt());
    assertEquals(Math.log(2), node.get("min").asDouble(), 1e-15);
    assertTrue(CliRun.of("entropy", "--logits", table.toString()).out().contains("worst token"));
  }

  @Test
  void badFilesExitTwoWithOneLine() throws IOException {
    byte[] good = npy(1, "<f4", "False", "(2, 4)", floats(ByteOrder.LITTLE_ENDIAN, new float[8]));
    Path truncated = write("trunc.npy", Arrays.copyOf(good, good.length - 5));
    assertBadInput("truncated .npy data: shape (2, 4) needs 32 bytes, file has 27", "entropy", "--logits", truncated.toString());
    Path header = write("header.npy", Arrays.copyOf(good, 40));
    assertBadInput("truncated .npy header", "entropy", "--logits", header.toString());
    Path fortran = write("f.npy", npy(1, "<f4", "True", "(2, 4)", floats(ByteOrder.LITTLE_ENDIAN, new float[8])));
    assertBadInput("Fortran-order", "entropy", "--logits", fortran.toString());
    Path ints = write("i.npy", npy(1, "<i8", "False", "(2,)", new byte[16]));
    assertBadInput("dtype must be float32 or float64", "entropy", "--logits", ints.toString());
    Path cube = write("cube.npy", npy(1, "<f4", "False", "(1, 2, 2)", floats(ByteOrder.LITTLE_ENDIAN, new float[4])));
    assertBadInput("must be 1-D [vocab] or 2-D [rows, vocab]", "entropy", "--logits", cube.toString());
    Path magic = write("m.npy", "not numpy at all".getBytes(StandardCharsets.UTF_8));
    assertBadInput("bad magic", "entropy", "--logits", magic.toString());
    Path nan = write("nan.npy", npy(1, "<f4", "False", "(1, 2)", floats(ByteOrder.LITTLE_ENDIAN, 1f, Float.NaN)));
    assertBadInput("logits[0][1] must be finite or -Infinity, was NaN", "entropy", "--logits", nan.toString());
    Path masked = write("masked.json", "[[-Infinity, -Infinity]]".getBytes(StandardCharsets.UTF_8));
    assertBadInput("all are -Infinity", "entropy", "--logits", masked.toString());
    Path broken = write("broken.json", "[[1, 2],\n [3, ".getBytes(StandardCharsets.UTF_8));
    assertBadInput("malformed JSON at line 2", "entropy", "--logits", broken.toString());
    assertBadInput("no such file", "entropy", "--logits", dir.resolve("none.npy").toString());
    assertBadInput("--temperature must be finite and > 0, was 0.0", "entropy", "--logits", broken.toString(), "-t", "0");
    assertBadInput("--top-p must be in (0, 1], was 1.5", "entropy", "--logits", broken.toString(), "--top-p", "1.5");
  }
}
