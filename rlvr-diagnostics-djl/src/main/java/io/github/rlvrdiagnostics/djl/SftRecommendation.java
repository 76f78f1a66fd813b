package io.github.rlvrdiagnostics.djl;

import io.github.rlvrdiagnostics.api.LadderReport;
import java.util.Optional;

/**
 * What an {@link SftStopAdvisor} recommends from the probe points so far.
 *
 * @param signalPick the checkpoint to start RL from by the signal rule: the highest pass@1 among
 *     probe points whose predicted degenerate fraction at G the rule does not flag, else the
 *     lowest predicted degenerate fraction
 * @param stage1Pick the paper's Stage 1 pick beside it: the highest pass@1 among probe points
 *     whose generation-start entropy is not below tau; empty when every point is flagged
 * @param report the whole diagnostic of the ladder (per-point flags, picks), as {@code triage}
 *     computes it from the ladder file
 */
public record SftRecommendation(SftProbe signalPick, Optional<SftProbe> stage1Pick, LadderReport report) {}
