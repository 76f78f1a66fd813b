package io.github.rlvrdiagnostics.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/** Seeded rollout records for the tests, as Java values and as a Spark DataFrame. */
record Rollouts(List<Rollouts.Rec> records, boolean passRates, boolean tokens, boolean logProbs) {

  /** One rollout record; null fields are missing values. */
  record Rec(@Nullable Long step, @Nullable String promptId, @Nullable String groupId, @Nullable Double reward,
      int @Nullable [] tokens, @Nullable Double logProb, @Nullable Double passRate) {}

  /**
   * {@code steps} steps of {@code prompts} prompts × {@code groupSize} rollouts; the degenerate
   * fraction drifts upwards with the step (pass rates move towards 0 and 1).
   *
   * @param binary {0, 1} rewards, else rewards in [0, 1] with partial credit
   */
  static Rollouts generate(long seed, int steps, int prompts, int groupSize, boolean binary, boolean passRates,
      boolean tokens, boolean logProbs) {
    Random random = new Random(seed);
    List<Rec> records = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      double sharpen = 1 + 4.0 * step / Math.max(1, steps - 1);
      for (int p = 0; p < prompts; p++) {
        double u = random.nextDouble();
        double rate = u < 0.5 ? Math.pow(2 * u, sharpen) / 2 : 1 - Math.pow(2 * (1 - u), sharpen) / 2;
        for (int i = 0; i < groupSize; i++) {
          double reward = random.nextDouble() < rate ? 1.0 : 0.0;
          if (!binary && random.nextInt(4) == 0) {
            reward = random.nextInt(5) / 4.0; // partial credit
          }
          int[] sequence = null;
          if (tokens) {
            sequence = new int[1 + random.nextInt(12)];
            for (int t = 0; t < sequence.length; t++) {
              sequence[t] = random.nextInt(6);
            }
          }
          Double logProb = logProbs ? -random.nextDouble() * (sequence == null ? 5 : sequence.length) : null;
          records.add(new Rec((long) step, "prompt-" + p, null, reward, sequence, logProb, passRates ? rate : null));
        }
      }
    }
    return new Rollouts(records, passRates, tokens, logProbs);
  }

  Rollouts with(Rec... more) {
    List<Rec> all = new ArrayList<>(records);
    all.addAll(Arrays.asList(more));
    return new Rollouts(all, passRates, tokens, logProbs);
  }

  Rollouts withoutBad(int count) {
    return new Rollouts(records.subList(0, records.size() - count), passRates, tokens, logProbs);
  }

  StructType schema() {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("step", DataTypes.LongType, true),
        DataTypes.createStructField("prompt_id", DataTypes.StringType, true),
        DataTypes.createStructField("group_id", DataTypes.StringType, true),
        DataTypes.createStructField("reward", DataTypes.DoubleType, true)));
    if (tokens) {
      fields.add(DataTypes.createStructField("tokens", DataTypes.createArrayType(DataTypes.IntegerType), true));
    }
    if (logProbs) {
      fields.add(DataTypes.createStructField("logprob", DataTypes.DoubleType, true));
    }
    if (passRates) {
      fields.add(DataTypes.createStructField("pass_rate", DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(fields);
  }

  Dataset<Row> frame(SparkSession spark, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (Rec r : records) {
      List<Object> values = new ArrayList<>(Arrays.asList(r.step(), r.promptId(), r.groupId(), r.reward()));
      if (tokens) {
        values.add(r.tokens() == null ? null : Arrays.stream(r.tokens()).boxed().toList());
      }
      if (logProbs) {
        values.add(r.logProb());
      }
      if (passRates) {
        values.add(r.passRate());
      }
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, schema()).repartition(partitions);
  }
}
