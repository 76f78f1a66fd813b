package io.github.rlvrdiagnostics.core;

import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import java.util.List;

/**
 * Shared QuickTheories set-up: a fixed seed so CI is reproducible (override with
 * {@code -Drlvr.qt.seed=N} to explore), and generators that visit the tails on purpose.
 */
public final class Theories {
  private Theories() {}

  public static final long SEED = Long.getLong("rlvr.qt.seed", 20261122L);

  public static QuickTheory qt() {
    return QuickTheory.qt().withFixedSeed(SEED);
  }

  public static QuickTheory qt(int examples) {
    return qt().withExamples(examples);
  }

  /** Probabilities in [0, 1], a third of them drawn from the edges and from tiny values. */
  public static Gen<Double> probabilities() {
    Gen<Double> uniform = Generate.range(0, 1_000_000_000).map(i -> i / 1e9);
    Gen<Double> tiny = Generate.range(-300, -1).zip(Generate.range(1, 9), (e, m) -> m * Math.pow(10, e));
    Gen<Double> special =
        Generate.pick(List.of(0.0, 1.0, 0.5, Double.MIN_VALUE, 1e-17, 1.0 - 1e-16, 0.25, 0.75));
    return uniform.mix(tiny.mix(tiny.map(x -> 1.0 - x)), 30).mix(special, 10);
  }

  /** Group sizes from 1 to 1e6, biased towards the small sizes used in practice. */
  public static Gen<Integer> groupSizes() {
    return Generate.range(1, 64).mix(Generate.range(65, 1_000_000), 30);
  }
}
