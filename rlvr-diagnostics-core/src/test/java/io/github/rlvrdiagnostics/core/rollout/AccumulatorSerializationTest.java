package io.github.rlvrdiagnostics.core.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * The rollout accumulators survive Java serialization (how Spark ships partial accumulators
 * between workers): a copy reports the same values, and merging into a copy gives what merging
 * into the original gives.
 */
class AccumulatorSerializationTest {

  @SuppressWarnings("unchecked")
  private static <T> T copy(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void degenerateGroupsKeepCountsFloorAndPrediction() {
    DegenerateGroups a = DegenerateGroups.empty(0.5).accept(new double[] {1, 1}, 0.3).accept(new double[] {0, 1});
    DegenerateGroups copy = copy(a);
    assertEquals(0.5, copy.spreadFloor());
    assertEquals(a.value(), copy.value());
    assertEquals(a.predictedFraction(), copy.predictedFraction());
    assertEquals(a.allPassFraction(), copy.allPassFraction());
    DegenerateGroups more = DegenerateGroups.empty(0.5).accept(new double[] {0.2, 0.9});
    assertEquals(copy(more).combine(a).value(), more.combine(copy).value());
    assertEquals(false, more.binaryRewards());
  }

  @Test
  void distinctNKeepsItsNGrams() {
    DistinctN a = DistinctN.empty(2).accept(new int[] {1, 2, 3}).accept(new int[] {1, 2, 4});
    DistinctN copy = copy(a);
    assertEquals(a.distinct(), copy.distinct());
    // The n-grams themselves came along: merging the original into the copy adds nothing new.
    assertEquals(a.distinct(), copy.combine(a).distinct());
    assertEquals(8, copy.total());
  }

  @Test
  void selfBleuCalibrationGapAndCovarianceKeepTheirValues() {
    SelfBleu bleu = SelfBleu.empty().accept(new int[] {1, 2, 3, 4, 5}).accept(new int[] {1, 2, 3, 4, 6});
    assertEquals(bleu.value(), copy(bleu).value());
    CalibrationGap gap = CalibrationGap.empty().accept(-0.5, true).accept(-2.0, false);
    assertEquals(gap.value(), copy(gap).value());
    LogProbAdvantageCovariance cov = LogProbAdvantageCovariance.empty().accept(-1, 0.5).accept(-3, -0.5);
    assertEquals(cov.value(), copy(cov).value());
    assertEquals(cov.meanLogProb(), copy(cov).meanLogProb());
  }
}
