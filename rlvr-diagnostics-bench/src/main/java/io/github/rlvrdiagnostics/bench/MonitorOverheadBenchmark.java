package io.github.rlvrdiagnostics.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.djl.GrpoConfig;
import io.github.rlvrdiagnostics.djl.GrpoStepMetrics;
import io.github.rlvrdiagnostics.djl.GrpoTrainer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The monitor's cost per GRPO step next to the step itself: {@code monitorStep} builds a step
 * from 8 groups of 8 binary rewards with per-prompt pass rates and feeds it to a
 * {@link TrainingMonitor}; {@code grpoStep} is one step of the reference loop ({@link GrpoTrainer},
 * 8 prompts × 8 rollouts × 2 tokens on a bigram policy over 8 tokens, the smallest real step) on
 * the CPU. The ratio of the two is the overhead; a larger policy only makes it smaller.
 *
 * <p>Run with {@code rlvr-diagnostics-bench/run-benchmarks.sh}, or {@code java -cp
 * rlvr-diagnostics-bench/target/benchmarks.jar:<pytorch-native-cpu jar> org.openjdk.jmh.Main
 * MonitorOverheadBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class MonitorOverheadBenchmark {
  private static final int VOCAB = 8;

  private TrainingMonitor monitor;
  private double[][] rewards;
  private double[] passRates;
  private long step;
  private Model model;
  private GrpoTrainer trainer;

  /** The monitor's inputs and a reference loop on a fresh bigram policy. */
  @Setup(Level.Trial)
  public void setUp() {
    monitor = TrainingMonitor.create(TriageConfig.DEFAULT);
    Random random = new Random(1);
    rewards = new double[8][8];
    passRates = new double[8];
    for (int g = 0; g < 8; g++) {
      passRates[g] = random.nextDouble();
      for (int i = 0; i < 8; i++) {
        rewards[g][i] = random.nextDouble() < passRates[g] ? 1 : 0;
      }
    }
    SequentialBlock block = new SequentialBlock();
    block.add(new LambdaBlock(list -> new NDList(list.head().oneHot(VOCAB))));
    block.add(Linear.builder().setUnits(VOCAB).build());
    model = Model.newInstance("bench-policy");
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
    GrpoConfig config = GrpoConfig.builder().groupSize(8).promptsPerStep(8).maxNewTokens(2).seed(3).build();
    trainer = GrpoTrainer.builder(model, config, (p, c) -> c[0] == (p[0] + 1) % VOCAB ? 1 : 0,
        index -> new int[] {(int) (index % VOCAB)}).build();
  }

  /** Releases the loop and the model. */
  @TearDown(Level.Trial)
  public void tearDown() {
    trainer.close();
    model.close();
  }

  /** What a training loop pays per step for the monitor. */
  @Benchmark
  public List<?> monitorStep() {
    return monitor.accept(TrainingMonitor.stepFromGroups(step++, rewards, passRates).build());
  }

  /** One reference GRPO step. */
  @Benchmark
  public GrpoStepMetrics grpoStep() {
    return trainer.step();
  }
}
