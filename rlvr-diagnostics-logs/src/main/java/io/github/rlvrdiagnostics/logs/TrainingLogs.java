package io.github.rlvrdiagnostics.logs;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The front door of the log readers: reads the logs real GRPO runs write into {@link TrainingLog}s,
 * detecting the format:
 *
 * <ul>
 *   <li><b>trl</b>: a Hugging Face TRL {@code trainer_state.json}; its {@code log_history} entries
 *       with a {@code step} and training metrics (summary and evaluation entries are left out), or
 *       TRL's console output, one Python dict per logged step (<code>{'loss': 0.01, 'entropy':
 *       0.52, 'epoch': 0.3}</code>, warnings between), stepped by its {@code step} key or else by
 *       position × {@code logging_steps} (a note says which);
 *   <li><b>verl</b>: verl console lines ({@code step:12 - actor/entropy:0.41 - critic/score/mean:0.3
 *       - …}, values possibly wrapped as {@code np.float64(…)}) anywhere in a text log, or JSON
 *       lines with verl metric names, flat or as {@code {"step": n, "data": {…}}};
 *   <li><b>slime</b>: slime's console rollout lines ({@code perf 12: {'rollout/…': …}}), stepped
 *       by their rollout id;
 *   <li><b>tensorboard</b>: TensorBoard event files ({@code events.out.tfevents.*}, or a directory
 *       of them read as one run), scalar summaries under the same keys as the console logs;
 *   <li><b>jsonl</b> and <b>csv</b>: one object or row per step with any field names, mapped by
 *       the aliases below or by the caller's mapping.
 * </ul>
 *
 * <p><b>Field aliases</b> (first present wins; a caller's mapping replaces an entry; the whole
 * table, with the project, file and commit each key was read from — OpenRLHF, NeMo-RL, prime-rl,
 * slime, SkyRL, rllm and the Tinker cookbook included — is in docs/MONITOR.md, "Formats and
 * metric names"): step
 * ({@code step, global_step, training/global_step, _step}), entropy ({@code entropy,
 * actor/entropy, actor/entropy_loss}), degenerateFraction ({@code frac_reward_zero_std,
 * degenerate_fraction, degenerateFraction}), predictedDegenerateFraction, groups, reward
 * ({@code reward, critic/score/mean, critic/rewards/mean, rewards/mean}), rewardStd
 * ({@code reward_std, critic/score/std}), rewardMin ({@code critic/score/min}), rewardMax
 * ({@code critic/score/max}), kl ({@code kl, actor/kl_loss}), clipFraction
 * ({@code clip_ratio/region_mean, actor/pg_clipfrac}), clipFractionLow
 * ({@code clip_ratio/low_mean, actor/pg_clipfrac_lower}), clipFractionHigh
 * ({@code clip_ratio/high_mean}), genBatches ({@code train/num_gen_batches}), gradNorm
 * ({@code grad_norm, actor/grad_norm}), and the degenerate-group counters of other trainers:
 * allPassFraction / allFailFraction / partialFraction (prime-rl {@code train/agg/all/solved_*} and
 * its older names, rllm {@code batch/solve_*}, fractions or counts) and degenerateGroups (SkyRL
 * {@code reward/num_zero_variance_filtered}, slime {@code rollout/zero_std/count_<reward>}); see
 * {@link FieldMapping}.
 *
 * <p><b>Lose nothing, say everything.</b> Files are read as a stream, record by record (line by
 * line, or {@code log_history} entry by entry), so memory is bounded by the longest record and
 * the number of steps, not the file size. Missing and extra fields are fine; {@code "NaN"},
 * {@code nan} and infinities read as missing. A bad record (malformed JSON or CSV row, a line
 * that is not valid UTF-8, a step that is not a number, an impossible value, a line over 16 MiB)
 * is listed in {@link TrainingLog#skipped()} with its line number and reason, and every other
 * record is kept. A last line without its newline is held back (listed as incomplete, not read):
 * {@code actor/entropy:0} may be the start of {@code 0.511}. A {@code trainer_state.json} cut
 * off or damaged mid-way keeps every complete {@code log_history} entry before the damage. A
 * field of the wrong type, or a key written twice, drops only that field (noted). A record
 * without any known field (an evaluation row included) is not a step. A step number that goes
 * back starts a new attempt (a restarted run): the log is the last attempt, the earlier ones
 * noted. Steps are sorted, and a repeated step keeps its later record. Only a log with no usable
 * step fails; one without any known field names the keys it saw.
 *
 * <p><b>Derived, and no more.</b> TRL's {@code reward_std} is zero only when every group of the
 * step was degenerate (in old versions it was the mean of per-group stds, now the std of all the
 * step's rewards): such steps get a degenerate fraction of 1 when the log has no
 * {@code frac_reward_zero_std}. With one group per step (pass {@code groupsPerStep = 1}) a
 * non-zero {@code reward_std} means a fraction of 0. A step whose reward mean, minimum and maximum
 * show one score for every rollout is degenerate (all-fail at 0, all-pass at 1). Rewards outside
 * [0, 1], or a minimum or maximum strictly between 0 and 1, are noted: the binary closed forms do
 * not apply to such a run ({@link #rewardsBinary}).
 *
 * <p>A log still being written is watched with {@link LogWatcher} (each change read whole, as
 * here), or read with {@link LogFollower}, which reads only what was appended.
 *
 * <p>Thread-safe: each read keeps its own state.
 */
public final class TrainingLogs {
  private TrainingLogs() {}

  /** Our field names, in output order. */
  public static final List<String> FIELDS = FieldMapping.FIELDS;

  /** Reads a log with the default aliases. */
  public static TrainingLog read(Path file) {
    return read(file, Map.of(), OptionalInt.empty());
  }

  /**
   * Reads a log: a file, or a directory of TensorBoard event files read as one run. A bad record
   * is skipped and listed, never fatal while one good step remains.
   *
   * @param fields our field name → the log's field name, overriding the aliases (keys from
   *     {@link #FIELDS})
   * @param groupsPerStep the number of groups each step holds, when the user knows it
   * @throws IllegalArgumentException if the file cannot be read, is empty, is not a JSON object
   *     where a {@code trainer_state.json} is expected, holds no usable step (the message names the
   *     first problem), is a directory without event files, is not a regular file (a FIFO, a
   *     device), or a mapping key is unknown
   */
  public static TrainingLog read(Path file, Map<String, String> fields, OptionalInt groupsPerStep) {
    return read(file, mapping(fields, groupsPerStep), groupsPerStep);
  }

  /** Reads a log with a mapping already built (and {@code groupsPerStep} already checked). */
  static TrainingLog read(Path file, FieldMapping mapping, OptionalInt groupsPerStep) {
    if (Files.isDirectory(file)) {
      return readEventDirectory(file, mapping, groupsPerStep);
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // A FIFO without a writer would block the read forever; a device never ends.
      throw new IllegalArgumentException(file + ": not a regular file (a pipe or a device): save the log to a file first");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(file.toString(), in, mapping, groupsPerStep);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a log's text; {@code name} only labels messages.
   *
   * @throws IllegalArgumentException as {@link #read(Path, Map, OptionalInt)}
   */
  public static TrainingLog parse(String name, String text, Map<String, String> fields, OptionalInt groupsPerStep) {
    FieldMapping mapping = mapping(fields, groupsPerStep);
    try {
      return read(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), mapping, groupsPerStep);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(name + ": cannot read: " + e.getMessage(), e);
    }
  }

  static FieldMapping mapping(Map<String, String> fields, OptionalInt groupsPerStep) {
    FieldMapping mapping = FieldMapping.of(fields);
    if (groupsPerStep.isPresent()) {
      Checks.atLeast("groupsPerStep", groupsPerStep.getAsInt(), 1);
    }
    return mapping;
  }

  /** A directory's TensorBoard event files, in name order (their names start with the creation time), as one run. */
  private static TrainingLog readEventDirectory(Path dir, FieldMapping mapping, OptionalInt groupsPerStep) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> LogReader.isEventFile(f.getFileName().toString()) && Files.isRegularFile(f)).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(dir + ": cannot read: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(dir + ": a directory, and it holds no TensorBoard event file (events.out.tfevents.*)");
    }
    StepCollector out = new StepCollector(dir.toString(), mapping, groupsPerStep);
    TensorBoardReader reader = new TensorBoardReader();
    for (Path f : files) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(f), HEAD_BYTES)) {
        reader.readFile(in, out, files.size() > 1 ? f.getFileName() + ": " : "");
      } catch (IOException | UncheckedIOException e) {
        throw new IllegalArgumentException(f + ": cannot read: " + e.getMessage(), e);
      }
    }
    reader.finish(out);
    if (files.size() > 1) {
      out.note(files.size() + " event files read as one run; a step in several keeps every tag, the later file's value winning");
    }
    return out.finish(LogFormat.TENSORBOARD);
  }

  /** How much of a log's start is looked at to detect its format. */
  static final int HEAD_BYTES = 1 << 16;

  /** Reads a stream record by record; memory is bounded by the longest record, not the stream. */
  private static TrainingLog read(String name, InputStream raw, FieldMapping mapping, OptionalInt groupsPerStep)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, HEAD_BYTES);
    in.mark(HEAD_BYTES + 1);
    byte[] bytes = in.readNBytes(HEAD_BYTES + 1);
    in.reset();
    String head = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
    if (head.isEmpty() && bytes.length <= HEAD_BYTES) {
      throw new IllegalArgumentException(name + ": is empty");
    }
    StepCollector out = new StepCollector(name, mapping, groupsPerStep);
    return out.finish(LogReader.detect(name, head).read(in, out));
  }

  /**
   * Whether every step's logged rewards are consistent with 0/1-valued rewards, the precondition
   * of the binary closed forms: each mean within [0, 1], each logged minimum and maximum exactly
   * 0 or 1. Rewards that merely lie inside [0, 1] (a logged minimum of 0.05) are not binary. A log
   * of means alone can show no more than that they lie in [0, 1].
   */
  public static boolean rewardsBinary(TrainingLog log) {
    for (TrainingStep s : log.steps()) {
      if (!StepCollector.binaryConsistent(s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the log's rewards stayed within [0, 1], a necessary condition of the binary closed
   * forms; {@link #rewardsBinary} is the whole rule.
   */
  public static boolean rewardsWithinUnitInterval(TrainingLog log) {
    for (TrainingStep s : log.steps()) {
      for (OptionalDouble v : List.of(s.reward(), s.rewardMin(), s.rewardMax())) {
        if (v.isPresent() && !StepCollector.withinUnitInterval(v.getAsDouble())) {
          return false;
        }
      }
    }
    return true;
  }
}
