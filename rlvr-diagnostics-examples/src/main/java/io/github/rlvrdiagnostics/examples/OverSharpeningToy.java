package io.github.rlvrdiagnostics.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.djl.GrpoConfig;
import io.github.rlvrdiagnostics.djl.GrpoTrainer;
import io.github.rlvrdiagnostics.djl.Verifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The over-sharpening toy of <i>When Sharpening Becomes Collapse: Sampling Bias and Semantic
 * Coupling in RL with Verifiable Rewards</i> (docs/MATH.md §6), run through the same
 * {@link GrpoTrainer} and loss as everything else.
 *
 * <p><b>Setup</b> (the paper's embeddings were lost in extraction; these are ours). A softmax
 * policy over the labels {Cat, Dog, Persian, Siamese} reads fixed features {@code x = (a, b, 1)}
 * through a trainable 4×3 weight matrix (the third feature is a bias), initialised to zero, so
 * every label starts at 1/4. The training input is Persian, {@code (1, 0, 1)}, where Cat and
 * Persian both earn reward 1 and Dog and Siamese 0. The held-out Siamese inputs,
 * {@code (cos θ, sin θ, 1)} with {@code cos θ} = 0.9 (high), 0.6 (mid) and 0.2 (low similarity
 * to Persian), are never trained on; their correct labels are Cat and Siamese.
 *
 * <p><b>Measures.</b> The Persian share {@code s = p(Persian)/(p(Cat) + p(Persian))} on the
 * training input: the run has collapsed onto one correct label once {@code min(s, 1 − s) < 0.01}.
 * The held-out accuracy is {@code p(Cat) + p(Siamese)} on each Siamese input.
 */
public final class OverSharpeningToy {
  private OverSharpeningToy() {}

  /** Label ids. */
  public static final int CAT = 0;
  /** Label ids. */
  public static final int DOG = 1;
  /** Label ids. */
  public static final int PERSIAN = 2;
  /** Label ids. */
  public static final int SIAMESE = 3;

  /** Input ids: the training input and the three held-out inputs. */
  static final int PERSIAN_INPUT = 0;

  private static final float[][] FEATURES = {
    {1f, 0f, 1f}, // Persian (training input)
    {0.9f, (float) Math.sqrt(1 - 0.81), 1f}, // Siamese, high similarity
    {0.6f, 0.8f, 1f}, // Siamese, mid similarity
    {0.2f, (float) Math.sqrt(1 - 0.04), 1f}, // Siamese, low similarity
  };

  /** The collapse threshold on {@code min(s, 1 − s)}. */
  public static final double COLLAPSED = 0.01;

  /** One variant of the toy. */
  public record Variant(String name, int groupSize, AdvantageEstimator estimator, GrpoConfig.OptimizerKind optimizer,
      double iacAlpha, double dlcBeta) {}

  /**
   * One run's trajectory.
   *
   * @param variant the variant
   * @param seed the seed
   * @param persianShare {@code s} after each step (index 0 = before training)
   * @param rewardedMass per step, {@code p(Cat) + p(Persian)} on the training input: the mass on
   *     rewarded labels
   * @param heldOutAccuracy per step, {@code p(Cat) + p(Siamese)} on the high, mid and low inputs
   * @param collapseStep the first step with {@code min(s, 1 − s) < 0.01}, or −1 if none
   */
  public record Run(Variant variant, long seed, double[] persianShare, double[] rewardedMass, double[][] heldOutAccuracy,
      int collapseStep) {
    /** {@code min(s, 1 − s)} at the end: 0.5 is an even mix, 0 a full collapse. */
    public double finalMinority() {
      double s = persianShare[persianShare.length - 1];
      return Math.min(s, 1 - s);
    }
  }

  /** The policy block: fixed features, then a trainable 4×3 map without bias (the bias is a feature). */
  static Block policy() {
    SequentialBlock block = new SequentialBlock();
    block.add(new LambdaBlock(list -> {
      NDArray ids = list.head();
      NDArray table = ids.getManager().create(FEATURES);
      return new NDList(ids.oneHot(FEATURES.length).toType(DataType.FLOAT32, false).matMul(table));
    }));
    Linear linear = Linear.builder().setUnits(4).optBias(false).build();
    block.add(linear);
    block.setInitializer(new ConstantInitializer(0f), ai.djl.nn.Parameter.Type.WEIGHT);
    return block;
  }

  private static Model model(String name) {
    Model model = Model.newInstance(name);
    model.setBlock(policy());
    model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
    return model;
  }

  /**
   * Runs one variant for {@code steps} GRPO steps with the given seed.
   *
   * @throws IllegalArgumentException on a bad step count or learning rate
   */
  public static Run run(Variant variant, long seed, int steps, double learningRate) {
    if (!(steps >= 1)) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    GrpoConfig config = GrpoConfig.builder().groupSize(variant.groupSize()).promptsPerStep(1).maxNewTokens(1)
        .learningRate(learningRate).optimizer(variant.optimizer()).advantage(variant.estimator(), 1e-6)
        .inverseSuccessCalibration(variant.iacAlpha()).plannedSteps(steps).seed(seed).build();
    Verifier verifier = (prompt, completion) -> completion[0] == CAT || completion[0] == PERSIAN ? 1.0 : 0.0;
    double[] share = new double[steps + 1];
    double[] rewarded = new double[steps + 1];
    double[][] heldOut = new double[steps + 1][];
    int collapse = -1;
    try (Model model = model("toy-policy"); Model memory = variant.dlcBeta() > 0 ? model("toy-memory") : null) {
      GrpoTrainer.Builder builder = GrpoTrainer.builder(model, config, verifier, index -> new int[] {PERSIAN_INPUT});
      if (memory != null) {
        builder.distributionCalibration(memory, variant.dlcBeta(), learningRate);
      }
      try (GrpoTrainer trainer = builder.build()) {
        for (int s = 0; s <= steps; s++) {
          if (s > 0) {
            trainer.step();
          }
          float[][] p = probabilities(model);
          share[s] = p[0][PERSIAN] / (p[0][CAT] + p[0][PERSIAN]);
          rewarded[s] = p[0][CAT] + p[0][PERSIAN];
          heldOut[s] = new double[] {p[1][CAT] + p[1][SIAMESE], p[2][CAT] + p[2][SIAMESE], p[3][CAT] + p[3][SIAMESE]};
          if (collapse < 0 && Math.min(share[s], 1 - share[s]) < COLLAPSED) {
            collapse = s;
          }
        }
      }
    }
    return new Run(variant, seed, share, rewarded, heldOut, collapse);
  }

  /** The label distribution for each of the four inputs. */
  static float[][] probabilities(Model model) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray ids = scope.create(new long[] {0, 1, 2, 3}, new Shape(4, 1));
      NDArray logits = model.getBlock().forward(new ParameterStore(scope, false), new NDList(ids), false).head();
      float[] flat = logits.reshape(4, 4).softmax(-1).toFloatArray();
      float[][] out = new float[4][4];
      for (int i = 0; i < 4; i++) {
        System.arraycopy(flat, i * 4, out[i], 0, 4);
      }
      return out;
    }
  }

  /** The variants docs/MATH.md §6 compares, in the order of its findings. */
  public static List<Variant> standardVariants() {
    List<Variant> v = new ArrayList<>();
    GrpoConfig.OptimizerKind sgd = GrpoConfig.OptimizerKind.SGD;
    AdvantageEstimator grpo = AdvantageEstimator.GRPO_SAMPLE_STD;
    for (int g : new int[] {4, 8, 16, 32}) {
      v.add(new Variant("G=" + g + " (normalised, SGD)", g, grpo, sgd, 0, 0));
    }
    v.add(new Variant("raw reward", 8, AdvantageEstimator.RAW, sgd, 0, 0));
    v.add(new Variant("mean-shifted", 8, AdvantageEstimator.MEAN_SHIFTED, sgd, 0, 0));
    v.add(new Variant("RLOO", 8, AdvantageEstimator.RLOO, sgd, 0, 0));
    v.add(new Variant("REINFORCE++", 8, AdvantageEstimator.REINFORCE_PP_BASELINE, sgd, 0, 0));
    v.add(new Variant("momentum", 8, grpo, GrpoConfig.OptimizerKind.MOMENTUM, 0, 0));
    v.add(new Variant("AdamW", 8, grpo, GrpoConfig.OptimizerKind.ADAMW, 0, 0));
    v.add(new Variant("IAC", 8, grpo, sgd, 1.0, 0));
    v.add(new Variant("IAC+DLC", 8, grpo, sgd, 1.0, 1.0));
    return v;
  }
}
