package io.github.rlvrdiagnostics.djl;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;

/**
 * Every option of the reference GRPO loop, immutable, built and validated by {@link #builder()}.
 * Each field names its source; defaults follow SPEC §5 and verl.
 *
 * <p>Distribution-Level Calibration (seed 004 §4.2) needs a second model and so is switched on
 * on the trainer: {@code GrpoTrainer.Builder#distributionCalibration}.
 */
public final class GrpoConfig {

  /** Seed 002 §6.1's clipping presets. */
  public enum ClipPreset {
    /** {@code ε_low = ε_high = 0.2}. */
    DEFAULT(0.2, 0.2, true),
    /** Clip-Higher (DAPO): {@code ε_high = 0.28}. */
    HIGHER(0.2, 0.28, true),
    /** Clip-Lower: {@code ε_low = 0.28}. */
    LOWER(0.28, 0.2, true),
    /** Clip-Tighter: {@code ε_low = 0.12}. */
    TIGHTER(0.12, 0.2, true),
    /** Clip-Free: the unclipped importance-weighted objective. */
    FREE(0.2, 0.2, false);

    final double low;
    final double high;
    final boolean enabled;

    ClipPreset(double low, double high, boolean enabled) {
      this.low = low;
      this.high = high;
      this.enabled = enabled;
    }
  }

  /** How token losses are reduced to the batch loss (verl's {@code loss_agg_mode}). */
  public enum LossAggregation {
    /** Mean over all response tokens of the batch (DAPO; the default). */
    TOKEN_MEAN,
    /** Per sequence the sum over its tokens, then the mean over sequences. */
    SEQ_MEAN_TOKEN_SUM,
    /** Per sequence the mean over its tokens, then the mean over sequences (original GRPO). */
    SEQ_MEAN_TOKEN_MEAN,
    /** Per sequence the sum over its tokens divided by the response length budget (Dr. GRPO). */
    SEQ_MEAN_TOKEN_SUM_NORM
  }

  /** Positive-Advantage Reweighting schedules (seed 002 §7.3). */
  public enum ParSchedule {
    /** No reweighting: λ = 1. */
    NONE,
    /** λ = 0 for the first half of the planned steps, then linear from 0 to 1. */
    STAGE,
    /** λ = e/(E − 1) in epoch e = 0..E−1 of the planned steps. */
    EPOCH,
    /** λ ← λ + Δ when the entropy is above its target, else λ − Δ, clamped to [0, 1]. */
    ENTROPY_GUIDED
  }

  /** The optimiser of the policy. */
  public enum OptimizerKind {
    /** Plain SGD. */
    SGD,
    /** SGD with momentum 0.9. */
    MOMENTUM,
    /** AdamW (weight decay 0.01). */
    ADAMW
  }

  final int groupSize;
  final int promptsPerStep;
  final int maxNewTokens;
  final double temperature;
  final double topP;
  final int plannedSteps;
  final double learningRate;
  final OptimizerKind optimizer;
  final int updatesPerBatch;
  final AdvantageEstimator advantageEstimator;
  final double stdEpsilon;
  final double clipLow;
  final double clipHigh;
  final boolean clipEnabled;
  final LossAggregation aggregation;
  final double klBeta;
  final double entropyCoefficient;
  final boolean adaptiveEntropy;
  final double entropyTarget;
  final double entropyCoefficientDelta;
  final double entropyCoefficientMin;
  final double entropyCoefficientMax;
  final ParSchedule parSchedule;
  final int parEpochs;
  final double parEntropyTarget;
  final double parDelta;
  final double randPosClipFraction;
  final double clipCovRatio;
  final double clipCovLow;
  final double clipCovHigh;
  final double klCovRatio;
  final double klCovCoefficient;
  final double iacAlpha;
  final long seed;

