package io.github.rlvrdiagnostics.logs;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The front door of the log readers: reads the logs real GRPO runs write into {@link TrainingLog}s,
 * detecting the format:
 *
 * <ul>
 *   <li><b>trl</b>: a Hugging Face TRL {@code trainer_state.json}; its {@code log_history} entries
 *       with a {@code step} and training metrics (summary and evaluation entries are left out);
 *   <li><b>verl</b>: verl console lines ({@code step:12 - actor/entropy:0.41 - critic/score/mean:0.3
 *       - …}, values possibly wrapped as {@code np.float64(…)}) anywhere in a text log, or JSON
 *       lines with verl metric names, flat or as {@code {"step": n, "data": {…}}};
 *   <li><b>jsonl</b> and <b>csv</b>: one object or row per step with any field names, mapped by
 *       the aliases below or by the caller's mapping.
 * </ul>
 *
 * <p><b>Field aliases</b> (first present wins; a caller's mapping replaces an entry; the whole
 * table, with where each key comes from, is in the module's {@code ALIASES.md}): step
 * ({@code step, global_step, training/global_step, _step}), entropy ({@code entropy,
 * actor/entropy, actor/entropy_loss}), degenerateFraction ({@code frac_reward_zero_std,
 * degenerate_fraction, degenerateFraction}), predictedDegenerateFraction, groups, reward
 * ({@code reward, critic/score/mean, critic/rewards/mean, rewards/mean}), rewardStd
 * ({@code reward_std, critic/score/std}), rewardMin ({@code critic/score/min}), rewardMax
 * ({@code critic/score/max}), kl ({@code kl, actor/kl_loss}), clipFraction
 * ({@code clip_ratio/region_mean, actor/pg_clipfrac}), clipFractionLow
 * ({@code clip_ratio/low_mean, actor/pg_clipfrac_lower}), clipFractionHigh
 * ({@code clip_ratio/high_mean}), genBatches ({@code train/num_gen_batches}), gradNorm
 * ({@code grad_norm, actor/grad_norm}).
 *
 * <p><b>Tolerance.</b> Missing and extra fields are fine; {@code "NaN"}, {@code nan} and
 * infinities read as missing; a malformed line, a line without a step or with an impossible
 * value is listed in {@link TrainingLog#skipped()} with its number and reason, and the rest of the
 * log is kept; a malformed <em>last</em> line is reported as truncated (the log is still being
 * written); steps are sorted, and a repeated step keeps its later record.
 *
 * <p><b>Derived, and no more.</b> TRL's {@code reward_std} is zero only when every group of the
 * step was degenerate (in old versions it was the mean of per-group stds, now the std of all the
 * step's rewards): such steps get a degenerate fraction of 1 when the log has no
 * {@code frac_reward_zero_std}. With one group per step (pass {@code groupsPerStep = 1}) a
 * non-zero {@code reward_std} means a fraction of 0. Rewards outside [0, 1] are noted: the binary
 * closed forms do not apply to such a run.
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
   * Reads a log.
   *
   * @param fields our field name → the log's field name, overriding the aliases (keys from
   *     {@link #FIELDS})
   * @param groupsPerStep the number of groups each step holds, when the user knows it
   * @throws IllegalArgumentException if the file cannot be read, is empty, is a malformed
   *     {@code trainer_state.json}, holds no usable step, or a mapping key is unknown
   */
  public static TrainingLog read(Path file, Map<String, String> fields, OptionalInt groupsPerStep) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file.toString(), text, fields, groupsPerStep);
  }

  /**
   * Parses a log's text; {@code name} only labels messages.
   *
   * @throws IllegalArgumentException as {@link #read(Path, Map, OptionalInt)}
   */
  public static TrainingLog parse(String name, String text, Map<String, String> fields, OptionalInt groupsPerStep) {
    FieldMapping mapping = FieldMapping.of(fields);
    if (groupsPerStep.isPresent()) {
      Checks.atLeast("groupsPerStep", groupsPerStep.getAsInt(), 1);
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(name + ": is empty");
    }
    StepCollector out = new StepCollector(name, mapping, groupsPerStep);
    return out.finish(LogReader.detect(name, trimmed).read(text, out));
  }

  /**
   * Whether the log's rewards stayed within [0, 1], the precondition of the binary closed forms
   * (necessary, not sufficient: a mean in [0, 1] can hide other reward values).
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
