package io.github.rlvrdiagnostics.api;

/**
 * The majority-degenerate threshold at one group size, as tabulated in <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i> (docs/MATH.md §1).
 *
 * @param groupSize the group size {@code G}, at least 1
 * @param pStar the threshold {@code p*(G)}, in (0, 1/2]
 * @param advantageVarianceAtPStar the expected advantage variance {@code p*(1−p*)(G−1)/G} at the
 *     threshold, for {0, 1} rewards
 * @param lnTwoOverG the leading-order approximation {@code ln 2 / G}
 */
public record ThresholdPoint(
    int groupSize, double pStar, double advantageVarianceAtPStar, double lnTwoOverG) {

  /** Validates the components. */
  public ThresholdPoint {
    Checks.groupSize(groupSize);
    Checks.openClosed("pStar", pStar, 0.0, 0.5);
    Checks.probability("advantageVarianceAtPStar", advantageVarianceAtPStar);
    Checks.finite("lnTwoOverG", lnTwoOverG);
  }
}