  private GrpoConfig(Builder b) {
    groupSize = b.groupSize;
    promptsPerStep = b.promptsPerStep;
    maxNewTokens = b.maxNewTokens;
    temperature = b.temperature;
    topP = b.topP;
    plannedSteps = b.plannedSteps;
    learningRate = b.learningRate;
    optimizer = b.optimizer;
    updatesPerBatch = b.updatesPerBatch;
    advantageEstimator = b.advantageEstimator;
    stdEpsilon = b.stdEpsilon;
    clipLow = b.clipLow;
    clipHigh = b.clipHigh;
    clipEnabled = b.clipEnabled;
    aggregation = b.aggregation;
    klBeta = b.klBeta;
    entropyCoefficient = b.entropyCoefficient;
    adaptiveEntropy = b.adaptiveEntropy;
    entropyTarget = b.entropyTarget;
    entropyCoefficientDelta = b.entropyCoefficientDelta;
    entropyCoefficientMin = b.entropyCoefficientMin;
    entropyCoefficientMax = b.entropyCoefficientMax;
    parSchedule = b.parSchedule;
    parEpochs = b.parEpochs;
    parEntropyTarget = b.parEntropyTarget;
    parDelta = b.parDelta;
    randPosClipFraction = b.randPosClipFraction;
    clipCovRatio = b.clipCovRatio;
    clipCovLow = b.clipCovLow;
    clipCovHigh = b.clipCovHigh;
    klCovRatio = b.klCovRatio;
    klCovCoefficient = b.klCovCoefficient;
    iacAlpha = b.iacAlpha;
    seed = b.seed;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Rollouts per prompt G. */
  public int groupSize() {
    return groupSize;
  }

  /** Prompts (groups) per GRPO step. */
  public int promptsPerStep() {
    return promptsPerStep;
  }

  /** Tokens generated per rollout. */
  public int maxNewTokens() {
    return maxNewTokens;
  }

  /** Rollout temperature. */
  public double temperature() {
    return temperature;
  }

  /** The planned number of steps (schedules refer to it). */
  public int plannedSteps() {
    return plannedSteps;
  }

  /** The lower clip ε. */
  public double clipLow() {
    return clipLow;
  }

  /** The upper clip ε. */
  public double clipHigh() {
    return clipHigh;
  }

  /** Whether the ratio is clipped at all. */
  public boolean clipEnabled() {
    return clipEnabled;
  }

  /** The advantage estimator. */
  public AdvantageEstimator advantageEstimator() {
    return advantageEstimator;
  }

  /** The loss aggregation. */
  public LossAggregation aggregation() {
    return aggregation;
  }

  /** The seed of sampling and of the randomised token selections. */
  public long seed() {
    return seed;
  }

  /**
   * Builds a {@link GrpoConfig}; every setter validates its argument at once and names the rule
   * it breaks. Not thread-safe.
   */
  public static final class Builder {
    private int groupSize = 8;
    private int promptsPerStep = 8;
    private int maxNewTokens = 4;
    private double temperature = 1.0;
    private double topP = 1.0;
    private int plannedSteps = 100;
    private double learningRate = 1e-2;
    private OptimizerKind optimizer = OptimizerKind.ADAMW;
    private int updatesPerBatch = 1;
    private AdvantageEstimator advantageEstimator = AdvantageEstimator.GRPO_SAMPLE_STD;
    private double stdEpsilon = 1e-6;
    private double clipLow = 0.2;
    private double clipHigh = 0.2;
    private boolean clipEnabled = true;
    private LossAggregation aggregation = LossAggregation.TOKEN_MEAN;
    private double klBeta;
    private double entropyCoefficient;
    private boolean adaptiveEntropy;
    private double entropyTarget = 0.2;
    private double entropyCoefficientDelta = 1e-3;
    private double entropyCoefficientMin;
    private double entropyCoefficientMax = 0.05;
    private ParSchedule parSchedule = ParSchedule.NONE;
    private int parEpochs = 4;
    private double parEntropyTarget = 0.2;
    private double parDelta = 0.05;
    private double randPosClipFraction;
    private double clipCovRatio;
    private double clipCovLow = 1.0;
    private double clipCovHigh = 5.0;
    private double klCovRatio;
    private double klCovCoefficient = 1.0;
    private double iacAlpha;
    private long seed = 1;

    private Builder() {}

    private static int positive(String name, int value) {
      if (value >= 1) {
        return value;
      }
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }

    private static double nonNegative(String name, double value) {
      if (value >= 0.0 && value < Double.POSITIVE_INFINITY) {
        return value;
      }
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
    }

    private static double fraction(String name, double value) {
      if (value >= 0.0 && value <= 1.0) {
        return value;
      }
      throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
    }

    /** Rollouts per prompt, G ≥ 2 (a group of one has no relative advantage). */
    public Builder groupSize(int g) {
      if (!(g >= 2)) {
        throw new IllegalArgumentException("groupSize must be >= 2, was " + g);
      }
      groupSize = g;
      return this;
    }

    /** Prompts per step, ≥ 1. */
    public Builder promptsPerStep(int n) {
      promptsPerStep = positive("promptsPerStep", n);
      return this;
    }

    /** Tokens generated per rollout, ≥ 1. */
    public Builder maxNewTokens(int n) {
      maxNewTokens = positive("maxNewTokens", n);
      return this;
    }

    /** Rollout temperature, finite and > 0. */
    public Builder temperature(double t) {
      if (!(t > 0 && t < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("temperature must be finite and > 0, was " + t);
      }
      temperature = t;
      return this;
    }

    /** Nucleus sampling mass in (0, 1]; 1 samples from the full distribution. */
    public Builder topP(double p) {
      if (!(p > 0 && p <= 1)) {
        throw new IllegalArgumentException("topP must be in (0, 1], was " + p);
      }
      topP = p;
      return this;
    }

    /** Planned steps, ≥ 1 (the PAR schedules are fractions of it). */
    public Builder plannedSteps(int n) {
      plannedSteps = positive("plannedSteps", n);
      return this;
    }

    /** Learning rate, finite and > 0. */
    public Builder learningRate(double lr) {
      if (!(lr > 0 && lr < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("learningRate must be finite and > 0, was " + lr);
      }
      learningRate = lr;
      return this;
    }

    /** The optimiser (seed 004 compares SGD, momentum and AdamW). */
    public Builder optimizer(OptimizerKind kind) {
      optimizer = kind;
      return this;
    }

    /** μ: gradient updates per rollout batch (off-policy after the first), ≥ 1. */
    public Builder updatesPerBatch(int mu) {
      updatesPerBatch = positive("updatesPerBatch", mu);
      return this;
    }

    /** The advantage estimator (SPEC §5) and its std stabiliser ε ≥ 0 (verl: 1e-6). */
    public Builder advantage(AdvantageEstimator estimator, double epsilon) {
      advantageEstimator = estimator;
      stdEpsilon = nonNegative("stdEpsilon", epsilon);
      return this;
    }

    /** A clipping preset of seed 002 §6.1. */
    public Builder clip(ClipPreset preset) {
      clipLow = preset.low;
      clipHigh = preset.high;
      clipEnabled = preset.enabled;
      return this;
    }

    /** Explicit clip range {@code [1 − low, 1 + high]}, each in [0, 1). */
    public Builder clip(double low, double high) {
      if (!(low >= 0 && low < 1 && high >= 0 && high < 1)) {
        throw new IllegalArgumentException("clip epsilons must be in [0, 1), was low=" + low + ", high=" + high);
      }
      clipLow = low;
      clipHigh = high;
      clipEnabled = true;
      return this;
    }

    /** The loss aggregation (DAPO token-mean by default). */
    public Builder aggregation(LossAggregation mode) {
      aggregation = mode;
      return this;
    }

    /** β of the k3 KL penalty to the reference policy (0: none; needs a reference block). */
    public Builder klBeta(double beta) {
      klBeta = nonNegative("klBeta", beta);
      return this;
    }

    /** A static entropy bonus {@code + c·H} (seed 002 §3). */
    public Builder entropyBonus(double c) {
      entropyCoefficient = nonNegative("entropyCoefficient", c);
      adaptiveEntropy = false;
      return this;
    }

    /**
     * Adaptive entropy regularisation (seed 002 §3.2): the coefficient, starting at
     * {@code initial}, is applied only while the entropy is below {@code target}; after each step
     * it moves by {@code +delta} below the target and {@code −delta} above, clamped to
     * {@code [min, max]}.
     */
    public Builder adaptiveEntropy(double initial, double target, double delta, double min, double max) {
      nonNegative("initial", initial);
      nonNegative("target", target);
      nonNegative("delta", delta);
      if (!(min >= 0 && min <= initial && initial <= max && max < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("need 0 <= min <= initial <= max, was min=" + min + ", initial=" + initial + ", max=" + max);
      }
      entropyCoefficient = initial;
      entropyTarget = target;
      entropyCoefficientDelta = delta;
      entropyCoefficientMin = min;
      entropyCoefficientMax = max;
      adaptiveEntropy = true;
      return this;
    }

    /** Positive-Advantage Reweighting (seed 002 §7.3); {@code epochs} for EPOCH, target and Δ for ENTROPY_GUIDED. */
    public Builder positiveAdvantageReweighting(ParSchedule schedule, int epochs, double entropyTarget, double delta) {
      if (schedule == ParSchedule.EPOCH && !(epochs >= 2)) {
        throw new IllegalArgumentException("epochs must be >= 2 for the epoch-wise schedule, was " + epochs);
      }
      parSchedule = schedule;
      parEpochs = epochs;
      parEntropyTarget = nonNegative("entropyTarget", entropyTarget);
      parDelta = fraction("delta", delta);
      return this;
    }

    /** Rand-Pos-Clip: the fraction of positive-advantage tokens whose gradient is zeroed at random. */
    public Builder randPosClip(double fraction) {
      randPosClipFraction = fraction("randPosClipFraction", fraction);
      return this;
    }

    /**
     * Clip-Cov (Cui et al., verl): zero the gradient of {@code max(1, ⌊ratio·N⌋)} random tokens
     * among those whose covariance lies in {@code (low, high)} (verl: 0.0002, 1, 5).
     */
    public Builder clipCov(double ratio, double low, double high) {
      clipCovRatio = fraction("clipCovRatio", ratio);
      if (!(low < high)) {
        throw new IllegalArgumentException("clipCov bounds must satisfy low < high, was " + low + ", " + high);
      }
      clipCovLow = low;
      clipCovHigh = high;
      return this;
    }

    /** KL-Cov (Cui et al., verl): add {@code k·|log π − log π_old|} on the top {@code ratio·N} tokens by covariance. */
    public Builder klCov(double ratio, double k) {
      klCovRatio = fraction("klCovRatio", ratio);
      klCovCoefficient = nonNegative("klCovCoefficient", k);
      return this;
    }

    /** IAC (seed 004 §4.1): positive advantages times {@code (pass fraction)^(−α)}; 0 turns it off. */
    public Builder inverseSuccessCalibration(double alpha) {
      iacAlpha = nonNegative("iacAlpha", alpha);
      return this;
    }

    /** The seed of sampling and of the random token selections. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** The configuration. */
    public GrpoConfig build() {
      return new GrpoConfig(this);
    }
  }
}
