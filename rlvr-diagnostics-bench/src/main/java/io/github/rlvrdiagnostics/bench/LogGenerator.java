package io.github.rlvrdiagnostics.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a large synthetic GRPO metric log for the log-reading benchmark
 * ({@code run-log-benchmark.sh}): JSON lines in the shape verl's file logger writes,
 * <code>{"step": n, "data": {…}}</code>, with the metric names of a real verl GRPO console line
 * (the public one in the logs module's test fixtures) and seeded values, so that every run reads
 * the same bytes. About 2.4 KB a line, so 1 GB is about 440,000 steps.
 *
 * <p>Usage: {@code LogGenerator FILE MEGABYTES}.
 */
public final class LogGenerator {
  private LogGenerator() {}

  /** verl metric names with no meaning to the monitor: the bulk of a real line, read and thrown away. */
  private static final String[] OTHER_KEYS = {
      "global_seqlen/min", "global_seqlen/max", "global_seqlen/minmax_diff", "global_seqlen/balanced_min",
      "global_seqlen/balanced_max", "global_seqlen/mean", "perf/mfu/actor_infer", "actor/ppo_kl", "actor/pg_loss",
      "actor/kl_coef", "actor/loss", "actor/perf/max_memory_allocated_gb", "actor/perf/max_memory_reserved_gb",
      "actor/perf/cpu_memory_used_gb", "actor/lr", "perf/mfu/actor", "training/epoch", "critic/advantages/mean",
      "critic/advantages/max", "critic/advantages/min", "critic/returns/mean", "critic/returns/max",
      "critic/returns/min", "response_length/mean", "response_length/max", "response_length/min",
      "response_length/clip_ratio", "prompt_length/mean", "prompt_length/max", "prompt_length/min",
      "prompt_length/clip_ratio", "timing_s/gen", "timing_s/reward", "timing_s/old_log_prob", "timing_s/ref",
      "timing_s/adv", "timing_s/update_actor", "timing_s/step", "timing_per_token_ms/gen",
      "timing_per_token_ms/update_actor", "perf/total_num_tokens", "perf/time_per_step", "perf/throughput",
      "perf/max_memory_allocated_gb", "perf/max_memory_reserved_gb", "perf/cpu_memory_used_gb"};

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: LogGenerator FILE MEGABYTES");
    }
    Path file = Path.of(args[0]);
    long megabytes = Long.parseLong(args[1]);
    if (!(megabytes >= 1)) {
      throw new IllegalArgumentException("MEGABYTES must be >= 1, was " + megabytes);
    }
    long steps = write(file, megabytes << 20);
    System.out.printf(Locale.ROOT, "%s: %d steps, %d bytes%n", file, steps, Files.size(file));
  }

  /** Writes lines until the file holds at least {@code bytes}; returns the number of steps written. */
  static long write(Path file, long bytes) throws IOException {
    SplittableRandom random = new SplittableRandom(20261123L);
    long written = 0;
    long step = 0;
    StringBuilder line = new StringBuilder(4096);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      while (written < bytes) {
        step++;
        line.setLength(0);
        // An entropy that decays, a score that rises: the monitor has something to report.
        double entropy = 0.05 + 0.6 * Math.exp(-step / 50_000.0) + 0.001 * random.nextDouble();
        double score = Math.min(1.0, 0.2 + step / 400_000.0 + 0.05 * random.nextDouble());
        line.append("{\"step\": ").append(step).append(", \"data\": {");
        line.append("\"actor/entropy\": ").append(entropy);
        line.append(", \"critic/score/mean\": ").append(score);
        line.append(", \"critic/score/max\": 1.0, \"critic/score/min\": 0.0");
        line.append(", \"critic/rewards/mean\": ").append(score);
        line.append(", \"actor/pg_clipfrac\": ").append(0.002 * random.nextDouble());
        line.append(", \"actor/pg_clipfrac_lower\": ").append(0.0001 * random.nextDouble());
        line.append(", \"actor/kl_loss\": ").append(0.001 * random.nextDouble());
        line.append(", \"actor/grad_norm\": ").append(0.1 + 0.1 * random.nextDouble());
        line.append(", \"training/global_step\": ").append(step);
        for (String key : OTHER_KEYS) {
          line.append(", \"").append(key).append("\": ").append(1000 * random.nextDouble());
        }
        line.append("}}\n");
        out.append(line);
        written += line.length(); // ASCII only: characters are bytes
      }
    }
    return step;
  }
}
