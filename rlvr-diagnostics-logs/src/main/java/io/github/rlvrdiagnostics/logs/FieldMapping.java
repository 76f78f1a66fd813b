package io.github.rlvrdiagnostics.logs;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mapping from our field names to the keys a log uses for them: the canonical names, the
 * aliases each trainer writes, and the caller's overrides. Immutable, so thread-safe.
 *
 * <p>A field's aliases are tried in order and the first one a record holds wins; an override
 * replaces a field's aliases with the one key the caller named. The aliases, and where each comes
 * from:
 *
 * <ul>
 *   <li><b>TRL</b> ({@code trainer_state.json} {@code log_history} and console dicts): {@code step,
 *       entropy, frac_reward_zero_std, reward, reward_std, kl, clip_ratio/region_mean,
 *       clip_ratio/low_mean, clip_ratio/high_mean, grad_norm};
 *   <li><b>verl</b> (console and metric lines): {@code training/global_step, actor/entropy} (and
 *       the older {@code actor/entropy_loss}), {@code critic/score/mean} (then
 *       {@code critic/rewards/mean}), {@code critic/score/std, critic/score/min, critic/score/max,
 *       actor/kl_loss, actor/pg_clipfrac, actor/pg_clipfrac_lower, actor/grad_norm}; DAPO's
 *       {@code train/num_gen_batches};
 *   <li><b>prime-rl, rllm, slime, SkyRL</b> (their degenerate-group counters): see
 *       {@code allPassFraction}, {@code allFailFraction}, {@code partialFraction} and
 *       {@code degenerateGroups} below, and {@link #AGENT_SOLVE_RATE}, {@link #SLIME_ZERO_STD};
 *   <li><b>other writers</b>: {@code global_step} (Hugging Face trainer state), {@code _step}
 *       (Weights &amp; Biases history exports), {@code rewards/mean}, and our own names in
 *       snake_case and camelCase for generic JSON lines and CSV (the DJL trainer's metrics file
 *       uses the camelCase ones).
 * </ul>
 *
 * <p>docs/MONITOR.md ("Formats and metric names") prints the whole table for users with the
 * commit each key was read at; keep it in step when adding an alias here. A key a trainer renamed
 * stays as an alias, so that logs of both ages read.
 */
final class FieldMapping {
  /** Each field's aliases in precedence order; insertion order is the order of {@link #FIELDS}. */
  private static final Map<String, List<String>> DEFAULTS = defaults();

  /** Our field names, in output order. */
  static final List<String> FIELDS = List.copyOf(DEFAULTS.keySet());

  private final Map<String, List<String>> aliases;

  /** Every key some field looks for, so that a reader can skip the values no field wants unparsed. */
  private final Set<String> keys;

  private FieldMapping(Map<String, List<String>> aliases) {
    this.aliases = aliases;
    Set<String> all = new HashSet<>();
    aliases.values().forEach(all::addAll);
    this.keys = Set.copyOf(all);
  }

  private static Map<String, List<String>> defaults() {
    // The one alias table (docs/MONITOR.md "Formats and metric names" prints it with the source of
    // each key; keep the two in step). Where a key was read from a trainer's source, the comment
    // names the project and file; docs/MONITOR.md adds the commit.
    Map<String, List<String>> m = new LinkedHashMap<>();
    // train/global_step: OpenRLHF (openrlhf/utils/logging_utils.py); train/step, rollout/step:
    // slime (slime/backends/megatron_utils/model.py, slime/observability/train_metric_utils.py).
    m.put("step", List.of("step", "global_step", "training/global_step", "_step", "train/global_step", "train/step",
        "rollout/step"));
    // verl renamed actor/entropy_loss to actor/entropy in PR #1100 (April 2025); logs of both ages exist.
    // train/entropy: TRL through the Trainer's TensorBoard and W&B callbacks (train/ prefix);
    // train/entropy_loss: OpenRLHF (openrlhf/trainer/ray/ppo_actor.py) and slime
    // (slime/backends/megatron_utils/loss.py), both the mean token entropy despite the name;
    // train/approx_entropy: NeMo-RL (nemo_rl/algorithms/loss/loss_functions.py, logged with
    // prefix "train"); entropy/all/mean: prime-rl since its 2026 renames (src/prime_rl/trainer/rl/train.py);
    // policy/policy_entropy: SkyRL (skyrl/train/trainer.py, skyrl/backends/skyrl_train/workers/worker.py);
    // optim/entropy: the Tinker cookbook (tinker_cookbook/rl/metrics.py).
    m.put("entropy", List.of("entropy", "actor/entropy", "actor/entropy_loss", "train/entropy", "train/entropy_loss",
        "train/approx_entropy", "entropy/all/mean", "policy/policy_entropy", "optim/entropy"));
    m.put("degenerateFraction", List.of("frac_reward_zero_std", "train/frac_reward_zero_std", "degenerate_fraction",
        "degenerateFraction"));
    m.put("predictedDegenerateFraction", List.of("predicted_degenerate_fraction", "predictedDegenerateFraction"));
    m.put("groups", List.of("groups", "num_groups"));
    // critic/rewards/mean is the score after any in-reward KL penalty: the fallback, not the first choice.
    // train/reward: TRL (TensorBoard/W&B), OpenRLHF, NeMo-RL; rollout/raw_reward: slime
    // (slime/observability/train_metric_utils.py); reward/avg_raw_reward: SkyRL (skyrl/train/trainer.py);
    // env/all/reward/total, then env/all/correct: the Tinker cookbook (tinker_cookbook/rl/metric_util.py);
    // Avg Reward: NeMo-RL's console block (nemo_rl/algorithms/grpo.py, "• Avg Reward: 0.4500").
    m.put("reward", List.of("reward", "critic/score/mean", "critic/rewards/mean", "rewards/mean", "train/reward",
        "rollout/raw_reward", "reward/avg_raw_reward", "env/all/reward/total", "env/all/correct", "Avg Reward",
        "meanReward"));
    // train/group_reward_std: OpenRLHF's mean of the per-group stds (openrlhf/trainer/ppo_utils/experience_maker.py):
    // zero exactly when every group is degenerate, as TRL's reward_std.
    m.put("rewardStd", List.of("reward_std", "critic/score/std", "critic/rewards/std", "train/reward_std",
        "train/group_reward_std", "rewardStd"));
    m.put("rewardMin", List.of("critic/score/min", "critic/rewards/min", "reward_min", "rewardMin"));
    m.put("rewardMax", List.of("critic/score/max", "critic/rewards/max", "reward_max", "rewardMax"));
    m.put("kl", List.of("kl", "actor/kl_loss", "train/kl"));
    // train/ppo_clip_ratio: OpenRLHF (openrlhf/trainer/ray/ppo_actor.py).
    m.put("clipFraction", List.of("clip_ratio/region_mean", "actor/pg_clipfrac", "train/clip_ratio/region_mean",
        "train/ppo_clip_ratio", "clip_fraction", "clipFraction"));
    m.put("gradNorm", List.of("grad_norm", "actor/grad_norm", "train/grad_norm", "gradNorm"));
    m.put("clipFractionLow", List.of("clip_ratio/low_mean", "actor/pg_clipfrac_lower", "train/clip_ratio/low_mean",
        "clip_fraction_low", "clipFractionLow"));
    m.put("clipFractionHigh", List.of("clip_ratio/high_mean", "train/clip_ratio/high_mean", "clip_fraction_high",
        "clipFractionHigh"));
    // train/dynamic_sampling_num_gen_batches: NeMo-RL (nemo_rl/algorithms/grpo.py).
    m.put("genBatches", List.of("train/num_gen_batches", "num_gen_batches", "train/dynamic_sampling_num_gen_batches",
        "genBatches"));
    // The detectors' readings. loss: TRL log_history and console dicts; actor/pg_loss: verl. Response
    // length: TRL completions/mean_length, verl response_length/mean, OpenRLHF train/response_length
    // (openrlhf/trainer/ray/ppo_actor.py). Truncation: TRL completions/clipped_ratio, verl
    // response_length/clip_ratio. Each TRL and verl key is in the real logs of the tests' resources.
    m.put("loss", List.of("loss", "actor/pg_loss", "train/loss"));
    m.put("responseLength", List.of("completions/mean_length", "response_length/mean", "train/response_length",
        "responseLength"));
    m.put("truncatedFraction", List.of("completions/clipped_ratio", "response_length/clip_ratio", "truncatedFraction"));
    // Groups whose rollouts all passed / all failed / were mixed, as other trainers log them: prime-rl
    // (fractions; renamed over time: reward/solve_*, batch/solve_*, solve_*/all, train/agg/all/solved_*,
    // and since August 2026 train/agg/all/<agent>/solved_*, which StepCollector recognises by shape),
    // rllm (batch/solve_*: fractions now, counts of groups in its old AgentPPOTrainer; since 2026
    // batch/<role>/fractions/*, recognised by shape), NeMo-RL (train/baseline_reward/pct_*, percentages
    // of groups whose mean reward is 0, 1 or between: see PERCENT_KEYS), the Tinker cookbook
    // (env/all/by_group/frac_*: a group with equal rewards is all-good at or above 0.5, all-bad below).
    m.put("allPassFraction", List.of("train/agg/all/solved_all", "solve_all/all", "batch/solve_all", "reward/solve_all",
        "train/baseline_reward/pct_1", "env/all/by_group/frac_all_good", "all_pass_fraction", "allPassFraction"));
    m.put("allFailFraction", List.of("train/agg/all/solved_none", "solve_none/all", "batch/solve_none", "reward/solve_none",
        "train/baseline_reward/pct_0", "env/all/by_group/frac_all_bad", "all_fail_fraction", "allFailFraction"));
    m.put("partialFraction", List.of("train/agg/all/solved_some", "batch/solve_partial", "train/baseline_reward/pct_mixed",
        "env/all/by_group/frac_mixed", "partial_fraction", "partialFraction"));
    // A count of degenerate groups (SkyRL, with its zero-variance filter on); a fraction needs the step's groups.
    m.put("degenerateGroups", List.of("reward/num_zero_variance_filtered", "degenerate_groups", "degenerateGroups"));
    return m;
  }

  /**
   * Keys whose values are percentages (0–100) of groups rather than fractions: NeMo-RL's
   * {@code baseline_reward/pct_*} ({@code 100 * (baseline == 0).float().mean()}).
   */
  static final Set<String> PERCENT_KEYS = Set.of("train/baseline_reward/pct_0", "train/baseline_reward/pct_1",
      "train/baseline_reward/pct_mixed");

  /** The factor that turns a value under {@code key} into our unit: 1/100 for a percentage, else 1. */
  static double scale(String key) {
    return PERCENT_KEYS.contains(key) ? 0.01 : 1.0;
  }

  /**
   * rllm's per-role group fractions since 2026 ({@code rllm/trainer/algorithms/advantage.py}):
   * {@code batch/<role>/fractions/too_easy|too_hard|effective} — all-pass, all-fail and the groups
   * with a non-zero reward spread (so {@code 1 - effective} is the degenerate fraction, groups
   * stuck at one partial reward included).
   */
  static final Pattern ROLE_FRACTION = Pattern.compile("batch/([^/]+)/fractions/(too_easy|too_hard|effective)");

  /** The prefix every key {@link #ROLE_FRACTION} matches starts with. */
  static final String ROLE_PREFIX = "batch/";

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
   * Whether some field looks for this key (a value under any other key is never read): an alias,
   * or a key of a shape {@link StepCollector} reads, a prime-rl per-agent solve rate or a slime
   * zero-std count.
   */
  boolean wants(String key) {
    // Asked for every key of every record: the prefix tests keep the pattern off the common path.
    return keys.contains(key) || key.startsWith(SLIME_ZERO_STD)
        || key.startsWith(AGENT_PREFIX) && AGENT_SOLVE_RATE.matcher(key).matches()
        || key.startsWith(ROLE_PREFIX) && ROLE_FRACTION.matcher(key).matches();
  }

  /** prime-rl's per-agent solve rates since August 2026: {@code train/agg/all/<agent>/solved_all|none|some}. */
  static final Pattern AGENT_SOLVE_RATE = Pattern.compile("train/agg/all/([^/]+)/solved_(all|none|some)");

  /** The prefix every key {@link #AGENT_SOLVE_RATE} matches starts with. */
  static final String AGENT_PREFIX = "train/agg/all/";

  /**
   * slime's per-reward counts of zero-std groups, {@code rollout/zero_std/count_<reward>}, the
   * reward rounded to one decimal ({@code count_0.0}, {@code count_1.0}); present only when
   * non-zero.
   */
  static final String SLIME_ZERO_STD = "rollout/zero_std/count_";

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
