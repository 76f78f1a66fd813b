package io.github.rlvrdiagnostics.logs;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A reader of a log that is still being written: each {@link #poll()} reads only what was
 * appended since the last one, from the byte offset where it stopped, and returns the new steps.
 * Only complete lines are read; a half-written last line waits for its newline. A file that
 * shrinks (truncated) or is replaced (rotated: a new file key, such as a new inode) is read again
 * from the start, with a note; a missing or deleted file is reported once, and read from the
 * start when it appears. Bad lines are listed and skipped, never fatal. A
 * {@code trainer_state.json}, which its trainer rewrites whole at each save, and a TensorBoard
 * event file are read whole whenever they change, and only their new steps are returned (a
 * directory of event files cannot be followed: follow its newest file).
 *
 * <p>The steps are those a whole-file read of the same content gives, in the order of their
 * records, but a setting or a restart that a later line reveals cannot change steps already
 * returned: a monitor that must judge the log exactly as a whole-file read does follows it with
 * {@link LogWatcher}. Memory is bounded by the longest line plus the steps read. Not thread-safe.
 */
public final class LogFollower {
  /**
   * What one poll found.
   *
   * @param steps the new steps, in the order of their records
   * @param skipped the new lines that could not be used, with reasons
   * @param notes what happened to the file (missing, truncated, rotated) and what the reader
   *     derived, one sentence each
   * @param restarted whether these steps are the first read since the file was read again from
   *     its start (truncated, rotated or recreated, on this poll or an earlier one), so that step
   *     numbers may start over
   */
  public record Update(List<TrainingStep> steps, List<SkippedLine> skipped, List<String> notes, boolean restarted) {
    /** Copies the lists. */
    public Update {
      steps = List.copyOf(steps);
      skipped = List.copyOf(skipped);
      notes = List.copyOf(notes);
    }
  }

  /**
   * The group size G the log has stated so far (a verl launch line's
   * {@code actor_rollout_ref.rollout.n}), as a whole-file read would give it.
   */
  public OptionalInt groupSize() {
    return collector == null ? OptionalInt.empty() : collector.groupSize();
  }

  private final Path file;
  private final FieldMapping mapping;
  private final OptionalInt groupsPerStep;
  private @Nullable Object fileKey;
  private long offset;
  private int lines;
  private boolean missingReported;
  private boolean seen;
  private @Nullable StepCollector collector;
  private @Nullable LineConsumer consumer;
  private boolean wholeFile;
  private @Nullable FileTime wholeFileTime;
  private long wholeFileSize = -1;
  private long lastWholeFileStep = -1;
  private int skippedSeen;
  private int notesSeen;
  private boolean pendingRestart;

  private LogFollower(Path file, FieldMapping mapping, OptionalInt groupsPerStep) {
    this.file = file;
    this.mapping = mapping;
    this.groupsPerStep = groupsPerStep;
  }

  /**
   * A follower of {@code file}, which need not exist yet.
   *
   * @param fields our field name → the log's field name, as in {@link TrainingLogs#read(Path, Map, OptionalInt)}
   * @param groupsPerStep the number of groups each step holds, when the user knows it
   * @throws IllegalArgumentException if an argument is null, a mapping key is unknown or
   *     {@code groupsPerStep < 1}
   */
  public static LogFollower of(Path file, Map<String, String> fields, OptionalInt groupsPerStep) {
    if (file == null || fields == null || groupsPerStep == null) {
      throw new IllegalArgumentException("file, fields and groupsPerStep must not be null");
    }
    return new LogFollower(file, TrainingLogs.mapping(fields, groupsPerStep), groupsPerStep);
  }

  /** The byte offset up to which the file has been read (the end of its last complete line). */
  public long offset() {
    return offset;
  }

  /**
   * Reads what was appended since the last poll. Never throws for the file's content or absence:
   * those are reported in the update.
   */
  public Update poll() {
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
      reset();
      return new Update(List.of(), List.of(), notes, false);
    }
    if (!attributes.isRegularFile()) {
      if (!missingReported) {
        notes.add(file + ": not a regular file; waiting");
        missingReported = true;
      }
      return new Update(List.of(), List.of(), notes, false);
    }
    boolean restarted = false;
    if (missingReported && seen) {
      notes.add(file + ": appeared again; reading it from its start");
      restarted = true;
    }
    missingReported = false;
    Object key = attributes.fileKey();
    if (collector != null && fileKey != null && key != null && !Objects.equals(fileKey, key)) {
      notes.add(file + ": replaced by a new file (rotated); reading it from its start");
      reset();
      restarted = true;
    } else if (collector != null && !wholeFile && attributes.size() < offset) {
      notes.add(file + ": truncated (now " + attributes.size() + " bytes, " + offset + " had been read); reading it from its start");
      reset();
      restarted = true;
    }
    fileKey = key;
    seen = true;
    try {
      List<TrainingStep> steps = wholeFile || (collector == null && (LogReader.isEventFile(file.toString()) || isTrainerState()))
          ? readWhole(attributes) : readAppended();
      List<SkippedLine> skipped = List.of();
      if (collector != null && !wholeFile) {
        List<SkippedLine> all = collector.skipped();
        skipped = new ArrayList<>(all.subList(skippedSeen, all.size()));
        skippedSeen = all.size();
        List<String> allNotes = collector.notes();
        notes.addAll(allNotes.subList(notesSeen, allNotes.size()));
        notesSeen = allNotes.size();
      }
      // A restart is reported with the first steps read after it, even when those arrive on a
      // later poll than the truncation or rotation itself.
      restarted |= pendingRestart;
      pendingRestart = restarted && steps.isEmpty();
      return new Update(steps, skipped, notes, restarted && !steps.isEmpty());
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      notes.add(file + ": cannot read now (" + e.getMessage() + "); trying again at the next poll");
      pendingRestart |= restarted;
      return new Update(List.of(), List.of(), notes, false);
    }
  }

  private void reset() {
    collector = null;
    consumer = null;
    offset = 0;
    lines = 0;
    skippedSeen = 0;
    notesSeen = 0;
    wholeFile = false;
    wholeFileTime = null;
    wholeFileSize = -1;
    lastWholeFileStep = -1;
  }

  /** Whether the file is a trainer_state.json, by the same test as a whole-file read. */
  private boolean isTrainerState() throws IOException {
    if (file.getFileName() != null && file.getFileName().toString().endsWith("trainer_state.json")) {
      return true; // even when caught with only its first bytes written
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(TrainingLogs.HEAD_BYTES);
      return LogReader.detect(file.toString(), new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "").strip())
          instanceof TrlStateReader;
    }
  }

  private List<TrainingStep> readWhole(BasicFileAttributes attributes) {
    wholeFile = true;
    if (attributes.lastModifiedTime().equals(wholeFileTime) && attributes.size() == wholeFileSize) {
      return List.of();
    }
    wholeFileTime = attributes.lastModifiedTime();
    wholeFileSize = attributes.size();
    TrainingLog log;
    try {
      log = TrainingLogs.read(file, mapping, groupsPerStep);
    } catch (IllegalArgumentException notYet) {
      return List.of(); // caught mid-save with no complete entry yet: the next save completes it
    }
    List<TrainingStep> steps = new ArrayList<>();
    for (TrainingStep s : log.steps()) {
      if (s.step() > lastWholeFileStep) {
        steps.add(s);
      }
    }
    if (!steps.isEmpty()) {
      lastWholeFileStep = steps.get(steps.size() - 1).step();
    }
    return steps;
  }

  private List<TrainingStep> readAppended() throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() <= offset) {
        return collector == null ? List.of() : collector.drainAdded();
      }
      channel.position(offset);
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
      if (collector == null) {
        in.mark(TrainingLogs.HEAD_BYTES);
        byte[] head = in.readNBytes(TrainingLogs.HEAD_BYTES);
        in.reset();
        String text = new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
        if (text.isEmpty()) {
          return List.of();
        }
        StepCollector out = new StepCollector(file.toString(), mapping, groupsPerStep);
        out.keepAdded();
        LogReader reader = LogReader.detect(file.toString(), text);
        consumer = reader instanceof CsvReader ? new CsvReader.Session(out) : new LineLogReader.Session(out);
        collector = out;
      }
      LineSource source = new LineSource(in, offset, lines);
      for (LineSource.Line line = source.next(); line != null && line.terminated(); line = source.next()) {
        Objects.requireNonNull(consumer).accept(line);
        offset = line.endOffset();
        lines = line.number();
      }
      return Objects.requireNonNull(collector).drainAdded();
    } catch (NoSuchFileException e) {
      return List.of(); // deleted between the look and the read: the next poll reports it
    }
  }
}
