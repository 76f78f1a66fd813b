package io.github.rlvrdiagnostics.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The built-in policy: a small causal language model trained from scratch. At each position it
 * reads the one-hot codes of the last {@code window} tokens (zeros before the start) and maps
 * them through a two-layer perceptron to next-token logits, so position {@code t} sees only tokens
 * {@code ≤ t}: {@code [batch, len]} int64 → {@code [batch, len, vocab]}.
 */
public final class CausalWindowPolicy {
  private CausalWindowPolicy() {}

  /**
   * A fresh, uninitialised policy block.
   *
   * @throws IllegalArgumentException unless every size is at least 1
   */
  public static Block create(int vocab, int window, int hidden) {
    if (!(vocab >= 1 && window >= 1 && hidden >= 1)) {
      throw new IllegalArgumentException("vocab, window and hidden must be >= 1, was " + vocab + ", " + window + ", " + hidden);
    }
    SequentialBlock block = new SequentialBlock();
    block.add(new LambdaBlock(list -> new NDList(windowFeatures(list.head(), vocab, window))));
    block.add(Linear.builder().setUnits(hidden).build());
    block.add(Activation::relu);
    block.add(Linear.builder().setUnits(vocab).build());
    return block;
  }

  /**
   * Initialises a policy block's parameters from {@code seed} alone: every weight matrix from the
   * distribution of DJL's default Xavier initialiser (uniform on ±√(6 / ((fanIn + fanOut)/2))),
   * drawn from a {@link java.util.Random} seeded here, and every bias at 0. Unlike
   * {@code Engine.setRandomSeed}, it touches no global state, so runs in one JVM cannot disturb
   * each other.
   *
   * @param promptLength the prompt length used to infer the input shape
   */
  public static void initialize(Block block, NDManager manager, int promptLength, long seed) {
    block.initialize(manager, DataType.FLOAT32, new Shape(1, promptLength));
    java.util.Random random = new java.util.Random(seed);
    for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      Shape shape = array.getShape();
      float[] values = new float[Math.toIntExact(shape.size())];
      if (shape.dimension() == 2) {
        double scale = Math.sqrt(6.0 / ((shape.get(0) + shape.get(1)) / 2.0));
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
      }
      array.set(values);
    }
  }

  /** {@code [B, L]} ids → {@code [B, L, window·vocab]}: the one-hot codes of tokens t, t−1, …, zero-padded. */
  static NDArray windowFeatures(NDArray ids, int vocab, int window) {
    NDArray oneHot = ids.toType(DataType.INT64, false).oneHot(vocab).toType(DataType.FLOAT32, false);
    long length = oneHot.getShape().get(1);
    NDArray[] parts = new NDArray[window];
    for (int w = 0; w < window; w++) {
      if (w == 0) {
        parts[w] = oneHot;
      } else if (w >= length) {
        parts[w] = oneHot.zerosLike();
      } else {
        NDArray pad = oneHot.get(":, :" + w + ", :").zerosLike();
        parts[w] = NDArrays.concat(new NDList(pad, oneHot.get(":, :" + (length - w) + ", :")), 1);
      }
    }
    return NDArrays.concat(new NDList(parts), 2);
  }
}
