package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Supervised fine-tuning on teacher demonstrations: cross-entropy of the teacher's completion
 * tokens given the prompt, AdamW, minibatches in a seeded shuffled order. Epoch counts are the
 * "SFT depth" of a checkpoint ladder. The model is trained in place; arrays of each minibatch
 * live in a child manager.
 */
public final class SftTrainer {
  private SftTrainer() {}

  /**
   * Trains for {@code epochs} passes over {@code prompts} and returns the mean loss of the last
   * epoch (nats per completion token).
   *
   * @param teacher the demonstration for each prompt; all prompts share a length, all
   *     demonstrations share a length
   * @throws IllegalArgumentException on bad sizes or no prompts
   */
  public static double train(Model model, List<int[]> prompts, Function<int[], int[]> teacher, int epochs,
      int batchSize, double learningRate, long seed) {
    return train(model, prompts, teacher, epochs, batchSize, learningRate, seed, List.of());
  }

  /**
   * {@link #train(Model, List, Function, int, int, double, long)} with DJL training listeners
   * attached to its trainer: each is told every minibatch ({@code onTrainingBatch}, with the
   * minibatch's token ids, its target tokens as labels and the logits that predict them) and the
   * end of every epoch ({@code onEpoch}), as {@code EasyTrain.fit} tells them. Listeners that
   * only read the model (an {@code SftStopAdvisor}) leave the training bit-for-bit as it is
   * without them.
   */
  public static double train(Model model, List<int[]> prompts, Function<int[], int[]> teacher, int epochs,
      int batchSize, double learningRate, long seed, List<TrainingListener> listeners) {
    if (prompts.isEmpty() || !(epochs >= 1 && batchSize >= 1 && learningRate > 0)) {
      throw new IllegalArgumentException("need prompts, epochs >= 1, batchSize >= 1 and learningRate > 0, was "
          + prompts.size() + " prompts, " + epochs + ", " + batchSize + ", " + learningRate);
    }
    Optimizer optimizer = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) learningRate)).build();
    Random random = new Random(seed);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      order.add(i);
    }
    double lastEpochLoss = Double.NaN;
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer)
        .addTrainingListeners(listeners.toArray(new TrainingListener[0]));
    try (Trainer trainer = model.newTrainer(config)) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        Collections.shuffle(order, random);
        double sum = 0;
        int batches = 0;
        for (int from = 0; from < order.size(); from += batchSize) {
          List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
          sum += step(model, trainer, optimizer, batch, prompts, teacher);
          batches++;
        }
        lastEpochLoss = sum / batches;
        trainer.notifyListeners(listener -> listener.onEpoch(trainer));
      }
    }
    return lastEpochLoss;
  }

  private static double step(Model model, Trainer trainer, Optimizer optimizer, List<Integer> batch,
      List<int[]> prompts, Function<int[], int[]> teacher) {
    int promptLength = prompts.get(batch.get(0)).length;
    int answerLength = teacher.apply(prompts.get(batch.get(0))).length;
    int total = promptLength + answerLength;
    long[] ids = new long[batch.size() * total];
    for (int b = 0; b < batch.size(); b++) {
      int[] prompt = prompts.get(batch.get(b));
      int[] answer = teacher.apply(prompt);
      if (prompt.length != promptLength || answer.length != answerLength) {
        throw new IllegalArgumentException("prompts and demonstrations must each share one length");
      }
      for (int t = 0; t < promptLength; t++) {
        ids[b * total + t] = prompt[t];
      }
      for (int t = 0; t < answerLength; t++) {
        ids[b * total + promptLength + t] = answer[t];
      }
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray tokens = scope.create(ids, new Shape(batch.size(), total));
      NDArray targets = tokens.get(":, " + promptLength + ":");
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray logits = trainer.forward(new NDList(tokens)).head();
        NDArray answerLogits = logits.get(":, " + (promptLength - 1) + ":" + (total - 1) + ", :");
        NDArray logSoftmax = answerLogits.logSoftmax(-1);
        NDArray oneHot = targets.oneHot((int) logSoftmax.getShape().get(2)).toType(logSoftmax.getDataType(), false);
        NDArray loss = logSoftmax.mul(oneHot).sum(new int[] {-1}).mean().neg();
        collector.backward(loss);
        OptimizerSteps.apply(model, optimizer);
        float value = loss.getFloat();
        Batch data = new Batch(scope, new NDList(tokens), new NDList(targets), batch.size(), null, null, 0, 0);
        TrainingListener.BatchData batchData = new TrainingListener.BatchData(data,
            Map.of(tokens.getDevice(), new NDList(targets)), Map.of(tokens.getDevice(), new NDList(answerLogits)));
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, batchData));
        return value;
      }
    }
  }
}
