package io.github.rlvrdiagnostics.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping from our field names to the keys a log uses for them: the canonical names, the
 * aliases each trainer writes, and the caller's overrides. Immutable, so thread-safe.
 *
 * <p>A field's aliases are tried in order and the first one a record holds wins; an override
 * replaces a field's aliases with the one key the caller named. The aliases, and where each comes
 * from:
 *
 * <ul>
 *   <li><b>TRL</b> ({@code trainer_state.json} {@code log_history}): {@code step, entropy,
 *       frac_reward_zero_std, reward, reward_std, kl, clip_ratio/region_mean, grad_norm};
 *   <li><b>verl</b> (console and metric lines): {@code training/global_step, actor/entropy,
 *       critic/score/mean, critic/score/std, critic/score/min, critic/score/max, actor/kl_loss,
 *       actor/pg_clipfrac, actor/grad_norm};
 *   <li><b>other writers</b>: {@code global_step} (Hugging Face trainer state), {@code _step}
 *       (Weights &amp; Biases history exports), {@code rewards/mean}, and our own names in
 *       snake_case and camelCase for generic JSON lines and CSV (the DJL trainer's metrics file
 *       uses the camelCase ones).
 * </ul>
 *
 * <p>The public Javadoc of {@link TrainingLogs} lists the main aliases for users; keep it in step
 * when adding one here (older verl key names, say).
 */
final class FieldMapping {
  /** Each field's aliases in precedence order; insertion order is the order of {@link #FIELDS}. */
  private static final Map<String, List<String>> DEFAULTS = defaults();

  /** Our field names, in output order. */
  static final List<String> FIELDS = List.copyOf(DEFAULTS.keySet());

  private final Map<String, List<String>> aliases;

  private FieldMapping(Map<String, List<String>> aliases) {
    this.aliases = aliases;
  }

  private static Map<String, List<String>> defaults() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("step", List.of("step", "global_step", "training/global_step", "_step"));
    m.put("entropy", List.of("entropy", "actor/entropy"));
    m.put("degenerateFraction", List.of("frac_reward_zero_std", "degenerate_fraction", "degenerateFraction"));
    m.put("predictedDegenerateFraction", List.of("predicted_degenerate_fraction", "predictedDegenerateFraction"));
    m.put("groups", List.of("groups", "num_groups"));
    m.put("reward", List.of("reward", "critic/score/mean", "rewards/mean"));
    m.put("rewardStd", List.of("reward_std", "critic/score/std", "rewardStd"));
    m.put("rewardMin", List.of("critic/score/min", "reward_min", "rewardMin"));
    m.put("rewardMax", List.of("critic/score/max", "reward_max", "rewardMax"));
    m.put("kl", List.of("kl", "actor/kl_loss"));
    m.put("clipFraction", List.of("clip_ratio/region_mean", "actor/pg_clipfrac", "clip_fraction", "clipFraction"));
    m.put("gradNorm", List.of("grad_norm", "actor/grad_norm", "gradNorm"));
    return m;
  }

  /**
   * The default aliases with the caller's overrides applied.
   *
   * @param overrides our field name → the log's key for it; keys from {@link #FIELDS}
   * @throws IllegalArgumentException if a key of {@code overrides} is not one of {@link #FIELDS}
   */
  static FieldMapping of(Map<String, String> overrides) {
    Map<String, List<String>> aliases = new LinkedHashMap<>(DEFAULTS);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!DEFAULTS.containsKey(e.getKey())) {
        throw new IllegalArgumentException("field mapping key must be one of " + FIELDS + ", was '" + e.getKey() + "'");
      }
      aliases.put(e.getKey(), List.of(e.getValue()));
    }
    return new FieldMapping(aliases);
  }

  /**
   * The keys to look for, in order, for one of our fields.
   *
   * @throws IllegalArgumentException if {@code field} is not one of {@link #FIELDS}
   */
  List<String> aliases(String field) {
    List<String> keys = aliases.get(field);
    if (keys == null) {
      throw new IllegalArgumentException("field must be one of " + FIELDS + ", was '" + field + "'");
    }
    return keys;
  }
}
