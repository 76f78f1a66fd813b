package io.github.rlvrdiagnostics.api;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.RandomAccess;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An immutable list of training steps stored as primitive columns, for logs of hundreds of
 * thousands of steps: about 8 bytes per step and per metric the log holds, where a list of
 * {@link TrainingStep} records costs some 300 bytes a step (one {@link OptionalDouble} object per
 * present value). Each {@link #get} builds its step afresh; equal to any list of the same steps.
 * Built by {@link TrainingStep#compactListBuilder()}; {@link TrainingLog} keeps such a list as it
 * is instead of copying it.
 *
 * <p>A column is allocated only once a value appears in it, in chunks, so a metric the log never
 * writes costs nothing and growth never copies what was already stored. An absent value is NaN
 * (no component admits NaN), an absent group count 0 (groups are at least 1).
 */
final class CompactSteps extends AbstractList<TrainingStep> implements RandomAccess {
  private static final int CHUNK_BITS = 12;
  private static final int CHUNK = 1 << CHUNK_BITS;

  /** The double-valued components, in the order of {@link #toStep}. */
  private static final List<Function<TrainingStep, OptionalDouble>> DOUBLES = List.of(
      TrainingStep::entropy, TrainingStep::degenerateFraction, TrainingStep::predictedDegenerateFraction,
      TrainingStep::reward, TrainingStep::rewardStd, TrainingStep::rewardMin, TrainingStep::rewardMax,
      TrainingStep::kl, TrainingStep::clipFraction, TrainingStep::gradNorm, TrainingStep::clipFractionLow,
      TrainingStep::clipFractionHigh, TrainingStep::genBatches, TrainingStep::allPassFraction,
      TrainingStep::allFailFraction, TrainingStep::loss, TrainingStep::responseLength, TrainingStep::truncatedFraction,
      // a count, stored as a double column where it is not 0 (most steps), like the other rare readings
      s -> s.nonFiniteValues() == 0 ? OptionalDouble.empty() : OptionalDouble.of(s.nonFiniteValues()));

  private final int size;
  private final long[][] steps;
  /** Per component, its chunks; a column or chunk not yet allocated is null (all absent). */
  private final double[][][] columns;
  private final int @Nullable [][] groups;

  private CompactSteps(int size, long[][] steps, double[][][] columns, int @Nullable [][] groups) {
    this.size = size;
    this.steps = steps;
    this.columns = columns;
    this.groups = groups;
  }

  /** Whether a list is one of these (and so immutable already). */
  static boolean isCompact(List<TrainingStep> list) {
    return list instanceof CompactSteps;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public TrainingStep get(int index) {
    Objects.checkIndex(index, size);
    int chunk = index >>> CHUNK_BITS;
    int at = index & (CHUNK - 1);
    OptionalDouble[] v = new OptionalDouble[DOUBLES.size()];
    for (int c = 0; c < v.length; c++) {
      double[][] column = columns[c];
      double x = column == null || chunk >= column.length || column[chunk] == null ? Double.NaN : column[chunk][at];
      v[c] = Double.isNaN(x) ? OptionalDouble.empty() : OptionalDouble.of(x);
    }
    int g = groups == null || chunk >= groups.length || groups[chunk] == null ? 0 : groups[chunk][at];
    return new TrainingStep(steps[chunk][at], v[0], v[1], v[2], g == 0 ? OptionalInt.empty() : OptionalInt.of(g),
        v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17],
        v[18].isPresent() ? (int) v[18].getAsDouble() : 0);
  }

  /** Collects steps in the order added. Not thread-safe. */
  static final class Builder implements TrainingStep.ListBuilder {
    private int size;
    private long[][] steps = new long[4][];
    private final double[][][] columns = new double[DOUBLES.size()][][];
    private int @Nullable [][] groups;
    private boolean built;

    @Override
    public TrainingStep.ListBuilder add(TrainingStep step) {
      Objects.requireNonNull(step, "step");
      if (built) {
        throw new IllegalStateException("this builder has built its list already");
      }
      if (size == Integer.MAX_VALUE - 1) {
        throw new IllegalStateException("a step list holds at most 2^31 - 2 steps");
      }
      int chunk = size >>> CHUNK_BITS;
      int at = size & (CHUNK - 1);
      if (chunk == steps.length) {
        steps = Arrays.copyOf(steps, 2 * chunk); // copies chunk references only, never the values
      }
      if (steps[chunk] == null) {
        steps[chunk] = new long[CHUNK];
      }
      steps[chunk][at] = step.step();
      for (int c = 0; c < columns.length; c++) {
        OptionalDouble value = DOUBLES.get(c).apply(step);
        if (value.isPresent()) {
          double[] values = chunk(c, chunk);
          values[at] = value.getAsDouble();
        } // else: a chunk starts all absent, and each index is written once
      }
      if (step.groups().isPresent()) {
        if (groups == null) {
          groups = new int[steps.length][];
        }
        if (chunk >= groups.length) {
          groups = Arrays.copyOf(groups, steps.length);
        }
        if (groups[chunk] == null) {
          groups[chunk] = new int[CHUNK];
        }
        groups[chunk][at] = step.groups().getAsInt();
      }
      size++;
      return this;
    }

    /** Column {@code c}'s chunk, allocated (all absent) on first use. */
    private double[] chunk(int c, int chunk) {
      if (columns[c] == null) {
        columns[c] = new double[steps.length][];
      } else if (chunk >= columns[c].length) {
        columns[c] = Arrays.copyOf(columns[c], steps.length);
      }
      if (columns[c][chunk] == null) {
        double[] values = new double[CHUNK];
        Arrays.fill(values, Double.NaN);
        columns[c][chunk] = values;
      }
      return columns[c][chunk];
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public List<TrainingStep> build() {
      built = true;
      return new CompactSteps(size, steps, columns, groups);
    }
  }
}
