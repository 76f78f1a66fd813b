package io.github.rlvrdiagnostics.api;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one GRPO training step reported, normalised across trainers: the monitor's input, whether
 * it comes from a live loop or a log file. Every metric is optional: logs say what they say.
 *
 * @param step the training step, {@code ≥ 0}
 * @param entropy the policy's token entropy in nats (the logged mean entropy, or the worst-token
 *     probe when the loop has one)
 * @param degenerateFraction the observed fraction of groups whose rewards were all equal, in [0, 1]
 * @param predictedDegenerateFraction the fraction predicted from the step's per-prompt pass rates,
 *     in [0, 1]
 * @param groups the number of groups (prompts) in the step, when known
 * @param reward the mean reward
 * @param rewardStd the reward standard deviation as the trainer logged it
 * @param rewardMin the smallest reward of the step
 * @param rewardMax the largest reward of the step
 * @param kl the KL divergence to the reference policy
 * @param clipFraction the fraction of tokens whose ratio was clipped
 * @param gradNorm the gradient norm
 * @param clipFractionLow the fraction of tokens clipped at the lower bound (TRL
 *     {@code clip_ratio/low_mean}; verl's dual-clip {@code actor/pg_clipfrac_lower}), in [0, 1]
 * @param clipFractionHigh the fraction of tokens clipped at the upper bound (TRL
 *     {@code clip_ratio/high_mean}), in [0, 1]
 * @param genBatches the generation rounds the step needed to fill its batch (DAPO's dynamic
 *     sampling, {@code train/num_gen_batches}), {@code ≥ 1}
 * @param allPassFraction the fraction of groups whose rollouts all passed (prime-rl
 *     {@code solved_all}, rllm {@code batch/solve_all}, slime {@code zero_std/count_1.0} over the
 *     groups), in [0, 1]
 * @param allFailFraction the fraction of groups whose rollouts all failed; with
 *     {@code allPassFraction} at most 1, and both together the degenerate fraction of a binary
 *     reward
 * @param loss the policy loss (TRL {@code loss}, verl {@code actor/pg_loss}), finite, any sign
 * @param responseLength the mean response length in tokens (TRL {@code completions/mean_length},
 *     verl {@code response_length/mean}), {@code ≥ 0}
 * @param truncatedFraction the fraction of responses cut at the length limit (TRL
 *     {@code completions/clipped_ratio}, verl {@code response_length/clip_ratio}), in [0, 1]
 * @param nonFiniteValues how many of the step's logged values were NaN or infinite (and so read
 *     as missing), {@code ≥ 0}: a diverged update shows here first
 *
 * <p>Parts must add up, up to {@link Checks#FRACTION_TOLERANCE}: {@code allPassFraction +
 * allFailFraction ≤ 1} and {@code rewardMin ≤ rewardMax} for those present. (The mean reward is
 * not held between them: trainers log it from other aggregations, such as a weighted sum of reward
 * functions, and a step must not be lost to that.)
 */
