package io.github.rlvrdiagnostics.bench;

import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The majority-degenerate threshold {@code p*(G)}: our bracketed Newton iteration against a
 * generic Commons Math {@link BrentSolver} on the same function and bracket (0, 1/2), both to
 * 1e-15 absolute.
 *
 * <p>Run with {@code java -jar rlvr-diagnostics-bench/target/benchmarks.jar PStarBenchmark}
 * after {@code mvn -B -DskipTests package}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PStarBenchmark {

  @Param({"4", "8", "16", "64", "1024"})
  public int groupSize;

  private DegenerateThreshold threshold;
  private BrentSolver brent;

  /** Creates the solvers. */
  @org.openjdk.jmh.annotations.Setup
  public void setUp() {
    threshold = RlvrDiagnostics.degenerateThreshold();
    brent = new BrentSolver(1e-15, 1e-15);
  }

  /** Our root: bracketed Newton from {@code 1 − 2^{−1/G}}. */
  @Benchmark
  public double ours() {
    return threshold.pStar(groupSize);
  }

  /** The generic solve: Brent on {@code p^G + (1−p)^G − 1/2} over (0, 1/2). */
  @Benchmark
  public double commonsMathBrent() {
    int g = groupSize;
    return brent.solve(
        1_000, p -> Math.pow(p, g) + Math.pow(1.0 - p, g) - 0.5, 1e-300, 0.5);
  }
}
