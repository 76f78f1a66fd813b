package io.github.rlvrdiagnostics.bench;

import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The unbiased estimators at {@code n = 10^3} and {@code 10^6} with a pass rate of 30%: one
 * pass@k, the whole pass@k curve, and the degenerate-probability estimate; the baseline is the
 * log-gamma form {@code 1 − exp(lnC(n−c, k) − lnC(n, k))} of Commons Math, which is fast but only
 * accurate to about 1e-9 absolute at these sizes.
 *
 * <p>Run with {@code java -jar rlvr-diagnostics-bench/target/benchmarks.jar PassAtKBenchmark}
 * after {@code mvn -B -DskipTests package}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PassAtKBenchmark {

  @Param({"1000", "1000000"})
  public int n;

  @Param({"10"})
  public int k;

  private int c;
  private PassAtK passAtK;

  /** Fixes the pass count at 30% of the samples. */
  @Setup
  public void setUp() {
    c = (int) (0.3 * n);
    passAtK = RlvrDiagnostics.passAtK();
  }

  /** One pass@k: O(min(c, k)) log1p terms. */
  @Benchmark
  public double passAtK() {
    return passAtK.estimate(n, c, k);
  }

  /** The whole curve k = 1..n: O(n). */
  @Benchmark
  public double[] curve() {
    return passAtK.curve(n, c);
  }

  /** The unbiased P_deg at G = k. */
  @Benchmark
  public double degenerateEstimate() {
    return passAtK.degenerateProbabilityEstimate(n, c, k);
  }

  /** The log-gamma baseline for one pass@k. */
  @Benchmark
  public double commonsMathLogBinomial() {
    return -Math.expm1(CombinatoricsUtils.binomialCoefficientLog(n - c, k)
        - CombinatoricsUtils.binomialCoefficientLog(n, k));
  }
}