public record TrainingStep(
    long step,
    OptionalDouble entropy,
    OptionalDouble degenerateFraction,
    OptionalDouble predictedDegenerateFraction,
    OptionalInt groups,
    OptionalDouble reward,
    OptionalDouble rewardStd,
    OptionalDouble rewardMin,
    OptionalDouble rewardMax,
    OptionalDouble kl,
    OptionalDouble clipFraction,
    OptionalDouble gradNorm,
    OptionalDouble clipFractionLow,
    OptionalDouble clipFractionHigh,
    OptionalDouble genBatches,
    OptionalDouble allPassFraction,
    OptionalDouble allFailFraction,
    OptionalDouble loss,
    OptionalDouble responseLength,
    OptionalDouble truncatedFraction,
    int nonFiniteValues) {

  /** Validates the components. */
  public TrainingStep {
    Checks.atLeast("step", step, 0L);
    nonNegative("entropy", entropy);
    unit("degenerateFraction", degenerateFraction);
    unit("predictedDegenerateFraction", predictedDegenerateFraction);
    if (groups.isPresent()) {
      Checks.atLeast("groups", groups.getAsInt(), 1);
    }
    finite("reward", reward);
    nonNegative("rewardStd", rewardStd);
    finite("rewardMin", rewardMin);
    finite("rewardMax", rewardMax);
    finite("kl", kl);
    unit("clipFraction", clipFraction);
    nonNegative("gradNorm", gradNorm);
    unit("clipFractionLow", clipFractionLow);
    unit("clipFractionHigh", clipFractionHigh);
    if (genBatches.isPresent()) {
      Checks.closedOpen("genBatches", genBatches.getAsDouble(), 1.0, Double.POSITIVE_INFINITY);
    }
    unit("allPassFraction", allPassFraction);
    unit("allFailFraction", allFailFraction);
    finite("loss", loss);
    nonNegative("responseLength", responseLength);
    unit("truncatedFraction", truncatedFraction);
    Checks.atLeast("nonFiniteValues", nonFiniteValues, 0);
    // Both are fractions of the same groups; the tolerance leaves room for float32 printing.
    if (allPassFraction.isPresent() && allFailFraction.isPresent()
        && !Checks.atMostWithinTolerance(allPassFraction.getAsDouble() + allFailFraction.getAsDouble(), 1.0)) {
      throw new IllegalArgumentException("allPassFraction + allFailFraction must be <= 1, was "
          + allPassFraction.getAsDouble() + " + " + allFailFraction.getAsDouble());
    }
    if (rewardMin.isPresent() && rewardMax.isPresent()
        && !Checks.atMostWithinTolerance(rewardMin.getAsDouble(), rewardMax.getAsDouble())) {
      throw new IllegalArgumentException("rewardMin must be <= rewardMax, was " + rewardMin.getAsDouble() + " > "
          + rewardMax.getAsDouble());
    }
  }

  private static void finite(String name, OptionalDouble value) {
    if (value.isPresent()) {
      Checks.finite(name, value.getAsDouble());
    }
  }

  private static void nonNegative(String name, OptionalDouble value) {
    if (value.isPresent()) {
      Checks.nonNegative(name, value.getAsDouble());
    }
  }

  private static void unit(String name, OptionalDouble value) {
    if (value.isPresent()) {
      Checks.probability(name, value.getAsDouble());
    }
  }

  /**
   * A builder of a memory-compact, immutable list of steps, for long logs: it stores about 8 bytes
   * per step and per metric present, against some 300 bytes a step for a list of records, and
   * builds each step afresh when the list is read. {@link TrainingLog} keeps such a list without
   * copying it.
   */
  public static ListBuilder compactListBuilder() {
    return new CompactSteps.Builder();
  }

  /** Collects steps into a compact list, in the order added. Not thread-safe; builds once. */
  public interface ListBuilder {
    /**
     * Appends a step.
     *
     * @throws IllegalStateException after {@link #build()}, or beyond 2^31 − 2 steps
     */
    ListBuilder add(TrainingStep step);

    /** The number of steps added so far. */
    int size();

    /** The immutable list of the steps added, in order; the builder takes no more steps after it. */
    List<TrainingStep> build();
  }

  /** A builder for the step with the given number; every metric starts empty. */
  public static Builder builder(long step) {
    return new Builder(step);
  }

  /** Builds a {@link TrainingStep}; each setter takes a plain value. Not thread-safe. */
  public static final class Builder {
    private final long step;
    private OptionalDouble entropy = OptionalDouble.empty();
    private OptionalDouble degenerateFraction = OptionalDouble.empty();
    private OptionalDouble predictedDegenerateFraction = OptionalDouble.empty();
    private OptionalInt groups = OptionalInt.empty();
    private OptionalDouble reward = OptionalDouble.empty();
    private OptionalDouble rewardStd = OptionalDouble.empty();
    private OptionalDouble rewardMin = OptionalDouble.empty();
    private OptionalDouble rewardMax = OptionalDouble.empty();
    private OptionalDouble kl = OptionalDouble.empty();
    private OptionalDouble clipFraction = OptionalDouble.empty();
    private OptionalDouble gradNorm = OptionalDouble.empty();
    private OptionalDouble clipFractionLow = OptionalDouble.empty();
    private OptionalDouble clipFractionHigh = OptionalDouble.empty();
    private OptionalDouble genBatches = OptionalDouble.empty();
    private OptionalDouble allPassFraction = OptionalDouble.empty();
    private OptionalDouble allFailFraction = OptionalDouble.empty();
    private OptionalDouble loss = OptionalDouble.empty();
    private OptionalDouble responseLength = OptionalDouble.empty();
    private OptionalDouble truncatedFraction = OptionalDouble.empty();
    private int nonFiniteValues;

    private Builder(long step) {
      this.step = step;
    }

    /** Sets the entropy in nats. */
    public Builder entropy(double value) {
      entropy = OptionalDouble.of(value);
      return this;
    }

    /** Sets the observed degenerate fraction. */
    public Builder degenerateFraction(double value) {
      degenerateFraction = OptionalDouble.of(value);
      return this;
    }

    /** Sets the predicted degenerate fraction. */
    public Builder predictedDegenerateFraction(double value) {
      predictedDegenerateFraction = OptionalDouble.of(value);
      return this;
    }

    /** Sets the number of groups. */
    public Builder groups(int value) {
      groups = OptionalInt.of(value);
      return this;
    }

    /** Sets the mean reward. */
    public Builder reward(double value) {
      reward = OptionalDouble.of(value);
      return this;
    }

    /** Sets the reward standard deviation. */
    public Builder rewardStd(double value) {
      rewardStd = OptionalDouble.of(value);
      return this;
    }

    /** Sets the smallest reward. */
    public Builder rewardMin(double value) {
      rewardMin = OptionalDouble.of(value);
      return this;
    }

    /** Sets the largest reward. */
    public Builder rewardMax(double value) {
      rewardMax = OptionalDouble.of(value);
      return this;
    }

    /** Sets the KL divergence. */
    public Builder kl(double value) {
      kl = OptionalDouble.of(value);
      return this;
    }

    /** Sets the clipped-token fraction. */
    public Builder clipFraction(double value) {
      clipFraction = OptionalDouble.of(value);
      return this;
    }

    /** Sets the gradient norm. */
    public Builder gradNorm(double value) {
      gradNorm = OptionalDouble.of(value);
      return this;
    }

    /** Sets the fraction of tokens clipped at the lower bound. */
    public Builder clipFractionLow(double value) {
      clipFractionLow = OptionalDouble.of(value);
      return this;
    }

    /** Sets the fraction of tokens clipped at the upper bound. */
    public Builder clipFractionHigh(double value) {
      clipFractionHigh = OptionalDouble.of(value);
      return this;
    }

    /** Sets the generation rounds the step needed (DAPO dynamic sampling). */
    public Builder genBatches(double value) {
      genBatches = OptionalDouble.of(value);
      return this;
    }

    /** Sets the fraction of groups whose rollouts all passed. */
    public Builder allPassFraction(double value) {
      allPassFraction = OptionalDouble.of(value);
      return this;
    }

    /** Sets the fraction of groups whose rollouts all failed. */
    public Builder allFailFraction(double value) {
      allFailFraction = OptionalDouble.of(value);
      return this;
    }

    /** Sets the policy loss. */
    public Builder loss(double value) {
      loss = OptionalDouble.of(value);
      return this;
    }

    /** Sets the mean response length in tokens. */
    public Builder responseLength(double value) {
      responseLength = OptionalDouble.of(value);
      return this;
    }

    /** Sets the fraction of responses cut at the length limit. */
    public Builder truncatedFraction(double value) {
      truncatedFraction = OptionalDouble.of(value);
      return this;
    }

    /** Sets how many of the step's logged values were NaN or infinite. */
    public Builder nonFiniteValues(int count) {
      nonFiniteValues = count;
      return this;
    }

    /**
     * Builds the step.
     *
     * @throws IllegalArgumentException if a value breaks its component's rule
     */
    public TrainingStep build() {
      return new TrainingStep(step, entropy, degenerateFraction, predictedDegenerateFraction, groups, reward,
          rewardStd, rewardMin, rewardMax, kl, clipFraction, gradNorm, clipFractionLow, clipFractionHigh, genBatches,
          allPassFraction, allFailFraction, loss, responseLength, truncatedFraction, nonFiniteValues);
    }
  }
}
