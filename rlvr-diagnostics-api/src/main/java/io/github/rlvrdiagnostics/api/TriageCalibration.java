package io.github.rlvrdiagnostics.api;

import java.util.OptionalDouble;

/**
 * Thresholds fitted to a user's own ladder with known outcomes (see {@code LadderCalibration.calibrate} in the core module).
 *
 * @param tau the fitted Stage 1 entropy threshold
 * @param tauBalancedAccuracy the balanced accuracy of "entropy below τ" as a detector of a poor
 *     outcome on that ladder
 * @param delta the fitted Stage 2 drop threshold; empty when no checkpoint has a trace
 * @param deltaBalancedAccuracy its balanced accuracy; empty with {@code delta}
 * @param poorOutcomeBelow the outcome below which a checkpoint counted as poor (the median)
 * @param checkpoints the number of checkpoints used
 */
public record TriageCalibration(
    double tau, double tauBalancedAccuracy, OptionalDouble delta, OptionalDouble deltaBalancedAccuracy,
    double poorOutcomeBelow, int checkpoints) {}
