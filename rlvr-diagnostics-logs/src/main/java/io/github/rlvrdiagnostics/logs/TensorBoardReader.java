package io.github.rlvrdiagnostics.logs;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The reader of TensorBoard event files ({@code events.out.tfevents.*}, as verl, OpenRLHF and TRL
 * write with {@code report_to=tensorboard}): TFRecord framing (a little-endian 64-bit length, its
 * masked CRC32C, the data, the data's masked CRC32C), each record one {@code Event} protobuf
 * message, read with the protobuf runtime's {@link CodedInputStream}. Every scalar of an event's
 * {@code Summary} becomes a value under its tag at the event's step, whether written as a
 * {@code simple_value} or as a one-element float, double, int32 or int64 {@code tensor}; the
 * values of one step, across events, form one record. Other summaries (images, histograms,
 * text) are ignored. A 32-bit float value is read as the shortest decimal that identifies it (the
 * number TensorBoard shows: {@code 0.6929784}, not the float's exact binary value
 * {@code 0.69297838211…}); both round to the same float, and the value the trainer computed before
 * the writer rounded it is not known more precisely than that.
 *
 * <p>A record whose data fails its checksum, or that is not a valid {@code Event}, is skipped
 * (listed by record number) and the next one read. A length that fails its checksum is listed
 * too, and reading goes on at the next byte where a header's length passes its checksum (the
 * framing cannot be trusted in between). A record cut off at the end (a file still being
 * written) ends the read. Memory holds one record plus the values read.
 */
final class TensorBoardReader implements LogReader {
  /** The longest record read; a longer one cannot be an event of scalars. */
  private static final long MAX_RECORD = 64L << 20;

  // Field numbers of tensorflow/core/util/event.proto, summary.proto and tensor.proto.
  private static final int EVENT_STEP = 2;
  private static final int EVENT_SUMMARY = 5;
  private static final int SUMMARY_VALUE = 1;
  private static final int VALUE_TAG = 1;
  private static final int VALUE_SIMPLE = 2;
  private static final int VALUE_TENSOR = 8;
  private static final int TENSOR_DTYPE = 1;
  private static final int TENSOR_CONTENT = 4;
  private static final int TENSOR_FLOAT = 5;
  private static final int TENSOR_DOUBLE = 6;
  private static final int TENSOR_INT = 7;
  private static final int TENSOR_INT64 = 10;
  private static final int DT_FLOAT = 1;
  private static final int DT_DOUBLE = 2;
  private static final int DT_INT32 = 3;
  private static final int DT_INT64 = 9;

  /** One record's value per tag, by step, over all files of the run. */
  private final TreeMap<Long, Map<String, String>> steps = new TreeMap<>();
  private int record;

  @Override
  public LogFormat read(InputStream in, StepCollector out) throws IOException {
    readFile(in, out, "");
    finish(out);
    return LogFormat.TENSORBOARD;
  }

  /** Reads one event file's records into this read's steps (a directory's files in turn). */
  void readFile(InputStream in, StepCollector out) throws IOException {
    readFile(in, out, "");
  }

  /**
   * Reads one event file's records; {@code label} prefixes the reasons (the file's name when a
   * directory's files are read as one run).
   */
  void readFile(InputStream in, StepCollector out, String label) throws IOException {
    byte[] header = new byte[12];
    byte[] footer = new byte[4];
    while (true) {
      int n = in.readNBytes(header, 0, 12);
      if (n == 0) {
        return;
      }
      record++;
      if (n < 12) {
        out.skipLine(record, label + "record " + record + " cut off in its header (file still being written?): not read");
        return;
      }
      if (!validHeader(header)) {
        // The framing cannot be trusted from here: look for the next header whose length passes
        // its checksum (a 32-bit check, so a false match is a one in four billion chance per byte).
        long skippedBytes = resync(in, header);
        if (skippedBytes < 0) {
          out.skipLine(record, label + "record " + record + ": length checksum mismatch, and no valid record after it");
          return;
        }
        out.skipLine(record, label + "record " + record + ": length checksum mismatch; " + skippedBytes
            + " byte(s) skipped to the next valid record");
        record++;
      }
      long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      byte[] data = in.readNBytes((int) length);
      int m = in.readNBytes(footer, 0, 4);
      if (data.length < length || m < 4) {
        out.skipLine(record, label + "record " + record + " cut off (file still being written?): not read");
        return;
      }
      if (masked(data, 0, data.length) != ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
        out.skipLine(record, label + "record " + record + ": data checksum mismatch; skipped");
        continue;
      }
      try {
        event(CodedInputStream.newInstance(data));
      } catch (IOException | RuntimeException e) {
        out.skipLine(record, label + "record " + record + ": not a valid Event message (" + e.getMessage() + "); skipped");
      }
    }
  }

