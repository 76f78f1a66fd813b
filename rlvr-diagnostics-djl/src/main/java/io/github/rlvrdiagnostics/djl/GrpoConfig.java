package io.github.rlvrdiagnostics.djl;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Objects;

/**
 * Every option of the reference GRPO loop, immutable, built and validated by {@link #builder()}.
 * The options come in small records, one per concern: {@link #sampling()}, {@link #clip()},
 * {@link #entropyControl()}, {@link #positiveAdvantageReweighting()},
 * {@link #covarianceControls()}, {@link #optimization()} and {@link #advantage()}; the loss
 * aggregation, KL coefficient, planned steps and seed are single values. The maths is that of
 * docs/MATH.md §5 (GRPO advantages, losses and entropy controls); defaults follow verl.
 *
 * <p>Distribution-Level Calibration (<em>When Sharpening Becomes Collapse: Sampling Bias and
 * Semantic Coupling in RL with Verifiable Rewards</em>, §4.2) needs a second model and so is
 * switched on on the trainer: {@code GrpoTrainer.Builder#distributionCalibration}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class GrpoConfig {

  /**
   * The clipping presets of <em>Revisiting Entropy in Reinforcement Learning for Large Reasoning
   * Models</em> (§6.1).
   */
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

    private final Clip clip;

    ClipPreset(double low, double high, boolean enabled) {
      this.clip = new Clip(low, high, enabled);
    }

    /** The clip range of this preset. */
    public Clip clip() {
      return clip;
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

  /**
   * The Positive-Advantage Reweighting schedules of <em>Revisiting Entropy in Reinforcement
   * Learning for Large Reasoning Models</em> (§7.3).
   */
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

  /**
   * The rollout settings: {@code groupSize} completions of {@code maxNewTokens} tokens for each
   * of {@code promptsPerStep} prompts, from {@code softmax(z/T)} truncated to the nucleus
   * {@code topP}.
   *
   * <p>A group of one ({@code groupSize = 1}) is allowed, as everywhere in the library, but it is
   * always degenerate: every centred advantage estimator gives it advantage 0, so such a run
   * learns nothing from rewards ({@link AdvantageEstimator#RAW} keeps the raw reward, which is
   * plain REINFORCE without a baseline).
   *
   * @param groupSize rollouts per prompt {@code G}, {@code ≥ 1}
   * @param promptsPerStep prompts (groups) per step, {@code ≥ 1}
   * @param maxNewTokens tokens generated per rollout, {@code ≥ 1}
   * @param temperature the rollout temperature {@code T}, finite and {@code > 0}
   * @param topP the nucleus mass, in (0, 1]; 1 samples from the full distribution
   */
  public record Sampling(int groupSize, int promptsPerStep, int maxNewTokens, double temperature, double topP) {
    /** Validates the components. */
    public Sampling {
      Checks.groupSize(groupSize);
      Checks.atLeast("promptsPerStep", promptsPerStep, 1);
      Checks.atLeast("maxNewTokens", maxNewTokens, 1);
      Checks.temperature(temperature);
      Checks.topP(topP);
    }

    /** The sampler in the terms of the entropy probes: this temperature and top-p, no top-k. */
    public SamplingConfig samplingConfig() {
      return new SamplingConfig(temperature, 0, topP);
    }
  }

  /**
   * The clip range {@code [1 − low, 1 + high]} of the importance ratio, or no clipping at all.
   *
   * @param low {@code ε_low}, in [0, 1] ({@code 1} leaves the ratio unclipped below)
   * @param high {@code ε_high}, in [0, 1]
   * @param enabled whether the ratio is clipped; false is Clip-Free, and then {@code low} and
   *     {@code high} are not used
   */
  public record Clip(double low, double high, boolean enabled) {
    /** Validates the components. */
    public Clip {
      Checks.probability("clipLow", low);
      Checks.probability("clipHigh", high);
    }
  }

  /**
   * The entropy term {@code − c·H} of the loss: off, a static bonus, or adaptive entropy
   * regularisation (<em>Revisiting Entropy in Reinforcement Learning for Large Reasoning
   * Models</em>, §3.2), where {@code c} starts at {@code coefficient}, is applied only while the
   * entropy is below {@code target}, and after each step moves by {@code +delta} below the target
   * and {@code −delta} above, clamped to {@code [min, max]}.
   *
   * @param coefficient the (initial) coefficient {@code c}, finite and {@code ≥ 0}; 0 without adaptation is off
   * @param adaptive whether {@code c} adapts; without it {@code target}, {@code delta}, {@code min}
   *     and {@code max} are not used
   * @param target the entropy target {@code H_tgt}, finite and {@code ≥ 0}
   * @param delta the step {@code Δ} of {@code c}, finite and {@code ≥ 0}
   * @param min the lower clamp, finite and {@code ≥ 0}
   * @param max the upper clamp, finite and {@code ≥ 0}; when adaptive, {@code min ≤ coefficient ≤ max}
   */
  public record EntropyControl(double coefficient, boolean adaptive, double target, double delta, double min,
      double max) {
    /**
     * No entropy bonus; the adaptive settings it would take when turned on are the paper's
     * (target 0.2 nats, step 0.001, coefficient clamped to [0, 0.05]).
     */
    public static final EntropyControl OFF = new EntropyControl(0.0, false, 0.2, 1e-3, 0.0, 0.05);

    /** Validates the components. */
    public EntropyControl {
      Checks.nonNegative("entropyCoefficient", coefficient);
      Checks.nonNegative("entropyTarget", target);
      Checks.nonNegative("entropyCoefficientDelta", delta);
      Checks.nonNegative("entropyCoefficientMin", min);
      Checks.nonNegative("entropyCoefficientMax", max);
      if (adaptive && !(min <= coefficient && coefficient <= max)) {
        throw new IllegalArgumentException("adaptive entropy needs entropyCoefficientMin <= entropyCoefficient"
            + " <= entropyCoefficientMax, was min=" + min + ", initial=" + coefficient + ", max=" + max);
      }
    }
  }

  /**
   * Positive-Advantage Reweighting (<em>Revisiting Entropy in Reinforcement Learning for Large
   * Reasoning Models</em>, §7.3): tokens with {@code A > 0} get loss weight {@code λ} from a
   * schedule.
   *
   * @param schedule the schedule; {@link ParSchedule#NONE} turns the reweighting off ({@code λ = 1})
   * @param epochs the number of epochs {@code E} of {@link ParSchedule#EPOCH}, {@code ≥ 2} there
   *     (not used by the other schedules)
   * @param entropyTarget the target {@code H_tgt} of {@link ParSchedule#ENTROPY_GUIDED}, finite
   *     and {@code ≥ 0}
   * @param delta the step {@code Δ} of {@link ParSchedule#ENTROPY_GUIDED}, in [0, 1]
   */
  public record PositiveAdvantageReweighting(ParSchedule schedule, int epochs, double entropyTarget, double delta) {
    /**
     * No reweighting; the schedules' settings when one is chosen: 4 epochs for the epoch-wise
     * schedule, target 0.2 nats and step 0.05 for the entropy-guided one.
     */
    public static final PositiveAdvantageReweighting OFF = new PositiveAdvantageReweighting(ParSchedule.NONE, 4, 0.2, 0.05);

    /** Validates the components. */
    public PositiveAdvantageReweighting {
      Objects.requireNonNull(schedule, "schedule");
      if (schedule == ParSchedule.EPOCH) {
        Checks.atLeast("epochs of the epoch-wise schedule", epochs, 2);
      }
      Checks.nonNegative("parEntropyTarget", entropyTarget);
      Checks.probability("parDelta", delta);
    }

    /** Whether positive-advantage tokens are reweighted at all. */
    public boolean enabled() {
      return schedule != ParSchedule.NONE;
    }
  }

  /**
   * The token-selective controls of the loss: Clip-Cov and KL-Cov (Cui et al., in verl's
   * convention), which act on tokens of high covariance {@code cov_t = (A_t − mean A)(log π_t −
   * mean log π)}, and Rand-Pos-Clip, their random baseline, which acts on random positive-advantage
   * tokens. A ratio of 0 turns a control off. The loss applies any combination: the tokens chosen
   * by Rand-Pos-Clip and by Clip-Cov together pass no gradient, and KL-Cov's term is added on its
   * own top tokens.
   *
   * @param randPosClipFraction the fraction of positive-advantage tokens whose gradient is zeroed
   *     at random, in [0, 1]
   * @param clipCovRatio Clip-Cov's {@code r}: {@code max(1, ⌊r·N⌋)} random tokens among those with
   *     {@code low < cov_t < high} pass no gradient; in [0, 1] (verl: 0.0002)
   * @param clipCovLow Clip-Cov's lower covariance bound, finite (verl: 1)
   * @param clipCovHigh Clip-Cov's upper covariance bound, finite and {@code > clipCovLow} (verl: 5)
   * @param klCovRatio KL-Cov's {@code r}: the top {@code ⌊r·N⌋} tokens by covariance get the
   *     term; in [0, 1]
   * @param klCovCoefficient KL-Cov's {@code k} of the term {@code k·|log π − log π_old|}, finite
   *     and {@code ≥ 0}
   */
  public record CovarianceControls(double randPosClipFraction, double clipCovRatio, double clipCovLow,
      double clipCovHigh, double klCovRatio, double klCovCoefficient) {
    /** Validates the components. */
    public CovarianceControls {
      Checks.probability("randPosClipFraction", randPosClipFraction);
      Checks.probability("clipCovRatio", clipCovRatio);
      checkClipCovBounds(clipCovLow, clipCovHigh);
      Checks.probability("klCovRatio", klCovRatio);
      Checks.nonNegative("klCovCoefficient", klCovCoefficient);
    }

    private static void checkClipCovBounds(double low, double high) {
      Checks.finite("clipCovLow", low);
      Checks.finite("clipCovHigh", high);
      if (!(low < high)) {
        throw new IllegalArgumentException("clipCov bounds must satisfy clipCovLow < clipCovHigh, was clipCovLow="
            + low + ", clipCovHigh=" + high);
      }
    }

    /** Whether Rand-Pos-Clip zeroes any gradient. */
    public boolean randPosClip() {
      return randPosClipFraction > 0;
    }

    /** Whether Clip-Cov is on. */
    public boolean clipCov() {
      return clipCovRatio > 0;
    }

    /** Whether KL-Cov adds its term (both its ratio and its coefficient are positive). */
    public boolean klCov() {
      return klCovRatio > 0 && klCovCoefficient > 0;
    }
  }

  /**
   * The policy's optimiser and how often it steps.
   *
   * @param kind the optimiser
   * @param learningRate its fixed learning rate, finite and {@code > 0}
   * @param updatesPerBatch {@code μ}, gradient updates per rollout batch (off-policy after the
   *     first), {@code ≥ 1}
   */
  public record Optimization(OptimizerKind kind, double learningRate, int updatesPerBatch) {
    /** Validates the components. */
    public Optimization {
      Objects.requireNonNull(kind, "kind");
      Checks.positive("learningRate", learningRate);
      Checks.atLeast("updatesPerBatch", updatesPerBatch, 1);
    }
  }

  /**
   * The advantage settings: how rewards become advantages (docs/MATH.md §5 (GRPO advantages,
   * losses and entropy controls)).
   *
   * @param estimator the group-relative estimator
   * @param stdEpsilon the std stabiliser {@code ε}, finite and {@code ≥ 0} (verl: 1e-6)
   * @param inverseSuccessAlpha the {@code α} of Inverse-success Advantage Calibration (<em>When
   *     Sharpening Becomes Collapse: Sampling Bias and Semantic Coupling in RL with Verifiable
   *     Rewards</em>, §4.1), finite and {@code ≥ 0}; 0 turns it off
   */
  public record Advantage(AdvantageEstimator estimator, double stdEpsilon, double inverseSuccessAlpha) {
    /** Validates the components. */
    public Advantage {
      Objects.requireNonNull(estimator, "estimator");
      Checks.nonNegative("stdEpsilon", stdEpsilon);
      Checks.nonNegative("iacAlpha", inverseSuccessAlpha);
    }
  }

  private final Sampling sampling;
  private final Clip clip;
  private final EntropyControl entropyControl;
  private final PositiveAdvantageReweighting positiveAdvantageReweighting;
  private final CovarianceControls covarianceControls;
  private final Optimization optimization;
  private final Advantage advantage;
  private final LossAggregation aggregation;
  private final double klBeta;
  private final int plannedSteps;
  private final long seed;

  private GrpoConfig(Builder b) {
    sampling = new Sampling(b.groupSize, b.promptsPerStep, b.maxNewTokens, b.temperature, b.topP);
    clip = b.clip;
    entropyControl = b.entropyControl;
    positiveAdvantageReweighting = b.positiveAdvantageReweighting;
    covarianceControls = new CovarianceControls(b.randPosClipFraction, b.clipCovRatio, b.clipCovLow, b.clipCovHigh,
        b.klCovRatio, b.klCovCoefficient);
    optimization = new Optimization(b.optimizer, b.learningRate, b.updatesPerBatch);
    advantage = new Advantage(b.advantageEstimator, b.stdEpsilon, b.iacAlpha);
    aggregation = b.aggregation;
    klBeta = b.klBeta;
    plannedSteps = b.plannedSteps;
    seed = b.seed;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The rollout settings: group size, prompts per step, completion length, temperature, top-p. */
  public Sampling sampling() {
    return sampling;
  }

  /** The clip range of the importance ratio. */
  public Clip clip() {
    return clip;
  }

  /** The entropy control: off, a static bonus, or adaptive entropy regularisation. */
  public EntropyControl entropyControl() {
    return entropyControl;
  }

  /** The Positive-Advantage Reweighting settings. */
  public PositiveAdvantageReweighting positiveAdvantageReweighting() {
    return positiveAdvantageReweighting;
  }

  /** The token-selective controls: Clip-Cov, KL-Cov and Rand-Pos-Clip. */
  public CovarianceControls covarianceControls() {
    return covarianceControls;
  }

  /** The policy's optimiser settings. */
  public Optimization optimization() {
    return optimization;
  }

  /** The advantage settings: estimator, std stabiliser and inverse-success calibration. */
  public Advantage advantage() {
    return advantage;
  }

  /** The loss aggregation. */
  public LossAggregation aggregation() {
    return aggregation;
  }

  /** The coefficient {@code β} of the k3 KL penalty to the reference policy; 0 without one. */
  public double klBeta() {
    return klBeta;
  }

  /** The planned number of steps (the PAR schedules are fractions of it). */
  public int plannedSteps() {
    return plannedSteps;
  }

  /** The seed of sampling and of the randomised token selections. */
  public long seed() {
    return seed;
  }

  /**
   * Builds a {@link GrpoConfig}; every setter validates its arguments at once and names the rule
   * it breaks; calling a setter again replaces its earlier value. Not thread-safe.
   *
   * <p><b>Conflicting settings.</b> {@link #build()} refuses, with an
   * {@link IllegalArgumentException} naming both settings, the combinations that contradict each
   * other:
   * <ul>
   *   <li>{@link #entropyBonus} and {@link #adaptiveEntropy}: both set the entropy coefficient, one
   *       fixed and one adapting; the loss has a single entropy term.
   *   <li>{@link #clip(ClipPreset)} and {@link #clip(double, double)}: both set the clip range
   *       (and a Clip-Free preset contradicts an explicit range).
   *   <li>{@link #positiveAdvantageReweighting} with {@link ParSchedule#EPOCH} and more epochs than
   *       {@link #plannedSteps}: some epochs would have no step, so λ would skip values.
   * </ul>
   * Everything else combines, because the loss applies it together: Clip-Cov, KL-Cov and
   * Rand-Pos-Clip at once (their gradient-zeroed tokens are united and KL-Cov's term is added),
   * any of them with Positive-Advantage Reweighting or an entropy control, and any clip range
   * with them. An entropy target without adaptive entropy and PAR parameters without a PAR
   * schedule cannot be written: they are arguments of {@link #adaptiveEntropy} and
   * {@link #positiveAdvantageReweighting} only. A KL coefficient without a reference policy is
   * refused by {@code GrpoTrainer.Builder#build}, which is where the reference is given.
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
    private double stdEpsilon = io.github.rlvrdiagnostics.core.rollout.Advantages.DEFAULT_EPSILON;
    private Clip clip = ClipPreset.DEFAULT.clip();
    private boolean clipPresetSet;
    private boolean clipRangeSet;
    private LossAggregation aggregation = LossAggregation.TOKEN_MEAN;
    private double klBeta;
    private EntropyControl entropyControl = EntropyControl.OFF;
    private boolean entropyBonusSet;
    private boolean adaptiveEntropySet;
    private PositiveAdvantageReweighting positiveAdvantageReweighting = PositiveAdvantageReweighting.OFF;
    private double randPosClipFraction;
    private double clipCovRatio;
    private double clipCovLow = 1.0;
    private double clipCovHigh = 5.0;
    private double klCovRatio;
    private double klCovCoefficient = 1.0;
    private double iacAlpha;
    private long seed = 1;

    private Builder() {}

    /**
     * Rollouts per prompt, {@code G ≥ 1}, the group-size rule of the whole library. A group of
     * one is always degenerate and gets advantage 0 from every centred estimator (see
     * {@link Sampling}).
     */
    public Builder groupSize(int g) {
      groupSize = Checks.groupSize(g);
      return this;
    }

    /** Prompts per step, ≥ 1. */
    public Builder promptsPerStep(int n) {
      promptsPerStep = Checks.atLeast("promptsPerStep", n, 1);
      return this;
    }

    /** Tokens generated per rollout, ≥ 1. */
    public Builder maxNewTokens(int n) {
      maxNewTokens = Checks.atLeast("maxNewTokens", n, 1);
      return this;
    }

    /** Rollout temperature, finite and > 0. */
    public Builder temperature(double t) {
      temperature = Checks.temperature(t);
      return this;
    }

    /** Nucleus sampling mass in (0, 1]; 1 samples from the full distribution. */
    public Builder topP(double p) {
      topP = Checks.topP(p);
      return this;
    }

    /** Planned steps, ≥ 1 (the PAR schedules are fractions of it). */
    public Builder plannedSteps(int n) {
      plannedSteps = Checks.atLeast("plannedSteps", n, 1);
      return this;
    }

    /** Learning rate, finite and > 0. */
    public Builder learningRate(double lr) {
      learningRate = Checks.positive("learningRate", lr);
      return this;
    }

    /**
     * The optimiser (<em>When Sharpening Becomes Collapse: Sampling Bias and Semantic Coupling in
     * RL with Verifiable Rewards</em> compares SGD, momentum and AdamW).
     */
    public Builder optimizer(OptimizerKind kind) {
      optimizer = Objects.requireNonNull(kind, "optimizer");
      return this;
    }

    /** μ: gradient updates per rollout batch (off-policy after the first), ≥ 1. */
    public Builder updatesPerBatch(int mu) {
      updatesPerBatch = Checks.atLeast("updatesPerBatch", mu, 1);
      return this;
    }

    /**
     * The advantage estimator (docs/MATH.md §5 (GRPO advantages, losses and entropy controls))
     * and its std stabiliser ε, finite and ≥ 0 (verl: 1e-6).
     */
    public Builder advantage(AdvantageEstimator estimator, double epsilon) {
      Objects.requireNonNull(estimator, "estimator");
      stdEpsilon = Checks.nonNegative("stdEpsilon", epsilon);
      advantageEstimator = estimator;
      return this;
    }

    /**
     * A clipping preset of <em>Revisiting Entropy in Reinforcement Learning for Large Reasoning
     * Models</em> (§6.1); conflicts with {@link #clip(double, double)}.
     */
    public Builder clip(ClipPreset preset) {
      clip = Objects.requireNonNull(preset, "preset").clip();
      clipPresetSet = true;
      return this;
    }

    /**
     * Explicit clip range {@code [1 − low, 1 + high]}, each ε in [0, 1]; conflicts with
     * {@link #clip(ClipPreset)}.
     */
    public Builder clip(double low, double high) {
      clip = new Clip(low, high, true);
      clipRangeSet = true;
      return this;
    }

    /** The loss aggregation (DAPO token-mean by default). */
    public Builder aggregation(LossAggregation mode) {
      aggregation = Objects.requireNonNull(mode, "aggregation");
      return this;
    }

    /** β of the k3 KL penalty to the reference policy, finite and ≥ 0 (0: none; > 0 needs a reference block). */
    public Builder klBeta(double beta) {
      klBeta = Checks.nonNegative("klBeta", beta);
      return this;
    }

    /**
     * A static entropy bonus {@code + c·H}, {@code c} finite and ≥ 0 (<em>Revisiting Entropy in
     * Reinforcement Learning for Large Reasoning Models</em>, §3); conflicts with
     * {@link #adaptiveEntropy}.
     */
    public Builder entropyBonus(double c) {
      entropyControl = new EntropyControl(c, false, entropyControl.target(), entropyControl.delta(),
          entropyControl.min(), entropyControl.max());
      entropyBonusSet = true;
      return this;
    }

    /**
     * Adaptive entropy regularisation (<em>Revisiting Entropy in Reinforcement Learning for Large
     * Reasoning Models</em>, §3.2): the coefficient, starting at {@code initial}, is applied only
     * while the entropy is below {@code target}; after each step it moves by {@code +delta} below
     * the target and {@code −delta} above, clamped to {@code [min, max]}. Every argument is finite
     * and ≥ 0, with {@code min ≤ initial ≤ max}; conflicts with {@link #entropyBonus}.
     */
    public Builder adaptiveEntropy(double initial, double target, double delta, double min, double max) {
      entropyControl = new EntropyControl(initial, true, target, delta, min, max);
      adaptiveEntropySet = true;
      return this;
    }

    /**
     * Positive-Advantage Reweighting (<em>Revisiting Entropy in Reinforcement Learning for Large
     * Reasoning Models</em>, §7.3): {@code epochs} (≥ 2) for EPOCH, and no more than
     * {@link #plannedSteps}; target (finite, ≥ 0) and Δ (in [0, 1]) for ENTROPY_GUIDED.
     */
    public Builder positiveAdvantageReweighting(ParSchedule schedule, int epochs, double entropyTarget, double delta) {
      positiveAdvantageReweighting = new PositiveAdvantageReweighting(schedule, epochs, entropyTarget, delta);
      return this;
    }

    /** Rand-Pos-Clip: the fraction of positive-advantage tokens whose gradient is zeroed at random, in [0, 1]. */
    public Builder randPosClip(double fraction) {
      randPosClipFraction = Checks.probability("randPosClipFraction", fraction);
      return this;
    }

    /**
     * Clip-Cov (Cui et al., verl): zero the gradient of {@code max(1, ⌊ratio·N⌋)} random tokens
     * among those whose covariance lies in {@code (low, high)} (verl: 0.0002, 1, 5); ratio in
     * [0, 1], bounds finite with {@code low < high}.
     */
    public Builder clipCov(double ratio, double low, double high) {
      Checks.probability("clipCovRatio", ratio);
      CovarianceControls.checkClipCovBounds(low, high);
      clipCovRatio = ratio;
      clipCovLow = low;
      clipCovHigh = high;
      return this;
    }

    /**
     * KL-Cov (Cui et al., verl): add {@code k·|log π − log π_old|} on the top {@code ratio·N}
     * tokens by covariance; ratio in [0, 1], k finite and ≥ 0.
     */
    public Builder klCov(double ratio, double k) {
      Checks.probability("klCovRatio", ratio);
      Checks.nonNegative("klCovCoefficient", k);
      klCovRatio = ratio;
      klCovCoefficient = k;
      return this;
    }

    /**
     * Inverse-success Advantage Calibration (<em>When Sharpening Becomes Collapse: Sampling Bias
     * and Semantic Coupling in RL with Verifiable Rewards</em>, §4.1): positive advantages times
     * {@code (pass fraction)^(−α)}, α finite and ≥ 0; 0 turns it off.
     */
    public Builder inverseSuccessCalibration(double alpha) {
      iacAlpha = Checks.nonNegative("iacAlpha", alpha);
      return this;
    }

    /** The seed of sampling and of the random token selections. */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException on conflicting settings (see the class documentation),
     *     naming both
     */
    public GrpoConfig build() {
      if (entropyBonusSet && adaptiveEntropySet) {
        throw new IllegalArgumentException("entropyBonus and adaptiveEntropy conflict: both set the entropy"
            + " coefficient, one fixed and one adapting; set one of them");
      }
      if (clipPresetSet && clipRangeSet) {
        throw new IllegalArgumentException("clip(ClipPreset) and clip(low, high) conflict: both set the clip"
            + " range; set one of them");
      }
      if (positiveAdvantageReweighting.schedule() == ParSchedule.EPOCH
          && !(positiveAdvantageReweighting.epochs() <= plannedSteps)) {
        throw new IllegalArgumentException("positiveAdvantageReweighting epochs and plannedSteps conflict: the"
            + " epoch-wise schedule needs epochs <= plannedSteps so that every epoch has a step, was epochs="
            + positiveAdvantageReweighting.epochs() + ", plannedSteps=" + plannedSteps);
      }
      return new GrpoConfig(this);
    }
  }
}
