package io.github.rlvrdiagnostics.spark;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The front door of the Spark module: rollout records to the per-step diagnostic table, per-sample
 * evaluation results to pass@k, and the table as a {@link TrainingLog} for the training monitor.
 * Every number is computed by the core's accumulators and estimators on the workers and merged
 * with their own {@code combine}; the result equals the single-JVM reduction of the same records
 * up to floating-point rounding of sums taken in another order (well below 1e-12 relative).
 *
 * <p>Bad input as a whole (a missing column, a column of the wrong type, a record without a
 * step) is an {@link IllegalArgumentException} naming the column; single bad records are left out
 * and counted ({@link RolloutTable#skippedRecords()}, {@link SamplesPassAtK#skippedRecords()}).
 * No method throws a checked exception. Thread-safe as far as the given Spark session is.
 */
public final class SparkDiagnostics {
  private SparkDiagnostics() {}

  /**
   * The per-step table of a set of rollout records.
   *
   * <p>Columns: {@code step} (integers), {@code prompt_id} (strings or integers), {@code reward}
   * (numbers); optional {@code group_id} (a group is the rollouts with the same step and group
   * id; a record without one is grouped by its {@code prompt_id}), {@code tokens} (arrays of
   * integers: distinct-2 and Self-BLEU per step), {@code logprob} (the sum of the response's token
   * log-probabilities: the calibration gap and {@code Cov(log π, A)}), {@code pass_rate} (the
   * prompt's pre-RL pass rate: the predicted degenerate fraction). Other columns are ignored.
   *
   * <p>Special cases: with tokens the calibration gap divides the summed log-probability by the
   * number of tokens; without tokens it uses the sum as the response's value. A record is used
   * whole or not at all: a bad optional value leaves out its record, not just that value. Self-BLEU
   * keeps every sequence of a step and is estimated from at most {@link #SELF_BLEU_PAIRS}
   * hypothesis-reference pairs per step with seed {@link #SELF_BLEU_SEED} (exact for steps of up to
   * 1,000 rollouts; the error bound is {@code SelfBleu.sampledValue}'s); see
   * {@link #rolloutTable(Dataset, long, long)} to choose both.
   *
   * @param rollouts the records, from any source Spark reads
   * @return one row per step in increasing step order
   * @throws IllegalArgumentException when a required column is missing, a column has the wrong
   *     type, some record has no step (null), or Spark cannot read the input (a corrupt, truncated
   *     or foreign file: one line naming the file where Spark does)
   */
  public static RolloutTable rolloutTable(Dataset<Row> rollouts) {
    return RolloutReduction.reduce(rollouts, SELF_BLEU_PAIRS, SELF_BLEU_SEED);
  }

  /**
   * The default budget of Self-BLEU per step: {@code 10^6} hypothesis-reference pairs, so a step
   * of up to 1,000 rollouts is exact and a step of N larger is a mean over
   * {@code K = ⌊10^6 / (N − 1)⌋} hypotheses (K = 50 at N = 20,000: within 0.19 of the exact value
   * with probability 0.95 in the worst case, typically within 0.02), each against all others.
   */
  public static final long SELF_BLEU_PAIRS = 1_000_000;

  /** The default seed of the Self-BLEU draw. */
  public static final long SELF_BLEU_SEED = 20_261_207L;

  /**
   * The per-step table with a chosen Self-BLEU budget and seed: as {@link #rolloutTable(Dataset)}
   * otherwise. Each step's Self-BLEU is {@code SelfBleu.sampledValue(selfBleuPairs, seed)} of its
   * sequences: exact when {@code N(N − 1) ≤ selfBleuPairs}, else the mean BLEU of
   * {@code K = max(1, ⌊selfBleuPairs / (N − 1)⌋)} hypotheses drawn by the seed from the sequences'
   * contents (so the value does not depend on partitioning), each against all {@code N − 1}
   * others; unbiased, and within {@code sqrt(ln(2/δ) / (2K))} of the exact value with probability
   * at least {@code 1 − δ}.
   *
   * @param selfBleuPairs the most hypothesis-reference pairs per step, {@code ≥ 1}
   * @param seed the seed of the draw
   * @throws IllegalArgumentException as {@link #rolloutTable(Dataset)}, and on {@code selfBleuPairs < 1}
   */
  public static RolloutTable rolloutTable(Dataset<Row> rollouts, long selfBleuPairs, long seed) {
    return RolloutReduction.reduce(rollouts, selfBleuPairs, seed);
  }

  /**
   * Pass@k over the problems of per-sample results or per-problem counts, without a group size.
   * The same as {@code passAtK(samples, ks, 0)}.
   *
   * @throws IllegalArgumentException as {@link #passAtK(Dataset, int[], int)}
   */
  public static SamplesPassAtK passAtK(Dataset<Row> samples, int... ks) {
    return SampleReduction.reduce(samples, ks.clone(), 0);
  }

  /**
   * Pass@k, and at group size {@code G} the predicted degenerate fraction and the signal profile,
   * over the problems of per-sample results or per-problem counts: what
   * {@code rlvr-diag passk --samples} reports for the same records.
   *
   * <p>Columns: {@code task_id} (strings or integers) and either {@code passed} (booleans, or the
   * integers 0 and 1) per sample, or {@code n} and {@code c} (integers) per problem. Records of
   * one task are pooled (their {@code n} and {@code c} add up). An input must hold one kind: per-sample
   * and per-problem records mixed are refused, as {@code passk --samples} refuses such a file (pooled,
   * the two would count a problem's samples twice or not at all).
   *
   * @param ks the k values, each {@code ≥ 1} and at most every problem's n
   * @param groupSize the GRPO group size {@code G ≥ 1}, or 0 for none; with one, every problem needs
   *     {@code n ≥ max(2, G)}
   * @throws IllegalArgumentException on a missing or mistyped column, no k, a k or group size out
   *     of range for some problem (the message names it), no usable record, both kinds of record,
   *     a task with more than {@code 2^31 − 1} samples, or input Spark cannot read
   */
  public static SamplesPassAtK passAtK(Dataset<Row> samples, int[] ks, int groupSize) {
    return SampleReduction.reduce(samples, ks.clone(), groupSize);
  }

  /**
   * The table as a training log, so that {@code TrainingMonitor} (or {@code rlvr-diag monitor} on
   * the JSON lines {@code rlvr-diag reduce rollouts --out} writes) judges the run: per step the
   * observed and predicted degenerate fractions (with the all-pass/all-fail split of binary
   * rewards), the group count and the mean, smallest and largest reward. The log states no group size; its format is {@code "spark"}.
   *
   * @throws IllegalArgumentException if a step has more than {@code 2^31 − 1} groups
   */
  public static TrainingLog trainingLog(RolloutTable table) {
    List<TrainingStep> steps = new ArrayList<>();
    for (RolloutStep s : table.steps()) {
      if (s.groups() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("groups must be at most 2^31 - 1 per step, step " + s.step() + " has "
            + s.groups());
      }
      TrainingStep.Builder builder = TrainingStep.builder(s.step())
          .degenerateFraction(s.degenerateFraction())
          .groups((int) s.groups())
          .reward(s.meanReward())
          .rewardMin(s.rewardMin())
          .rewardMax(s.rewardMax());
      s.predictedDegenerateFraction().ifPresent(builder::predictedDegenerateFraction);
      s.allPassFraction().ifPresent(builder::allPassFraction);
      s.allFailFraction().ifPresent(builder::allFailFraction);
      steps.add(builder.build());
    }
    List<String> notes = new ArrayList<>();
    if (table.skippedRecords() > 0) {
      notes.add(String.format(Locale.ROOT, "%d rollout records skipped", table.skippedRecords()));
    }
    return new TrainingLog("spark", steps, List.of(), notes);
  }

  /**
   * Reads records from paths (files, directories or globs, as Spark reads them, on any file
   * system Spark's Hadoop configuration knows): JSON lines when the first path ends in
   * {@code .json}, {@code .jsonl} or {@code .ndjson} (optionally {@code .gz}), Parquet otherwise.
   * A JSON line that cannot be parsed, or that holds a key twice (at any depth, or at the top
   * level in two cases, since Spark's column names ignore case), becomes a record that the
   * reductions count as skipped with its reason; every other line is read as Spark reads it.
   *
   * @param paths at least one path
   * @throws IllegalArgumentException on no paths, or paths Spark cannot read (one line: its reason)
   */
  public static Dataset<Row> read(SparkSession spark, List<String> paths) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("paths must hold at least one path, was empty");
    }
    String[] all = paths.toArray(new String[0]);
    boolean json = all[0].toLowerCase(Locale.ROOT).matches(".*\\.(json|jsonl|ndjson)(\\.gz)?");
    try {
      return Failures.reading(() -> json
          ? spark.read().json(spark.read().textFile(all).map(new JsonLines.MarkDuplicateKeys(), Encoders.STRING()))
          : spark.read().parquet(all));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // Spark's AnalysisException (a missing path, a file of another format) is checked in Java's eyes.
      IllegalArgumentException input = Failures.asInput(e);
      throw input != null ? input : new IllegalArgumentException("paths: " + Failures.firstLine(e.getMessage()), e);
    }
  }
}