  /** Whether a record header's length passes its checksum and is in range. */
  private static boolean validHeader(byte[] header) {
    ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long length = b.getLong(0);
    return masked(header, 0, 8) == b.getInt(8) && length >= 0 && length <= MAX_RECORD;
  }

  /**
   * Slides the 12-byte header window one byte at a time until it holds a valid header; returns
   * the bytes slid, or -1 at the end of the stream.
   */
  private static long resync(InputStream in, byte[] header) throws IOException {
    long slid = 0;
    do {
      int next = in.read();
      if (next < 0) {
        return -1;
      }
      System.arraycopy(header, 1, header, 0, 11);
      header[11] = (byte) next;
      slid++;
    } while (!validHeader(header));
    return slid;
  }

  /** Hands the collected steps to {@code out}, in step order. */
  void finish(StepCollector out) {
    for (Map.Entry<Long, Map<String, String>> e : steps.entrySet()) {
      Map<String, String> values = e.getValue();
      values.put("step", Long.toString(e.getKey()));
      out.addEntry("step " + e.getKey(), values);
    }
  }

  /** The TFRecord checksum: CRC32C, rotated right by 15 bits plus a constant. */
  static int masked(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private void event(CodedInputStream in) throws IOException {
    long step = 0;
    Map<String, String> values = new HashMap<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == EVENT_STEP && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
        step = in.readInt64();
      } else if (field == EVENT_SUMMARY && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        summary(in.readBytes().newCodedInput(), values);
      } else {
        in.skipField(tag);
      }
    }
    if (!values.isEmpty()) {
      if (step < 0) {
        throw new IOException("negative step " + step);
      }
      steps.computeIfAbsent(step, s -> new HashMap<>()).putAll(values);
    }
  }

  private static void summary(CodedInputStream in, Map<String, String> values) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return;
      }
      if (WireFormat.getTagFieldNumber(tag) == SUMMARY_VALUE && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        value(in.readBytes().newCodedInput(), values);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static void value(CodedInputStream in, Map<String, String> values) throws IOException {
    @Nullable String name = null;
    @Nullable String number = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      if (field == VALUE_TAG && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        name = in.readStringRequireUtf8();
      } else if (field == VALUE_SIMPLE && wire == WireFormat.WIRETYPE_FIXED32) {
        number = Float.toString(in.readFloat());
      } else if (field == VALUE_TENSOR && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        number = tensorScalar(in.readBytes().newCodedInput());
      } else {
        in.skipField(tag);
      }
    }
    if (name != null && number != null) {
      values.put(name, number);
    }
  }

  /** A tensor's value when it holds exactly one number, else null. */
  private static @Nullable String tensorScalar(CodedInputStream in) throws IOException {
    int dtype = 0;
    java.util.List<String> numbers = new java.util.ArrayList<>();
    byte @Nullable [] content = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      boolean packed = wire == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (field == TENSOR_DTYPE && wire == WireFormat.WIRETYPE_VARINT) {
        dtype = in.readEnum();
      } else if (field == TENSOR_CONTENT && packed) {
        content = in.readByteArray();
      } else if (field == TENSOR_FLOAT || field == TENSOR_DOUBLE || field == TENSOR_INT || field == TENSOR_INT64) {
        int limit = packed ? in.pushLimit(in.readRawVarint32()) : -1;
        do {
          numbers.add(switch (field) {
            case TENSOR_FLOAT -> Float.toString(in.readFloat());
            case TENSOR_DOUBLE -> Double.toString(in.readDouble());
            case TENSOR_INT -> Integer.toString(in.readInt32());
            default -> Long.toString(in.readInt64());
          });
        } while (packed && in.getBytesUntilLimit() > 0);
        if (packed) {
          in.popLimit(limit);
        }
      } else {
        in.skipField(tag);
      }
    }
    if (content != null && numbers.isEmpty()) {
      ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
      if (dtype == DT_FLOAT && content.length == 4) {
        numbers.add(Float.toString(b.getFloat()));
      } else if (dtype == DT_DOUBLE && content.length == 8) {
        numbers.add(Double.toString(b.getDouble()));
      } else if (dtype == DT_INT32 && content.length == 4) {
        numbers.add(Integer.toString(b.getInt()));
      } else if (dtype == DT_INT64 && content.length == 8) {
        numbers.add(Long.toString(b.getLong()));
      }
    }
    return numbers.size() == 1 ? numbers.get(0) : null;
  }
}
