package io.github.rlvrdiagnostics.bench;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.TokenEntropies;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sampler hook's cost per generated token next to the cost of sampling the token: {@code sample}
 * is a JVM engine's categorical sampler at temperature 1 (softmax of the logits into a reused
 * float buffer with {@code Math.exp}, then a cumulative draw, as the temperature samplers of
 * llama3.java-style engines do), {@code hook} is {@link TokenEntropies#onLogits} alone, and
 * {@code sampleWithHook} the wrapped sampler (hook, then sample). The hook runs in the sampler's
 * thread and does not fork. Run it with {@code -prof gc} to see the hook's allocation per token.
 *
 * <p>Run with {@code java -cp rlvr-diagnostics-bench/target/benchmarks.jar org.openjdk.jmh.Main
 * SamplerHookBenchmark} after {@code mvn -B -DskipTests package -pl rlvr-diagnostics-bench -am};
 * the {@code Vector} variants start their fork with {@code --add-modules jdk.incubator.vector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SamplerHookBenchmark {
  @Param({"151936"})
  public int vocab;

  private float[] logits;
  private float[] probabilities;
  private Random random;
  private TokenEntropies recorder;

  /** Random logits (N(0, 3²)) and the sampler's buffer, created once. */
  @Setup(Level.Trial)
  public void setUp() {
    Random values = new Random(42);
    logits = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      logits[i] = (float) (3 * values.nextGaussian());
    }
    probabilities = new float[vocab];
    random = new Random(7);
    recorder = TokenEntropies.create(SamplingConfig.ofTemperature(1.0));
  }

  /** One token drawn: max, softmax into the reused buffer, a cumulative draw. */
  @Benchmark
  public int sample() {
    float max = Float.NEGATIVE_INFINITY;
    for (float z : logits) {
      max = Math.max(max, z);
    }
    float sum = 0f;
    for (int i = 0; i < logits.length; i++) {
      float e = (float) Math.exp(logits[i] - max);
      probabilities[i] = e;
      sum += e;
    }
    float u = random.nextFloat() * sum;
    float acc = 0f;
    for (int i = 0; i < probabilities.length; i++) {
      acc += probabilities[i];
      if (u < acc) {
        return i;
      }
    }
    return probabilities.length - 1;
  }

  /** The hook alone: one token's entropy into the recorder. */
  @Benchmark
  public long hook() {
    recorder.onLogits(logits);
    return recorder.count();
  }

  /** The wrapped sampler: the hook, then the draw. */
  @Benchmark
  public int sampleWithHook() {
    recorder.onLogits(logits);
    return sample();
  }

  /** The hook on a JVM with the Vector API module. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
  public long hookVector() {
    recorder.onLogits(logits);
    return recorder.count();
  }

  /** The wrapped sampler on a JVM with the Vector API module. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
  public int sampleWithHookVector() {
    recorder.onLogits(logits);
    return sample();
  }
}
