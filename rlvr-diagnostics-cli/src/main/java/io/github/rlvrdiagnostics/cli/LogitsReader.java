package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.logs.Numbers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads logits as {@code [rows][vocab]}: a NumPy {@code .npy} file (format 1.0, 2.0 or 3.0;
 * dtype float32 or float64 in either byte order; 1-D or 2-D; C order) or a JSON array of numbers
 * or of arrays of numbers ({@code -Infinity} allowed for masked tokens).
 *
 * <p>float32 data stays float32 ({@link Logits#floats}), float64 stays float64
 * ({@link Logits#doubles}), so nothing is rounded before the entropy is computed.
 */
final class LogitsReader {
  private LogitsReader() {}

  /** Logits of one of two precisions: exactly one of the arrays is non-null. */
  record Logits(float[][] floats, double[][] doubles) {
    int rows() {
      return floats != null ? floats.length : doubles.length;
    }
  }

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  static Logits read(Path file) {
    // The bytes, then as much again as float32 (more as float64 from JSON text).
    byte[] bytes = Inputs.readBytes(file, 3);
    if (startsWithMagic(bytes)) {
      return npy(file, bytes);
    }
    if (file.getFileName().toString().endsWith(".npy")) {
      throw new InputException(file + ": not a NumPy .npy file (bad magic string)");
    }
    return json(file, bytes);
  }

  private static boolean startsWithMagic(byte[] bytes) {
    if (bytes.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  static Logits npy(Path file, byte[] bytes) {
    String name = file + ": ";
    if (bytes.length < 10) {
      throw new InputException(name + "truncated .npy header");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer lengths = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = lengths.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new InputException(name + "truncated .npy header");
      }
      headerLength = lengths.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new InputException(name + "unsupported .npy format version " + major + "." + (bytes[7] & 0xff));
    }
    if (headerStart + headerLength > bytes.length) {
      throw new InputException(name + "truncated .npy header: needs " + headerLength + " bytes, file has "
          + (bytes.length - headerStart));
    }
    String header = new String(bytes, headerStart, (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = field(DESCR, header, "descr", name);
    if (field(FORTRAN, header, "fortran_order", name).equals("True")) {
      throw new InputException(name + "Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    long[] shape = shape(field(SHAPE, header, "shape", name), name);
    ByteOrder order;
    switch (descr.isEmpty() ? ' ' : descr.charAt(0)) {
      case '<' -> order = ByteOrder.LITTLE_ENDIAN;
      case '>' -> order = ByteOrder.BIG_ENDIAN;
      case '=' -> order = ByteOrder.nativeOrder();
      default -> throw new InputException(name + "dtype must be float32 or float64 ('<f4', '<f8', '>f4', '>f8'), was '" + descr + "'");
    }
    String type = descr.substring(1);
    int itemSize;
    if (type.equals("f4")) {
      itemSize = 4;
    } else if (type.equals("f8")) {
      itemSize = 8;
    } else {
      throw new InputException(name + "dtype must be float32 or float64 ('<f4', '<f8', '>f4', '>f8'), was '" + descr + "'");
    }
    long rows = shape.length == 1 ? 1 : shape[0];
    long vocab = shape.length == 1 ? shape[0] : shape[1];
    if (!(rows >= 1 && vocab >= 1)) {
      throw new InputException(name + "array must not be empty, has shape " + describe(shape));
    }
    long dataStart = headerStart + headerLength;
    long expected = rows * vocab * itemSize;
    long found = bytes.length - dataStart;
    if (found < expected) {
      throw new InputException(name + "truncated .npy data: shape " + describe(shape) + " needs " + expected
          + " bytes, file has " + found);
    }
    if (found > expected) {
      throw new InputException(name + ".npy data has " + (found - expected) + " bytes more than shape "
          + describe(shape) + " needs");
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) expected).slice().order(order);
    if (itemSize == 4) {
      float[][] floats = new float[(int) rows][(int) vocab];
      for (float[] row : floats) {
        data.asFloatBuffer().get(row);
        data.position(data.position() + row.length * 4);
      }
      return new Logits(floats, null);
    }
    double[][] doubles = new double[(int) rows][(int) vocab];
    for (double[] row : doubles) {
      data.asDoubleBuffer().get(row);
      data.position(data.position() + row.length * 8);
    }
    return new Logits(null, doubles);
  }

  private static String field(Pattern pattern, String header, String key, String name) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new InputException(name + ".npy header has no valid '" + key + "': " + Inputs.cut(header.strip()));
    }
    return m.group(1);
  }

  private static long[] shape(String text, String name) {
    String[] parts = text.split(",");
    int dims = 0;
    long[] shape = new long[parts.length];
    for (String part : parts) {
      if (!part.isBlank()) {
        try {
          shape[dims++] = Numbers.parseLong(part.strip(), "shape");
        } catch (IllegalArgumentException e) {
          throw new InputException(name + ".npy shape is not a tuple of integers: (" + Inputs.cut(text) + ")");
        }
      }
    }
    long[] result = java.util.Arrays.copyOf(shape, dims);
    if (!(dims == 1 || dims == 2)) {
      throw new InputException(name + "array must be 1-D [vocab] or 2-D [rows, vocab], has shape " + describe(result));
    }
    // Divide rather than multiply: (2^62, 4) must not overflow to 0 elements.
    if (result[dims - 1] > Integer.MAX_VALUE
        || (dims == 2 && result[1] > 0 && result[0] > Integer.MAX_VALUE / result[1])) {
      throw new InputException(name + "array of shape " + describe(result) + " is too large");
    }
    return result;
  }

  private static String describe(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  static Logits json(Path file, byte[] bytes) {
    String name = file + ": ";
    JsonNode root = Inputs.json(Inputs.utf8(file, bytes), name, true);
    if (!root.isArray() || root.isEmpty()) {
      throw new InputException(name + "expected a non-empty JSON array of numbers or of arrays of numbers");
    }
    boolean nested = root.get(0).isArray();
    int rows = nested ? root.size() : 1;
    double[][] doubles = new double[rows][];
    for (int r = 0; r < rows; r++) {
      JsonNode row = nested ? root.get(r) : root;
      if (!row.isArray() || row.isEmpty()) {
        throw new InputException(name + "row " + r + " must be a non-empty array of numbers");
      }
      doubles[r] = new double[row.size()];
      for (int i = 0; i < row.size(); i++) {
        JsonNode v = row.get(i);
        if (!v.isNumber()) {
          throw new InputException(name + "row " + r + ", item " + i + " must be a number, was " + Inputs.cut(v));
        }
        doubles[r][i] = v.doubleValue();
      }
    }
    return new Logits(null, doubles);
  }
}
