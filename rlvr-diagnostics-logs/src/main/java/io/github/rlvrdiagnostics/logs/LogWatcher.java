package io.github.rlvrdiagnostics.logs;

import io.github.rlvrdiagnostics.api.TrainingLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * A watcher of a log that is still being written, for a monitor that must judge it exactly as a
 * whole-file read would: each {@link #poll()} looks at the file and, whenever it changed, reads it
 * whole with {@link TrainingLogs#read(Path, Map, OptionalInt)} — the same reader, settings
 * ({@code max_steps}, the stated group size), restart rule and notes as a batch read of the same
 * bytes. So a rotated, truncated, copy-truncated or deleted-and-recreated log, or a
 * {@code trainer_state.json} rewritten by a new and shorter run, is simply read anew, on whichever
 * poll the change shows up, and the last poll's log is the batch read of the final file.
 *
 * <p>A change is seen in the file's identity (its file key, such as the inode), size, modification
 * time, or a checksum of its first and last 64 KiB (a file rewritten to the same size within one
 * tick of the clock). The cost: each change re-reads the whole file (a JSON-lines log reads at
 * well over 100 MB/s), where {@link LogFollower} reads only what was appended but cannot see
 * settings or restarts that a later line changes. Not thread-safe.
 */
public final class LogWatcher {
  /** How much of each end of the file goes into the change check. */
  private static final int END_BYTES = 1 << 16;

  /**
   * What one poll found.
   *
   * @param log the log as a whole-file read gives it now, when the file changed since the last
   *     poll and could be read; empty otherwise
   * @param notes what happened to the file (appeared, deleted, rotated, truncated, rewritten
   *     shorter, not readable now), one sentence each
   */
  public record Poll(Optional<TrainingLog> log, List<String> notes) {
    /** Copies the notes. */
    public Poll {
      Objects.requireNonNull(log, "log");
      notes = List.copyOf(notes);
    }
  }

  private final Path file;
  private final FieldMapping mapping;
  private final OptionalInt groupsPerStep;
  private @Nullable Object fileKey;
  private long size = -1;
  private long modified = Long.MIN_VALUE;
  private long ends;
  private boolean missingReported;
  private boolean seen;
  private @Nullable String lastProblem;
  private long lastStep = -1;

  private LogWatcher(Path file, FieldMapping mapping, OptionalInt groupsPerStep) {
    this.file = file;
    this.mapping = mapping;
    this.groupsPerStep = groupsPerStep;
  }

  /**
   * A watcher of {@code file}, which need not exist yet.
   *
   * @param fields our field name → the log's field name, as in {@link TrainingLogs#read(Path, Map, OptionalInt)}
   * @param groupsPerStep the number of groups each step holds, when the user knows it
   * @throws IllegalArgumentException if an argument is null, a mapping key is unknown or
   *     {@code groupsPerStep < 1}
   */
  public static LogWatcher of(Path file, Map<String, String> fields, OptionalInt groupsPerStep) {
    if (file == null || fields == null || groupsPerStep == null) {
      throw new IllegalArgumentException("file, fields and groupsPerStep must not be null");
    }
    return new LogWatcher(file, TrainingLogs.mapping(fields, groupsPerStep), groupsPerStep);
  }

  /**
   * Looks at the file and reads it whole if it changed. Never throws for the file's content or
   * absence: those are reported in the notes.
   */
  public Poll poll() {
    List<String> notes = new ArrayList<>();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      if (!missingReported) {
        notes.add(file + (seen ? ": deleted; waiting for it to appear again (it will be read from its start)"
            : ": no such file yet; waiting for it"));
        missingReported = true;
      }
      size = -1;
      return new Poll(Optional.empty(), notes);
    }
    if (!attributes.isRegularFile()) {
      if (!missingReported) {
        notes.add(file + ": not a regular file (a directory, a pipe or a device); waiting for a log file there");
        missingReported = true;
      }
      size = -1;
      return new Poll(Optional.empty(), notes);
    }
    if (missingReported && seen) {
      notes.add(file + ": appeared again; reading it from its start");
    }
    missingReported = false;
    Object key = attributes.fileKey();
    long newSize = attributes.size();
    long newModified = attributes.lastModifiedTime().toMillis();
    long newEnds;
    try {
      newEnds = ends(newSize);
    } catch (IOException e) {
      return new Poll(Optional.empty(), notes); // deleted between the look and the read: the next poll says so
    }
    if (seen && Objects.equals(key, fileKey) && newSize == size && newModified == modified && newEnds == ends) {
      return new Poll(Optional.empty(), notes);
    }
    if (seen && size >= 0) {
      if (fileKey != null && key != null && !fileKey.equals(key)) {
        notes.add(file + ": replaced by a new file (rotated); reading it from its start");
      } else if (newSize < size) {
        notes.add(file + ": truncated or rewritten (now " + newSize + " bytes, " + size + " before); reading it from its start");
      }
    }
    seen = true;
    fileKey = key;
    size = newSize;
    modified = newModified;
    ends = newEnds;
    try {
      TrainingLog log = TrainingLogs.read(file, mapping, groupsPerStep);
      lastProblem = null;
      long last = log.steps().get(log.steps().size() - 1).step();
      if (last < lastStep) {
        notes.add(file + ": now ends at step " + last + ", before step " + lastStep
            + " read earlier (rewritten by a new, shorter run?): read anew");
      }
      lastStep = last;
      return new Poll(Optional.of(log), notes);
    } catch (IllegalArgumentException e) {
      // Empty, caught mid-save, or no step yet: said once, tried again at the next change.
      if (!Objects.equals(e.getMessage(), lastProblem)) {
        notes.add("not readable yet: " + e.getMessage());
        lastProblem = e.getMessage();
      }
      return new Poll(Optional.empty(), notes);
    }
  }

  /** A checksum of the file's first and last {@link #END_BYTES} bytes (the whole file when smaller). */
  private long ends(long length) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, END_BYTES));
      read(channel, buffer, 0);
      crc.update(buffer.flip());
      if (length > END_BYTES) {
        buffer.clear();
        read(channel, buffer, length - buffer.capacity());
        crc.update(buffer.flip());
      }
    }
    return crc.getValue();
  }

  private static void read(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        return; // shrank since the look: the next poll sees the new size
      }
      at += n;
    }
  }
}
