package io.github.rlvrdiagnostics.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Java serialization of partial states to {@code byte[]}: Spark then moves plain binary columns,
 * whatever serializer ({@code spark.serializer}) the session is configured with, and Kryo never
 * has to guess how to rebuild an accumulator.
 */
final class Bytes {
  private Bytes() {}

  static byte[] of(Serializable value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
    return bytes.toByteArray();
  }

  static <T> T read(byte[] bytes, Class<T> type) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return type.cast(in.readObject());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot deserialize " + type.getSimpleName(), e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("class missing on this worker: " + e.getMessage(), e);
    }
  }
}
