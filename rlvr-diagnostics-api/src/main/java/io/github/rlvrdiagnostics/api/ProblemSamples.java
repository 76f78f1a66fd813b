package io.github.rlvrdiagnostics.api;

/**
 * The sampling result of one problem: {@code n} completions of which {@code c} passed the
 * verifier.
 *
 * @param id the problem's identifier (a task id), never null, may be empty
 * @param n the number of sampled completions, at least 1
 * @param c the number that passed, {@code 0 ≤ c ≤ n}
 */
public record ProblemSamples(String id, int n, int c) {

  /** Validates the components. */
  public ProblemSamples {
    if (id == null) {
      throw new IllegalArgumentException("id must not be null");
    }
    Checks.counts(n, c, 1);
  }

  /** A problem without an identifier. */
  public static ProblemSamples of(int n, int c) {
    return new ProblemSamples("", n, c);
  }

  /** A named problem. */
  public static ProblemSamples of(String id, int n, int c) {
    return new ProblemSamples(id, n, c);
  }

  /** The plug-in pass rate {@code c / n} (a biased estimate of anything non-linear in p). */
  public double passRate() {
    return (double) c / n;
  }
}
