package io.github.rlvrdiagnostics.core.signal;


import io.github.rlvrdiagnostics.api.AdvantageNormalization;
import io.github.rlvrdiagnostics.api.AdvantageVarianceModel;
import io.github.rlvrdiagnostics.api.Checks;

/** The closed forms of {@link AdvantageVarianceModel} for rewards in {@code {low, high}}. */
final class BinaryAdvantageVariance implements AdvantageVarianceModel {

  static final BinaryAdvantageVariance ZERO_ONE = new BinaryAdvantageVariance(0.0, 1.0);

  private final double low;
  private final double high;
  private final double scale;

  BinaryAdvantageVariance(double low, double high) {
    Checks.finite("rewardLow", low);
    Checks.finite("rewardHigh", high);
    if (!(high > low)) {
      throw new IllegalArgumentException(
          "rewardHigh must be > rewardLow, was rewardLow=" + low + ", rewardHigh=" + high);
    }
    double gap = high - low;
    if (!Double.isFinite(gap * gap)) {
      throw new IllegalArgumentException(
          "(rewardHigh - rewardLow)^2 must be finite, was rewardLow=" + low + ", rewardHigh=" + high);
    }
    this.low = low;
    this.high = high;
    this.scale = gap * gap;
  }

  /** {@code p(1−p)(G−1)/G} for {0, 1} rewards, after validating the arguments. */
  static double variance(double p, int groupSize) {
    Checks.probability("p", p);
    Checks.groupSize(groupSize);
    return p * (1.0 - p) * ((groupSize - 1.0) / groupSize);
  }

  @Override
  public double rewardLow() {
    return low;
  }

  @Override
  public double rewardHigh() {
    return high;
  }

  @Override
  public double expectedVariance(double p, int groupSize) {
    return scale * variance(p, groupSize);
  }

  @Override
  public double expectedEnergy(double p, int groupSize, AdvantageNormalization normalization) {
    switch (normalization) {
      case NONE:
        return expectedVariance(p, groupSize);
      case POPULATION_STD:
        return BinaryDegenerateThreshold.INSTANCE.nonDegenerateProbability(p, groupSize);
      case SAMPLE_STD:
        return (groupSize - 1.0) / groupSize
            * BinaryDegenerateThreshold.INSTANCE.nonDegenerateProbability(p, groupSize);
      default:
        throw new IllegalArgumentException("unknown normalization " + normalization);
    }
  }

  @Override
  public double gradientNormSquaredBound(double p, int groupSize, double scoreBound) {
    Checks.nonNegative("scoreBound", scoreBound);
    return scoreBound * scoreBound * expectedVariance(p, groupSize);
  }

  @Override
  public double batchExpectedVariance(double[] passRates, int groupSize) {
    Checks.probabilities("passRates", passRates);
    Checks.groupSize(groupSize);
    double sum = 0.0;
    for (double p : passRates) {
      sum += variance(p, groupSize);
    }
    return scale * (sum / passRates.length);
  }

  @Override
  public String toString() {
    return "AdvantageVarianceModel{rewards={" + low + ", " + high + "}}";
  }
}
