package io.github.rlvrdiagnostics.core.signal;


import io.github.rlvrdiagnostics.api.BatchSignal;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.GroupSignal;
import io.github.rlvrdiagnostics.api.ThresholdPoint;
import java.util.OptionalInt;

/**
 * The closed forms of {@link DegenerateThreshold} for i.i.d. binary rollouts.
 *
 * <p>{@code (1−p)^G} is evaluated as {@code exp(G·log1p(−p))} so that small pass rates and large
 * groups keep full relative precision; the evaluation folds {@code p} onto [0, 1/2] first, where
 * {@code 1 − p} is exact, which keeps {@code P_deg} symmetric.
 */
enum BinaryDegenerateThreshold implements DegenerateThreshold {
  INSTANCE;

  private static final double LN2 = Math.log(2.0);
  private static final int MAX_NEWTON_STEPS = 100;

  @Override
  public double degenerateProbability(double p, int groupSize) {
    Checks.probability("p", p);
    Checks.groupSize(groupSize);
    double a = Math.min(p, 1.0 - p);
    return Math.min(1.0, Math.pow(a, groupSize) + Math.exp(groupSize * Math.log1p(-a)));
  }

  @Override
  public double nonDegenerateProbability(double p, int groupSize) {
    Checks.probability("p", p);
    Checks.groupSize(groupSize);
    if (groupSize == 1) {
      return 0.0;
    }
    double a = Math.min(p, 1.0 - p);
    // 1 − (1−a)^G − a^G without forming (1−a)^G, which would cancel when P_deg is close to 1.
    double value = -Math.expm1(groupSize * Math.log1p(-a)) - Math.pow(a, groupSize);
    return Math.max(0.0, Math.min(1.0, value));
  }

  @Override
  public boolean majorityDegenerate(double p, int groupSize) {
    return degenerateProbability(p, groupSize) > 0.5;
  }

  @Override
  public double pStar(int groupSize) {
    Checks.groupSize(groupSize);
    if (groupSize <= 2) {
      return 0.5;
    }
    double g = groupSize;
    // Dropping p^G gives the lower bound 1 − 2^{−1/G}; 1 − x/G < e^{−x/G} gives the upper ln 2/G.
    double lo = -Math.expm1(-LN2 / g);
    double hi = LN2 / g;
    double p = lo;
    for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
      double pG = Math.pow(p, g);
      double qG = Math.exp(g * Math.log1p(-p));
      double f = pG + qG - 0.5;
      if (f == 0.0) {
        return p;
      }
      // f is strictly decreasing on (0, 1/2): shrink the bracket around the root.
      if (f > 0.0) {
        lo = p;
      } else {
        hi = p;
      }
      double slope = g * (pG / p - qG / (1.0 - p));
      double next = p - f / slope;
      if (!(next > lo && next < hi)) {
        next = 0.5 * (lo + hi);
      }
      if (Math.abs(next - p) <= Math.ulp(p) || next == lo || next == hi) {
        return next;
      }
      p = next;
    }
    return p;
  }

  @Override
  public ThresholdPoint threshold(int groupSize) {
    double pStar = pStar(groupSize);
    return new ThresholdPoint(
        groupSize,
        pStar,
        BinaryAdvantageVariance.variance(pStar, groupSize),
        LN2 / groupSize);
  }

  @Override
  public GroupSignal group(double p, int groupSize) {
    double degenerate = degenerateProbability(p, groupSize);
    return new GroupSignal(
        p, groupSize, BinaryAdvantageVariance.variance(p, groupSize), degenerate, degenerate > 0.5);
  }

  @Override
  public OptionalInt smallestGroupSize(double p, double target) {
    Checks.probability("p", p);
    Checks.openClosed("target", target, 0.0, 1.0);
    if (target >= 1.0) {
      return OptionalInt.of(1);
    }
    if (p == 0.0 || p == 1.0) {
      return OptionalInt.empty();
    }
    // P_deg is strictly decreasing in G for p in (0, 1): double until below target, then bisect.
    long hi = 1;
    while (degenerateProbability(p, (int) hi) > target) {
      if (hi >= Integer.MAX_VALUE) {
        return OptionalInt.empty();
      }
      hi = Math.min(Integer.MAX_VALUE, hi * 2);
    }
    long lo = Math.max(1, hi / 2); // P_deg(lo) > target unless hi == 1
    if (hi == 1) {
      return OptionalInt.of(1);
    }
    while (hi - lo > 1) {
      long mid = (lo + hi) >>> 1;
      if (degenerateProbability(p, (int) mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return OptionalInt.of((int) hi);
  }

  @Override
  public BatchSignal batch(double[] passRates, int groupSize) {
    Checks.probabilities("passRates", passRates);
    Checks.groupSize(groupSize);
    double nonDegenerate = 0.0;
    double variance = 0.0;
    for (double p : passRates) {
      nonDegenerate += nonDegenerateProbability(p, groupSize);
      variance += BinaryAdvantageVariance.variance(p, groupSize);
    }
    int prompts = passRates.length;
    double degenerateFraction = Math.max(0.0, Math.min(1.0, 1.0 - nonDegenerate / prompts));
    return new BatchSignal(
        prompts,
        groupSize,
        Math.min(prompts, nonDegenerate),
        degenerateFraction,
        Math.min(1.0, variance / prompts));
  }
}
