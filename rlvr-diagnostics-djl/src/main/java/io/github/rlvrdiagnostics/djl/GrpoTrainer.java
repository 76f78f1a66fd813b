package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.core.signal.Advantages;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import io.github.rlvrdiagnostics.core.rollout.DistinctN;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The reference GRPO loop on DJL autograd (SPEC §5): sample a group of completions per prompt at
 * the rollout temperature, score them with the verifier, turn rewards into advantages, and take
 * {@code μ} clipped policy-gradient updates with every entropy control of {@link GrpoConfig}.
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
 * <p>Sampling is seeded by {@link GrpoConfig#seed()}, so a run is reproducible on one machine.
 * Each step's arrays live in a child {@code NDManager} closed at the end of the step. Not
 * thread-safe; {@link #close()} is idempotent.
 */
public final class GrpoTrainer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Model model;
  private final GrpoConfig config;
  private final Verifier verifier;
  private final PromptSource prompts;
  private final @Nullable Block reference;
  private final @Nullable ToDoubleFunction<int[]> passRates;
  private final @Nullable TrainingMonitor monitor;
  private final @Nullable Model memory;
  private final @Nullable Trainer memoryTrainer;
  private final double dlcBeta;
  private final List<GrpoListener> listeners;
  private final @Nullable BufferedWriter metrics;
  private final Trainer trainer;
  private final Optimizer optimizer;
  private final @Nullable Optimizer memoryOptimizer;
  private final Random random;
  private long step;
  private double entropyCoefficient;
  private double parLambda = 1.0;
  private boolean closed;

  /** Receives each step's metrics. */
  @FunctionalInterface
  public interface GrpoListener {
    /** Called after every step, on the training thread. */
    void onStep(GrpoStepMetrics metrics);
  }

  private GrpoTrainer(Builder b) {
    this.model = b.model;
    this.config = b.config;
    this.verifier = b.verifier;
    this.prompts = b.prompts;
    this.reference = b.reference;
    this.passRates = b.passRates;
    this.monitor = b.monitor;
    this.memory = b.memory;
    this.dlcBeta = b.dlcBeta;
    this.listeners = List.copyOf(b.listeners);
    if (config.klBeta > 0 && reference == null) {
      throw new IllegalArgumentException("klBeta > 0 needs a reference block, none was given");
    }
    this.random = new Random(config.seed);
    this.entropyCoefficient = config.entropyCoefficient;
    this.optimizer = switch (config.optimizer) {
      case SGD -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) config.learningRate)).build();
      case MOMENTUM -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) config.learningRate)).optMomentum(0.9f).build();
      case ADAMW -> Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) config.learningRate)).build();
    };
    this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
    this.memoryOptimizer = memory == null ? null
        : Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) b.memoryLearningRate)).build();
    this.memoryTrainer = memory == null ? null
        : memory.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(memoryOptimizer));
    BufferedWriter writer = null;
    if (b.metricsFile != null) {
      try {
        writer = Files.newBufferedWriter(b.metricsFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        trainer.close();
        if (memoryTrainer != null) {
          memoryTrainer.close();
        }
        throw new IllegalArgumentException("cannot write metrics file " + b.metricsFile + ": " + e.getMessage(), e);
      }
    }
    this.metrics = writer;
  }

  /**
   * A builder for a loop training {@code model}'s block in place.
   *
   * @param model a model whose block is initialised
   */
  public static Builder builder(Model model, GrpoConfig config, Verifier verifier, PromptSource prompts) {
    return new Builder(model, config, verifier, prompts);
  }

  /** Builds a {@link GrpoTrainer}. */
  public static final class Builder {
    private final Model model;
    private final GrpoConfig config;
    private final Verifier verifier;
    private final PromptSource prompts;
    private @Nullable Block reference;
    private @Nullable ToDoubleFunction<int[]> passRates;
    private final List<GrpoListener> listeners = new ArrayList<>();
    private @Nullable Path metricsFile;
    private @Nullable TrainingMonitor monitor;
    private @Nullable Model memory;
    private double dlcBeta;
    private double memoryLearningRate;

    private Builder(Model model, GrpoConfig config, Verifier verifier, PromptSource prompts) {
      if (model.getBlock() == null || !model.getBlock().isInitialized()) {
        throw new IllegalArgumentException("model must have an initialized block");
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

    /** Adds a metrics listener. */
    public Builder listener(GrpoListener listener) {
      listeners.add(listener);
      return this;
    }

    /**
     * Feeds every step to a training monitor (SPEC §4–§5): entropy is the step's worst-token
     * generation-start entropy, as Stage 2 prescribes; also the degenerate fractions, group count,
     * reward, KL and clip fraction.
     */
    public Builder monitor(TrainingMonitor trainingMonitor) {
      this.monitor = trainingMonitor;
      return this;
    }

    /**
     * Distribution-Level Calibration (seed 004 §4.2): rollouts are sampled from
     * {@code softmax((z_policy − β·z_memory)/T)}, where the memory model (same input and output
     * contract as the policy, initialised) is trained after every step by cross-entropy on that
     * step's completions (AdamW at {@code learningRate}), so often-sampled completions are damped.
     * Only the sampler changes: the loss uses the policy's own log-probabilities as the rollout
     * policy's (no importance correction towards the calibrated sampler), as the paper describes.
     */
    public Builder distributionCalibration(Model memoryModel, double beta, double learningRate) {
      if (memoryModel.getBlock() == null || !memoryModel.getBlock().isInitialized()) {
        throw new IllegalArgumentException("memoryModel must have an initialized block");
      }
      if (!(beta > 0 && beta < Double.POSITIVE_INFINITY && learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("beta and learningRate must be finite and > 0, was " + beta + ", " + learningRate);
      }
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

    /** The loop. */
    public GrpoTrainer build() {
      return new GrpoTrainer(this);
    }
  }

  /** The steps taken so far. */
  public long stepsTaken() {
    return step;
  }

  /** Takes {@code n} steps and returns their metrics. */
  public List<GrpoStepMetrics> train(int n) {
    List<GrpoStepMetrics> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(step());
    }
    return all;
  }

  /**
   * One GRPO step: rollouts, rewards, advantages, {@code μ} updates, metrics.
   *
   * @throws IllegalStateException after {@link #close()}
   * @throws IllegalArgumentException if the step's prompts differ in length or a reward is not finite
   */
  public GrpoStepMetrics step() {
    if (closed) {
      throw new IllegalStateException("GrpoTrainer is closed");
    }
    step++;
    int groups = config.promptsPerStep;
    int g = config.groupSize;
    int newTokens = config.maxNewTokens;
    try (NDManager scope = model.getNDManager().newSubManager()) {
      int[][] promptIds = new int[groups][];
      for (int j = 0; j < groups; j++) {
        promptIds[j] = prompts.prompt((step - 1) * groups + j);
        if (promptIds[j].length != promptIds[0].length || promptIds[j].length == 0) {
          throw new IllegalArgumentException("prompts of one step must share a non-zero length, prompt "
              + ((step - 1) * groups + j) + " has " + promptIds[j].length + " tokens, the first " + promptIds[0].length);
        }
      }
      int promptLength = promptIds[0].length;
      int total = promptLength + newTokens;
      int n = groups * g;
      long[] sequences = new long[n * total];
      double worstStart = Double.POSITIVE_INFINITY;
      // Rollouts: all groups of the step as one batch, one token at a time.
      for (int j = 0; j < groups; j++) {
        for (int i = 0; i < g; i++) {
          for (int t = 0; t < promptLength; t++) {
            sequences[(j * g + i) * total + t] = promptIds[j][t];
          }
        }
      }
      SamplingConfig sampling = new SamplingConfig(config.temperature, 0, config.topP);
      for (int s = 0; s < newTokens; s++) {
        int length = promptLength + s;
        float[][] next = nextLogits(model.getBlock(), scope, sequences, n, total, length);
        float[][] mem = memory == null ? null : nextLogits(memory.getBlock(), scope, sequences, n, total, length);
        for (int r = 0; r < n; r++) {
          if (s == 0) {
            // The probe measures the policy itself, not the calibrated sampler.
            worstStart = Math.min(worstStart, Entropies.entropy(next[r], sampling));
          }
          sequences[r * total + length] = sample(mem == null ? next[r] : Schedules.calibrated(next[r], mem[r], dlcBeta));
        }
      }
      // Rewards and advantages.
      double[][] rewards = new double[groups][g];
      int[][] completions = new int[n][newTokens];
      DegenerateGroups degenerate = DegenerateGroups.empty();
      DistinctN distinct = DistinctN.empty(2);
      double rewardSum = 0;
      for (int j = 0; j < groups; j++) {
        for (int i = 0; i < g; i++) {
          int r = j * g + i;
          for (int t = 0; t < newTokens; t++) {
            completions[r][t] = (int) sequences[r * total + promptLength + t];
          }
          double reward = verifier.reward(promptIds[j].clone(), completions[r].clone());
          if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("verifier returned a non-finite reward " + reward);
          }
          rewards[j][i] = reward;
          rewardSum += reward;
          distinct.accept(completions[r]);
        }
        if (passRates != null) {
          degenerate.accept(rewards[j], passRates.applyAsDouble(promptIds[j].clone()));
        } else {
          degenerate.accept(rewards[j]);
        }
      }
      double[][] groupAdvantages = Advantages.compute(config.advantageEstimator, rewards, config.stdEpsilon);
      if (config.iacAlpha > 0) {
        groupAdvantages = Advantages.inverseSuccessCalibration(groupAdvantages, rewards, config.iacAlpha);
      }
      double[] advantages = new double[n];
      for (int j = 0; j < groups; j++) {
        System.arraycopy(groupAdvantages[j], 0, advantages, j * g, g);
      }
      // Updates.
      NDArray tokens = scope.create(sequences, new Shape(n, total));
      NDArray responseTokens = tokens.get(":, " + promptLength + ":");
      NDArray mask = scope.ones(new Shape(n, newTokens));
      NDArray oldLogProbs;
      NDArray refLogProbs = null;
      double meanEntropy;
      float[] tokenLogProbs;
      {
        NDArray[] lp = logProbsAndEntropy(model.getBlock(), new ParameterStore(scope, false), tokens, responseTokens,
            promptLength, false);
        oldLogProbs = lp[0].stopGradient();
        tokenLogProbs = lp[0].toType(DataType.FLOAT32, false).toFloatArray();
        meanEntropy = lp[1].mean().getFloat();
        if (reference != null) {
          refLogProbs = logProbsAndEntropy(reference, new ParameterStore(scope, false), tokens, responseTokens,
              promptLength, false)[0].stopGradient();
        }
      }
      double coefficientInForce = config.adaptiveEntropy
          ? Schedules.adaptiveEntropyInForce(entropyCoefficient, meanEntropy, config.entropyTarget)
          : entropyCoefficient;
      double lambda = parLambda();
      // With every advantage zero (all groups degenerate) and no KL or entropy term, the gradient
      // is exactly zero: the step carries no learning signal and no optimizer update is made.
      boolean signal = config.klBeta > 0 || coefficientInForce > 0
          || Arrays.stream(advantages).anyMatch(v -> v != 0.0);
      GrpoLoss.Result last = null;
      for (int u = 0; u < config.updatesPerBatch; u++) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray[] lp = logProbsAndEntropy(model.getBlock(), null, tokens, responseTokens, promptLength, true);
          last = GrpoLoss.compute(config, lp[0], oldLogProbs, refLogProbs, lp[1], advantages, mask,
              coefficientInForce, lambda, random);
          if (signal) {
            collector.backward(last.loss());
            OptimizerSteps.apply(model, optimizer);
          }
        }
      }
      if (memoryTrainer != null) {
        trainMemory(tokens, responseTokens, promptLength);
      }
      // Calibration gap: per rollout, its mean token log-probability under the rollout policy.
      CalibrationGap gap = CalibrationGap.empty();
      for (int r = 0; r < n; r++) {
        double mean = 0;
        for (int t = 0; t < newTokens; t++) {
          mean += tokenLogProbs[r * newTokens + t] / newTokens;
        }
        gap.accept(Math.min(0.0, mean), rewards[r / g][r % g] > 0);
      }
      GrpoStepMetrics m = new GrpoStepMetrics(step, rewardSum / n, degenerate.observedFraction().getAsDouble(),
          degenerate.predictedFraction(), groups, meanEntropy, worstStart, last.clipFractionLow(), last.clipFractionHigh(),
          last.kl(), last.covariance(), gap.value(), distinct.value(), coefficientInForce, lambda);
      adaptAfterStep(meanEntropy);
      if (monitor != null) {
        TrainingStep.Builder observed = TrainingStep.builder(step).entropy(worstStart)
            .degenerateFraction(m.degenerateFraction()).groups(groups).reward(m.reward()).kl(Math.max(0.0, m.kl()))
            .clipFraction(Math.min(1.0, m.clipFractionLow() + m.clipFractionHigh()));
        m.predictedDegenerateFraction().ifPresent(observed::predictedDegenerateFraction);
        monitor.accept(observed.build());
      }
      publish(m);
      return m;
    }
  }

  /**
   * The next-token logits of {@code block} after the first {@code length} tokens of each sequence,
   * on the host.
   */
  private static float[][] nextLogits(Block block, NDManager scope, long[] sequences, int n, int total, int length) {
    try (NDManager inner = scope.newSubManager()) {
      long[] prefix = new long[n * length];
      for (int r = 0; r < n; r++) {
        System.arraycopy(sequences, r * total, prefix, r * length, length);
      }
      NDArray input = inner.create(prefix, new Shape(n, length));
      NDArray logits = block.forward(new ParameterStore(inner, false), new NDList(input), false).head();
      NDArray last = logits.get(":, " + (length - 1) + ", :").toType(DataType.FLOAT32, false);
      float[] flat = last.toFloatArray();
      int vocab = (int) last.getShape().get(1);
      float[][] rows = new float[n][];
      for (int r = 0; r < n; r++) {
        rows[r] = Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
      }
      return rows;
    }
  }

  /** One cross-entropy step of the DLC memory model on this step's completions. */
  private void trainMemory(NDArray tokens, NDArray responseTokens, int promptLength) {
    try (GradientCollector collector = memoryTrainer.newGradientCollector()) {
      NDArray logits = memoryTrainer.forward(new NDList(tokens)).head();
      long total = tokens.getShape().get(1);
      NDArray logSoftmax = logits.get(":, " + (promptLength - 1) + ":" + (total - 1) + ", :").logSoftmax(-1);
      NDArray oneHot = responseTokens.oneHot((int) logSoftmax.getShape().get(2)).toType(logSoftmax.getDataType(), false);
      collector.backward(logSoftmax.mul(oneHot).sum(new int[] {-1}).mean().neg());
      OptimizerSteps.apply(memory, memoryOptimizer);
    }
  }

  /** Samples a token from softmax(logits / T), with nucleus truncation when topP < 1. */
  private int sample(float[] logits) {
    int vocab = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float z : logits) {
      max = Math.max(max, z / config.temperature);
    }
    double[] p = new double[vocab];
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      p[i] = Math.exp(logits[i] / config.temperature - max);
      sum += p[i];
    }
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
      p[i] /= sum;
    }
    if (config.topP < 1.0) {
      Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
      double before = 0;
      int kept = 0;
      while (kept < vocab && before < config.topP) {
        before += p[order[kept]];
        kept++;
      }
      double u = random.nextDouble() * before;
      double acc = 0;
      for (int k = 0; k < kept; k++) {
        acc += p[order[k]];
        if (u < acc) {
          return order[k];
        }
      }
      return order[kept - 1];
    }
    double u = random.nextDouble();
    double acc = 0;
    for (int i = 0; i < vocab; i++) {
      acc += p[i];
      if (u < acc) {
        return i;
      }
    }
    return vocab - 1;
  }

  /**
   * {log π of the response tokens [N, new], token entropy [N, new]} at temperature T. With
   * {@code parameters == null} the forward runs through the trainer (training mode, gradients).
   */
  private NDArray[] logProbsAndEntropy(Block block, @Nullable ParameterStore parameters, NDArray tokens,
      NDArray responseTokens, int promptLength, boolean training) {
    NDList input = new NDList(tokens);
    NDArray logits = parameters == null
        ? trainer.forward(input).head()
        : block.forward(parameters, input, training).head();
    long total = tokens.getShape().get(1);
    // Position t predicts token t + 1: the response tokens are predicted by positions promptLength − 1 .. total − 2.
    NDArray predicting = logits.get(":, " + (promptLength - 1) + ":" + (total - 1) + ", :").div((float) config.temperature);
    NDArray logSoftmax = predicting.logSoftmax(-1);
    long vocab = logSoftmax.getShape().get(2);
    NDArray oneHot = responseTokens.oneHot((int) vocab).toType(logSoftmax.getDataType(), false);
    NDArray logProbs = logSoftmax.mul(oneHot).sum(new int[] {-1});
    NDArray entropy = logSoftmax.exp().mul(logSoftmax).sum(new int[] {-1}).neg();
    return new NDArray[] {logProbs, entropy};
  }

  private double parLambda() {
    int planned = config.plannedSteps;
    return switch (config.parSchedule) {
      case NONE -> 1.0;
      case STAGE -> Schedules.parStage(step, planned);
      case EPOCH -> Schedules.parEpoch(step, planned, config.parEpochs);
      case ENTROPY_GUIDED -> parLambda;
    };
  }

  private void adaptAfterStep(double meanEntropy) {
    if (config.adaptiveEntropy) {
      entropyCoefficient = Schedules.adaptiveEntropy(entropyCoefficient, meanEntropy, config.entropyTarget,
          config.entropyCoefficientDelta, config.entropyCoefficientMin, config.entropyCoefficientMax);
    }
    if (config.parSchedule == GrpoConfig.ParSchedule.ENTROPY_GUIDED) {
      parLambda = Schedules.parEntropyGuided(parLambda, meanEntropy, config.parEntropyTarget, config.parDelta);
    }
  }

  private void publish(GrpoStepMetrics m) {
    for (GrpoListener l : listeners) {
      l.onStep(m);
    }
    if (metrics != null) {
      ObjectNode o = JSON.createObjectNode();
      o.put("step", m.step());
      o.put("reward", m.reward());
      o.put("degenerateFraction", m.degenerateFraction());
      put(o, "predictedDegenerateFraction", m.predictedDegenerateFraction());
      o.put("groups", m.groups());
      o.put("entropy", m.entropy());
      o.put("worstTokenEntropy", m.worstTokenEntropy());
      o.put("clipFractionLow", m.clipFractionLow());
      o.put("clipFractionHigh", m.clipFractionHigh());
      o.put("kl", m.kl());
      o.put("covLogProbAdvantage", m.covLogProbAdvantage());
      put(o, "calibrationGap", m.calibrationGap());
      put(o, "distinct2", m.distinct2());
      o.put("entropyCoefficient", m.entropyCoefficient());
      o.put("parLambda", m.parLambda());
      try {
        metrics.write(o.toString());
        metrics.newLine();
        metrics.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the metrics file", e);
      }
    }
  }

  private static void put(ObjectNode o, String field, OptionalDouble value) {
    if (value.isPresent()) {
      o.put(field, value.getAsDouble());
    } else {
      o.putNull(field);
    }
  }

  /** Closes the DJL trainer and the metrics file; idempotent. The model stays open (it is the caller's). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    trainer.close();
    if (memoryTrainer != null) {
      memoryTrainer.close();
    }
    if (metrics != null) {
      try {
        metrics.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close the metrics file", e);
      }
    }
  }
}
