package io.github.rlvrdiagnostics.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Entropy of float32 logits, one row per sequence, side by side: our core probe without JVM flags
 * and with the Vector API, a naive two-pass {@code Math.exp} loop, the DJL/PyTorch CPU composite
 * ({@code logSoftmax}, {@code exp}, {@code mul}, {@code sum}), the read floor (a plain
 * four-accumulator sum over the same floats: no entropy code can beat reading its input) and the
 * exp floor (the JDK's own SIMD float {@code exp} over every logit, summed: one {@code exp} per
 * logit and nothing else; on JDK 17 it allocates a box per vector, so it is the cheapest
 * {@code exp} the Vector API offers, not the hardware's limit).
 *
 * <p>Run with {@code rlvr-diagnostics-bench/run-benchmarks.sh} (which puts the PyTorch native jar on the class
 * path), or {@code java -cp rlvr-diagnostics-bench/target/benchmarks.jar:<pytorch-native-cpu jar>
 * org.openjdk.jmh.Main EntropyBenchmark} after {@code mvn -B -DskipTests package}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class EntropyBenchmark {

  /** The same probe on a JVM with {@code --add-modules jdk.incubator.vector}: the SIMD path. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true"})
  public double[] oursVectorApi() {
    return Entropies.rows(logits, sampling);
  }

  @Param({"32", "1000", "32000", "151936"})
  public int vocab;

  @Param({"1", "8"})
  public int batch;

  private float[][] logits;
  private SamplingConfig sampling;
  private NDManager manager;
  private NDArray onDevice;

  /** Random logits (N(0, 3²)), and the same values as a DJL array, created once. */
  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    logits = new float[batch][vocab];
    for (float[] row : logits) {
      for (int i = 0; i < vocab; i++) {
        row[i] = (float) (3 * random.nextGaussian());
      }
    }
    sampling = SamplingConfig.ofTemperature(1.0);
    manager = NDManager.newBaseManager();
    onDevice = manager.create(logits);
  }

  /** Releases the engine's memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** Our probe: one stable pass per row, double accumulation. */
  @Benchmark
  public double[] ours() {
    return Entropies.rows(logits, sampling);
  }

  /** The plain-Java pass as it was before the fast paths, for the "never slower" check. */
  @Benchmark
  public double[] previousPlainJava() {
    return PreviousEntropy.rows(logits, 1.0 / sampling.temperature());
  }

  /** A textbook implementation: max, sum of exps, then −Σ p log p with p recomputed. */
  @Benchmark
  public double[] naiveTwoPass() {
    double[] out = new double[batch];
    for (int r = 0; r < batch; r++) {
      float[] row = logits[r];
      double max = Double.NEGATIVE_INFINITY;
      for (float z : row) {
        max = Math.max(max, z);
      }
      double sum = 0;
      for (float z : row) {
        sum += Math.exp(z - max);
      }
      double h = 0;
      for (float z : row) {
        double p = Math.exp(z - max) / sum;
        h -= p * Math.log(p);
      }
      out[r] = h;
    }
    return out;
  }

  /** The DJL/PyTorch CPU composite on an array already in native memory. */
  @Benchmark
  public float[] djlComposite() {
    try (NDManager scope = manager.newSubManager()) {
      scope.tempAttachAll(onDevice);
      NDArray logP = onDevice.logSoftmax(-1);
      return logP.exp().mul(logP).sum(new int[] {-1}).neg().toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  /**
   * The exp floor: {@code FloatVector.lanewise(EXP)} (8 float lanes on AVX2) over every logit,
   * summed in float lanes; an entropy needs at least this much work per logit.
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true"})
  public float expFloorVectorApi() {
    return ExpFloor.sum(logits);
  }

  /** The read floor: sum every float with four independent accumulators. */
  @Benchmark
  public double readFloor() {
    double a = 0;
    double b = 0;
    double c = 0;
    double d = 0;
    for (float[] row : logits) {
      int i = 0;
      for (; i + 3 < row.length; i += 4) {
        a += row[i];
        b += row[i + 1];
        c += row[i + 2];
        d += row[i + 3];
      }
      for (; i < row.length; i++) {
        a += row[i];
      }
    }
    return a + b + c + d;
  }
}
