package io.github.rlvrdiagnostics.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Evaluator} of the token entropy of a language model's predictions, so that it
 * appears in DJL's own training metrics and logs beside the loss: add it with
 * {@code DefaultTrainingConfig.addEvaluator} and DJL's evaluator listener reports it per batch
 * and per epoch (as {@code train_epoch_entropy} with the default name).
 *
 * <p>Its value is the mean, over every position of every prediction seen since the last reset,
 * of the next-token entropy (nats) of the first prediction array, logits of shape
 * {@code [vocab]}, {@code [batch, vocab]} or {@code [batch, seq, vocab]}, at the configured
 * temperature and truncation, computed by {@link DjlEntropyProbe} on the array's device. Labels
 * are not read. Under teacher forcing this is the entropy of the positions trained on, which
 * falls as SFT sharpens the model; {@link SftStopAdvisor} measures the generation-start entropy
 * on held-out prompts instead. An accumulator that has seen nothing reads NaN. Accumulators may
 * be updated from several threads (one per device).
 */
public final class DjlEntropyEvaluator extends Evaluator {
  private final DjlEntropyProbe probe;
  private final Map<String, Double> sums = new ConcurrentHashMap<>();

  private DjlEntropyEvaluator(String name, SamplingConfig sampling) {
    super(name);
    this.probe = DjlEntropyProbe.of(sampling);
  }

  /** An evaluator named {@code entropy}. */
  public static DjlEntropyEvaluator of(SamplingConfig sampling) {
    return of("entropy", sampling);
  }

  /** An evaluator with the given metric name. */
  public static DjlEntropyEvaluator of(String name, SamplingConfig sampling) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty, was empty");
    }
    return new DjlEntropyEvaluator(name, sampling);
  }

  /**
   * The mean entropy of the predictions' positions, as a scalar float32 array on the
   * predictions' manager.
   */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    double[] h = probe.entropies(predictions.head());
    return predictions.head().getManager().create((float) mean(h));
  }

  @Override
  public void addAccumulator(String key) {
    totalInstances.put(key, 0L);
    sums.put(key, 0.0);
  }

  @Override
  public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
    // One probe for every key: the entropy does not depend on which accumulator asks.
    double[] h = probe.entropies(predictions.head());
    double sum = sum(h);
    for (String key : keys) {
      add(key, sum, h.length);
    }
  }

  @Override
  public void updateAccumulator(String key, NDList labels, NDList predictions) {
    double[] h = probe.entropies(predictions.head());
    add(key, sum(h), h.length);
  }

  private void add(String key, double sum, long count) {
    requireKey(key);
    sums.merge(key, sum, Double::sum);
    totalInstances.merge(key, count, Long::sum);
  }

  @Override
  public void resetAccumulator(String key) {
    requireKey(key);
    sums.put(key, 0.0);
    totalInstances.put(key, 0L);
  }

  @Override
  public float getAccumulator(String key) {
    requireKey(key);
    long count = totalInstances.get(key);
    return count == 0 ? Float.NaN : (float) (sums.get(key) / count);
  }

  private void requireKey(String key) {
    if (!sums.containsKey(key)) {
      throw new IllegalArgumentException("key must name an accumulator added with addAccumulator, was '" + key + "'");
    }
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  private static double mean(double[] values) {
    return sum(values) / values.length;
  }
}
