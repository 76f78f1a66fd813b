package io.github.rlvrdiagnostics.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
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
