package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.core.estimate.Estimators;
import io.github.rlvrdiagnostics.core.rollout.Advantages;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import io.github.rlvrdiagnostics.core.rollout.DistinctN;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The reference GRPO loop on DJL autograd (docs/MATH.md §5 (GRPO advantages, losses and entropy
 * controls)): sample a group of completions per prompt at the rollout temperature, score them
 * with the verifier, turn rewards into advantages, and take {@code μ} clipped policy-gradient
 * updates with every entropy control of {@link GrpoConfig}.
 *
 * <p>The policy is any DJL {@link Block} mapping token ids {@code [batch, len]} (int64) to logits
 * {@code [batch, len, vocab]} where position {@code t} predicts token {@code t + 1}; it is trained in
 * place. Completions have the fixed length {@code maxNewTokens} (no end-of-sequence handling), and
 * the prompts of one step must share a length. Log-probabilities and entropies are those of
 * {@code softmax(logits / T)}, the distribution the rollouts were drawn from.
 *
 * <p>A step whose gradient is exactly zero (every group degenerate and no KL or entropy term)
 * makes no optimizer update, so momentum and weight decay do not move the policy on a step that
 * carried no learning signal.
 *
 * <p>Each step's metrics go to the {@link GrpoListener}s: the metrics file and the training
 * monitor of the builder, then the listeners added to it. Sampling is seeded by
 * {@link GrpoConfig#seed()}, so a run is reproducible on one machine. Each step's arrays live in a
 * child {@code NDManager} closed at the end of the step. Not thread-safe; {@link #close()} is
 * idempotent, and a step after it is an {@link IllegalStateException}.
 */
public final class GrpoTrainer implements AutoCloseable {
  private final Model model;
  private final GrpoConfig config;
  private final Verifier verifier;
  private final PromptSource prompts;
  private final @Nullable Block reference;
  private final @Nullable ToDoubleFunction<int[]> passRates;
  private final @Nullable Function<int[], Optional<ProblemSamples>> preRlSamples;
  private final Random random;
  private final PolicyUpdater updater;
  private final @Nullable DlcMemory memory;
  private final GroupSampler sampler;
  private final List<GrpoListener> listeners;
  private long step;
  private double entropyCoefficient;
  private double parLambda = 1.0;
  private boolean closed;

  private GrpoTrainer(Builder b) {
    this.model = b.model;
    this.config = b.config;
    this.verifier = b.verifier;
    this.prompts = b.prompts;
    this.reference = b.reference;
    this.passRates = b.passRates;
    this.preRlSamples = b.preRlSamples;
    if (config.klBeta() > 0 && reference == null) {
      throw new IllegalArgumentException("klBeta and reference conflict: klBeta > 0 needs a reference block,"
          + " none was given (klBeta=" + config.klBeta() + ")");
    }
    this.random = new Random(config.seed());
    this.entropyCoefficient = config.entropyControl().coefficient();
    // Everything opened here is closed again if a later part cannot be opened.
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      PolicyUpdater policy = new PolicyUpdater(model, config.optimization(), config.sampling().temperature());
      opened.add(policy);
      DlcMemory dlc = null;
      if (b.memory != null) {
        dlc = new DlcMemory(b.memory, b.dlcBeta, b.memoryLearningRate);
        opened.add(dlc);
      }
      List<GrpoListener> all = new ArrayList<>();
      if (b.monitor != null) {
        all.add(new MonitorListener(b.monitor));
      }
      all.addAll(b.listeners);
      if (b.metricsFile != null) {
        JsonlMetricsListener file = JsonlMetricsListener.open(b.metricsFile);
        opened.add(file);
        all.add(file);
      }
      this.updater = policy;
      this.memory = dlc;
      this.listeners = List.copyOf(all);
    } catch (RuntimeException e) {
      closeAll(opened, e);
      throw e;
    }
    this.sampler = new GroupSampler(config.sampling().samplingConfig(), random, memory);
  }

  /**
   * A builder for a loop training {@code model}'s block in place.
   *
   * @param model a model whose block is initialised
   * @throws IllegalArgumentException if the model's block is missing or not initialised
   */
  public static Builder builder(Model model, GrpoConfig config, Verifier verifier, PromptSource prompts) {
    return new Builder(model, config, verifier, prompts);
  }

  /** Builds a {@link GrpoTrainer}; every option is checked at once. Not thread-safe. */
  public static final class Builder {
    private final Model model;
    private final GrpoConfig config;
    private final Verifier verifier;
    private final PromptSource prompts;
    private @Nullable Block reference;
    private @Nullable ToDoubleFunction<int[]> passRates;
    private @Nullable Function<int[], Optional<ProblemSamples>> preRlSamples;
    private final List<GrpoListener> listeners = new ArrayList<>();
    private @Nullable Path metricsFile;
    private @Nullable TrainingMonitor monitor;
    private @Nullable Model memory;
    private double dlcBeta;
    private double memoryLearningRate;

    private Builder(Model model, GrpoConfig config, Verifier verifier, PromptSource prompts) {
      if (model.getBlock() == null || !model.getBlock().isInitialized()) {
        throw new IllegalArgumentException("model must have an initialized block, was not initialized");
      }
      this.model = model;
      this.config = config;
      this.verifier = verifier;
      this.prompts = prompts;
    }

    /** A frozen reference policy for the k3 KL penalty (same input and output contract). */
    public Builder reference(Block block) {
      this.reference = block;
      return this;
    }

    /** Exact per-prompt pass probabilities, for the predicted degenerate fraction. */
    public Builder passRates(ToDoubleFunction<int[]> oracle) {
      this.passRates = oracle;
      return this;
    }

    /**
     * The pre-RL sample counts of a prompt ({@code n} completions, {@code c} passed), or empty when
     * unknown. Each step whose prompts all have counts then reports the degenerate fraction
     * predicted from them without bias ({@link GrpoStepMetrics#preRlPredictedDegenerateFraction}),
     * beside the observed one: how well the prediction made before RL holds during RL.
     * Every count must have {@code n ≥ G} (an {@link IllegalArgumentException} at the step
     * otherwise).
     */
    public Builder preRlSamples(Function<int[], Optional<ProblemSamples>> samples) {
      this.preRlSamples = samples;
      return this;
    }

    /**
     * Adds a listener of every step's metrics; listeners run in the order added, after the monitor
     * bridge and before the metrics file, and are closed when the trainer is.
     */
    public Builder listener(GrpoListener listener) {
      listeners.add(listener);
      return this;
    }

    /**
     * Feeds every step to a training monitor (docs/MATH.md §4 (the two-stage diagnostic and
     * signal rules) and §5 (GRPO advantages, losses and entropy controls)): entropy is the
     * step's worst-token generation-start entropy, as Stage 2 prescribes; also the degenerate
     * fractions, group count, reward, KL and clip fraction.
     */
    public Builder monitor(TrainingMonitor trainingMonitor) {
      this.monitor = trainingMonitor;
      return this;
    }

    /**
     * Distribution-Level Calibration (<em>When Sharpening Becomes Collapse: Sampling Bias and
     * Semantic Coupling in RL with Verifiable Rewards</em>, §4.2): rollouts are sampled from
     * {@code softmax((z_policy − β·z_memory)/T)}, where the memory model (same input and output
     * contract as the policy, initialised) is trained after every step by cross-entropy on that
     * step's completions (AdamW at {@code learningRate}), so often-sampled completions are damped.
     * Only the sampler changes: the loss uses the policy's own log-probabilities as the rollout
     * policy's (no importance correction towards the calibrated sampler), as the paper describes.
     *
     * @param beta the damping β, finite and {@code > 0}
     * @param learningRate the memory's learning rate, finite and {@code > 0}
     * @throws IllegalArgumentException if the memory model's block is not initialised or a
     *     number breaks its rule
     */
    public Builder distributionCalibration(Model memoryModel, double beta, double learningRate) {
      if (memoryModel.getBlock() == null || !memoryModel.getBlock().isInitialized()) {
        throw new IllegalArgumentException("memoryModel must have an initialized block, was not initialized");
      }
      Checks.positive("beta", beta);
      Checks.positive("learningRate", learningRate);
      this.memory = memoryModel;
      this.dlcBeta = beta;
      this.memoryLearningRate = learningRate;
      return this;
    }

    /** Writes one JSON object of metrics per step to this file (JSON lines). */
    public Builder metricsFile(Path file) {
      this.metricsFile = file;
      return this;
    }

    /**
     * The loop. On failure nothing it opened stays open.
     *
     * @throws IllegalArgumentException if {@code klBeta > 0} without a reference block, or the
     *     metrics file cannot be opened
     */
    public GrpoTrainer build() {
      return new GrpoTrainer(this);
    }
  }

  /** The steps taken so far. */
  public long stepsTaken() {
    return step;
  }

  /**
   * Takes {@code n} steps and returns their metrics.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public List<GrpoStepMetrics> train(int n) {
    List<GrpoStepMetrics> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(step());
    }
    return all;
  }

  /**
   * One GRPO step: sample the rollouts, score them, turn the rewards into advantages, update the
   * policy; then train the DLC memory, adapt the schedules and publish the metrics.
   *
   * @throws IllegalStateException after {@link #close()}
   * @throws IllegalArgumentException if the step's prompts differ in length or a reward is not finite
   */
  public GrpoStepMetrics step() {
    if (closed) {
      throw new IllegalStateException("GrpoTrainer is closed");
    }
    step++;
    GrpoConfig.Sampling sampling = config.sampling();
    try (NDManager scope = model.getNDManager().newSubManager()) {
      int[][] promptIds = promptsOfStep(sampling.promptsPerStep());
      GroupSampler.Rollouts rollouts =
          sampler.sample(model.getBlock(), scope, promptIds, sampling.groupSize(), sampling.maxNewTokens());
      Scores scores = score(promptIds, rollouts);
      double[] advantages = advantages(scores.rewards(), sampling.groupSize());
      PolicyUpdater.Batch batch = PolicyUpdater.Batch.of(scope, rollouts);
      Update update = update(scope, batch, advantages);
      if (memory != null) {
        memory.train(batch.tokens(), batch.responseTokens(), batch.promptLength());
      }
      GrpoStepMetrics m = metrics(rollouts, scores, update);
      adaptAfterStep(update.meanEntropy());
      for (GrpoListener listener : listeners) {
        listener.onStep(m);
      }
      return m;
    }
  }

  private int[][] promptsOfStep(int groups) {
    int[][] promptIds = new int[groups][];
    for (int j = 0; j < groups; j++) {
      long index = (step - 1) * groups + j;
      promptIds[j] = prompts.prompt(index);
      if (promptIds[j].length != promptIds[0].length || promptIds[j].length == 0) {
        throw new IllegalArgumentException("prompts of one step must share a non-zero length, prompt "
            + index + " has " + promptIds[j].length + " tokens, the first " + promptIds[0].length);
      }
    }
    return promptIds;
  }

  /** The verifier's rewards, {@code [group][rollout]}, and what they say about the step. */
  private record Scores(double[][] rewards, double meanReward, DegenerateGroups degenerate, DistinctN distinct,
      OptionalDouble preRlPredicted) {}

  private Scores score(int[][] promptIds, GroupSampler.Rollouts rollouts) {
    int g = rollouts.groupSize();
    double[][] rewards = new double[rollouts.groups()][g];
    DegenerateGroups degenerate = DegenerateGroups.empty();
    DistinctN distinct = DistinctN.empty(2);
    double rewardSum = 0;
    for (int j = 0; j < rollouts.groups(); j++) {
      for (int i = 0; i < g; i++) {
        int[] completion = rollouts.completion(j * g + i);
        double reward = verifier.reward(promptIds[j].clone(), completion.clone());
        if (!Double.isFinite(reward)) {
          throw new IllegalArgumentException("verifier reward must be finite, was " + reward);
        }
        rewards[j][i] = reward;
        rewardSum += reward;
        distinct.accept(completion);
      }
      if (passRates != null) {
        degenerate.accept(rewards[j], passRates.applyAsDouble(promptIds[j].clone()));
      } else {
        degenerate.accept(rewards[j]);
      }
    }
    return new Scores(rewards, rewardSum / rollouts.count(), degenerate, distinct, preRlPredicted(promptIds, g));
  }

  /** The mean unbiased degenerate-group estimate over the step's prompts from their pre-RL samples. */
  private OptionalDouble preRlPredicted(int[][] promptIds, int groupSize) {
    if (preRlSamples == null) {
      return OptionalDouble.empty();
    }
    double sum = 0;
    for (int[] prompt : promptIds) {
      Optional<ProblemSamples> samples = preRlSamples.apply(prompt.clone());
      if (samples.isEmpty()) {
        return OptionalDouble.empty();
      }
      sum += Estimators.passAtK().degenerateProbabilityEstimate(samples.get().n(), samples.get().c(), groupSize);
    }
    return OptionalDouble.of(sum / promptIds.length);
  }

  /** One advantage per rollout, in rollout order. */
  private double[] advantages(double[][] rewards, int g) {
    GrpoConfig.Advantage advantage = config.advantage();
    double[][] perGroup = Advantages.compute(advantage.estimator(), rewards, advantage.stdEpsilon());
    if (advantage.inverseSuccessAlpha() > 0) {
      perGroup = Advantages.inverseSuccessCalibration(perGroup, rewards, advantage.inverseSuccessAlpha());
    }
    double[] flat = new double[rewards.length * g];
    for (int j = 0; j < rewards.length; j++) {
      System.arraycopy(perGroup[j], 0, flat, j * g, g);
    }
    return flat;
  }

  /** What the update measured. */
  private record Update(GrpoLoss.Result last, double meanEntropy, float[] tokenLogProbs, double entropyCoefficient,
      double parLambda) {}

  private Update update(NDManager scope, PolicyUpdater.Batch batch, double[] advantages) {
    NDArray[] rollout = updater.evaluate(model.getBlock(), scope, batch);
    NDArray oldLogProbs = rollout[0].stopGradient();
    float[] tokenLogProbs = rollout[0].toType(DataType.FLOAT32, false).toFloatArray();
    double meanEntropy = rollout[1].mean().getFloat();
    NDArray refLogProbs = reference == null ? null : updater.evaluate(reference, scope, batch)[0].stopGradient();
    GrpoConfig.EntropyControl control = config.entropyControl();
    double coefficient = control.adaptive()
        ? Schedules.adaptiveEntropyInForce(entropyCoefficient, meanEntropy, control.target())
        : entropyCoefficient;
    double lambda = parLambda();
    GrpoLoss.Result last = updater.update(config, batch, oldLogProbs, refLogProbs, advantages, coefficient, lambda,
        random);
    return new Update(last, meanEntropy, tokenLogProbs, coefficient, lambda);
  }

  private GrpoStepMetrics metrics(GroupSampler.Rollouts rollouts, Scores scores, Update update) {
    // Calibration gap: per rollout, its mean token log-probability under the rollout policy.
    int n = rollouts.count();
    int g = rollouts.groupSize();
    int newTokens = rollouts.newTokens();
    CalibrationGap gap = CalibrationGap.empty();
    for (int r = 0; r < n; r++) {
      double mean = 0;
      for (int t = 0; t < newTokens; t++) {
        mean += update.tokenLogProbs()[r * newTokens + t] / newTokens;
      }
      gap.accept(Math.min(0.0, mean), CalibrationGap.isCorrect(scores.rewards()[r / g][r % g]));
    }
    GrpoLoss.Result last = update.last();
    return new GrpoStepMetrics(step, scores.meanReward(), scores.degenerate().observedFraction().getAsDouble(),
        scores.degenerate().predictedFraction(), scores.preRlPredicted(), rollouts.groups(), update.meanEntropy(),
        rollouts.worstStartEntropy(), last.clipFractionLow(), last.clipFractionHigh(), last.kl(), last.covariance(),
        gap.value(), scores.distinct().value(), update.entropyCoefficient(), update.parLambda());
  }

  private double parLambda() {
    GrpoConfig.PositiveAdvantageReweighting par = config.positiveAdvantageReweighting();
    int planned = config.plannedSteps();
    return switch (par.schedule()) {
      case NONE -> 1.0;
      case STAGE -> Schedules.parStage(step, planned);
      case EPOCH -> Schedules.parEpoch(step, planned, par.epochs());
      case ENTROPY_GUIDED -> parLambda;
    };
  }

  private void adaptAfterStep(double meanEntropy) {
    GrpoConfig.EntropyControl control = config.entropyControl();
    if (control.adaptive()) {
      entropyCoefficient = Schedules.adaptiveEntropy(entropyCoefficient, meanEntropy, control.target(),
          control.delta(), control.min(), control.max());
    }
    GrpoConfig.PositiveAdvantageReweighting par = config.positiveAdvantageReweighting();
    if (par.schedule() == GrpoConfig.ParSchedule.ENTROPY_GUIDED) {
      parLambda = Schedules.parEntropyGuided(parLambda, meanEntropy, par.entropyTarget(), par.delta());
    }
  }

  /**
   * Closes the DJL trainers (policy and DLC memory) and every listener, the metrics file among
   * them; idempotent. Each part is closed even if another fails; the first failure is then thrown
   * with the others suppressed. The models stay open (they are the caller's).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<AutoCloseable> parts = new ArrayList<>();
    parts.add(updater);
    if (memory != null) {
      parts.add(memory);
    }
    parts.addAll(listeners);
    closeAll(parts, null);
  }

  /**
   * Closes {@code parts}, last first, each even if another fails. With {@code pending} the
   * failures are added to it as suppressed; without, the first is thrown with the others
   * suppressed.
   */
  private static void closeAll(List<AutoCloseable> parts, @Nullable RuntimeException pending) {
    RuntimeException failure = pending;
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException("cannot close " + parts.get(i), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null && failure != pending) {
      throw failure;
    }
  }
}
