package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.core.Theories;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The compact step list ({@link TrainingStep#compactListBuilder()}) that the log readers build:
 * it must give back exactly the steps put in, whichever metrics each step has, across its chunk
 * boundaries (4,096 steps), and a {@link TrainingLog} must keep it without copying.
 */
class CompactStepListProperties {

  /** A step whose metrics are each present or absent at random (values within every component's rule). */
  private static TrainingStep randomStep(long step, SplittableRandom r, double presence) {
    TrainingStep.Builder b = TrainingStep.builder(step);
    if (r.nextDouble() < presence) b.entropy(r.nextDouble() * 3);
    if (r.nextDouble() < presence) b.degenerateFraction(r.nextDouble());
    if (r.nextDouble() < presence) b.predictedDegenerateFraction(r.nextDouble());
    if (r.nextDouble() < presence) b.groups(1 + r.nextInt(1024));
    if (r.nextDouble() < presence) b.reward(r.nextDouble() * 20 - 10);
    if (r.nextDouble() < presence) b.rewardStd(r.nextDouble());
    if (r.nextDouble() < presence) b.rewardMin(-r.nextDouble());
    if (r.nextDouble() < presence) b.rewardMax(r.nextDouble());
    if (r.nextDouble() < presence) b.kl(r.nextDouble() - 0.5);
    if (r.nextDouble() < presence) b.clipFraction(r.nextDouble());
    if (r.nextDouble() < presence) b.gradNorm(r.nextDouble() * 5);
    if (r.nextDouble() < presence) b.clipFractionLow(r.nextDouble());
    if (r.nextDouble() < presence) b.clipFractionHigh(r.nextDouble());
    if (r.nextDouble() < presence) b.genBatches(1 + r.nextInt(9));
    if (r.nextDouble() < presence) {
      double pass = r.nextDouble();
      b.allPassFraction(pass);
      if (r.nextDouble() < presence) b.allFailFraction((1 - pass) * r.nextDouble());
    }
    return b.build();
  }

  @Test
  void givesBackExactlyTheStepsPutIn() {
    // Sizes around the chunk boundary included; presence from "no metric at all" to "every metric".
    Theories.qt(40).forAll(Generate.pick(List.of(0, 1, 7, 4095, 4096, 4097, 9000)), Generate.range(0, 4),
        Generate.longRange(0, Long.MAX_VALUE)).checkAssert((size, presenceLevel, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          List<TrainingStep> plain = new ArrayList<>();
          TrainingStep.ListBuilder builder = TrainingStep.compactListBuilder();
          for (int i = 0; i < size; i++) {
            // Metrics appearing part-way through the log (a column first used in a later chunk).
            double presence = i < size / 2 ? presenceLevel / 8.0 : presenceLevel / 4.0;
            TrainingStep s = randomStep(3L * i, r, presence);
            plain.add(s);
            builder.add(s);
          }
          List<TrainingStep> compact = builder.build();
          assertEquals(plain, compact);
          assertEquals(plain.hashCode(), compact.hashCode());
        });
  }

  @Test
  void aLogKeepsTheCompactListAndTheListIsImmutable() {
    TrainingStep.ListBuilder builder = TrainingStep.compactListBuilder();
    builder.add(TrainingStep.builder(1).entropy(0.5).build());
    List<TrainingStep> compact = builder.build();
    TrainingLog log = new TrainingLog("jsonl", compact, List.of(), List.of());
    assertSame(compact, log.steps());
    assertThrows(UnsupportedOperationException.class, () -> compact.add(TrainingStep.builder(2).build()));
    assertThrows(IllegalStateException.class, () -> builder.add(TrainingStep.builder(2).build()));
    assertThrows(IndexOutOfBoundsException.class, () -> compact.get(1));
  }
}
