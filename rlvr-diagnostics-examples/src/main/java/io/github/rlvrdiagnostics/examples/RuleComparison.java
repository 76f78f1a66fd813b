package io.github.rlvrdiagnostics.examples;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The selection rules side by side on a ladder whose GRPO outcomes are known: which checkpoint
 * each rule picks, per seed and pooled over seeds, its outcome, and its <em>regret</em> (the best
 * outcome available minus the picked one's).
 *
 * <p>The rules, fixed before any outcome was looked at:
 * <ul>
 *   <li>{@link Rule#STANDARD}: the highest pre-RL pass@1;
 *   <li>{@link Rule#ENTROPY}: the paper's triage, the highest pass@1 among checkpoints flagged by
 *       neither Stage 1 (entropy below τ) nor Stage 2 (worst-token drop above δ). When it flags
 *       every checkpoint it gives no answer; a user then falls back on the standard rule, so its
 *       regret is the standard pick's and {@link Pick#fallback()} says so;
 *   <li>{@link Rule#SIGNAL}: this library's rule, the highest pass@1 among checkpoints whose
 *       predicted degenerate fraction (from pre-RL samples) is at most the threshold, else the
 *       lowest predicted fraction (it always answers);
 *   <li>{@link Rule#ORACLE}: the best outcome, regret 0 by definition.
 * </ul>
 * Immutable.
 *
 * @param perSeed one comparison per seed, in the ladder's seed order
 * @param pooled the comparison on outcomes averaged over seeds (checkpoints grouped by name)
 */
public record RuleComparison(List<SeedPicks> perSeed, SeedPicks pooled) {

  /** The selection rules compared. */
  public enum Rule {
    /** Highest pre-RL pass@1. */
    STANDARD,
    /** The two-stage entropy triage, falling back on the standard pick when it flags everything. */
    ENTROPY,
    /** The signal rule on the predicted degenerate fraction. */
    SIGNAL,
    /** The best outcome in hindsight. */
    ORACLE
  }

  /**
   * One rule's pick.
   *
   * @param name the picked checkpoint name
   * @param outcome its outcome (a seed's, or the mean over seeds when pooled)
   * @param regret the best outcome minus this one, {@code ≥ 0}
   * @param fallback whether the rule gave no answer and the standard pick stands in
   */
  public record Pick(String name, double outcome, double regret, boolean fallback) {}

  /**
   * The picks of every rule on one seed's ladder (or the pooled one).
   *
   * @param seed the seed, empty when pooled
   * @param picks one pick per rule
   * @param analysis the ladder analysis they come from
   */
  public record SeedPicks(OptionalLong seed, Map<Rule, Pick> picks, LadderReport analysis) {
    /** Copies the map. */
    public SeedPicks {
      picks = Map.copyOf(picks);
    }

    /** The rule's pick. */
    public Pick pick(Rule rule) {
      return picks.get(rule);
    }
  }

  /** Copies the list. */
  public RuleComparison {
    perSeed = List.copyOf(perSeed);
  }

  /**
   * Compares the rules on a ladder where every checkpoint has an outcome and a signal profile.
   *
   * @throws IllegalArgumentException when a checkpoint lacks an outcome or a signal profile
   */
  public static RuleComparison of(List<Checkpoint> ladder, TriageConfig config) {
    for (Checkpoint c : ladder) {
      if (c.outcome().isEmpty() || c.signal().isEmpty()) {
        throw new IllegalArgumentException("checkpoint '" + c.name() + "' (seed " + c.seed()
            + ") must have an outcome and a signal profile to compare the rules");
      }
    }
    Set<Long> seeds = new LinkedHashSet<>();
    ladder.forEach(c -> seeds.add(c.seed()));
    List<SeedPicks> perSeed = new ArrayList<>();
    for (long seed : seeds) {
      List<Checkpoint> one = ladder.stream().filter(c -> c.seed() == seed).toList();
      perSeed.add(picks(OptionalLong.of(seed), Ladders.analyze(one, config)));
    }
    return new RuleComparison(perSeed, picks(OptionalLong.empty(), Ladders.analyze(ladder, config)));
  }

  private static SeedPicks picks(OptionalLong seed, LadderReport report) {
    OutcomeAnalysis a = report.outcomes().orElseThrow();
    double best = a.bestOutcome();
    Map<Rule, Pick> picks = new EnumMap<>(Rule.class);
    picks.put(Rule.STANDARD, new Pick(report.standardPick(), a.standardPickOutcome(), best - a.standardPickOutcome(), false));
    if (report.triagePick().isPresent()) {
      double outcome = a.triagePickOutcome().orElseThrow();
      picks.put(Rule.ENTROPY, new Pick(report.triagePick().get(), outcome, best - outcome, false));
    } else {
      picks.put(Rule.ENTROPY, new Pick(report.standardPick(), a.standardPickOutcome(), best - a.standardPickOutcome(), true));
    }
    double signalOutcome = a.signalPickOutcome().orElseThrow();
    picks.put(Rule.SIGNAL, new Pick(report.signalPick().orElseThrow(), signalOutcome, best - signalOutcome, false));
    picks.put(Rule.ORACLE, new Pick(a.bestName(), best, 0.0, false));
    return new SeedPicks(seed, picks, report);
  }

  /** The rule's regret averaged over seeds. */
  public double meanRegret(Rule rule) {
    return perSeed.stream().mapToDouble(s -> s.pick(rule).regret()).average().orElseThrow();
  }

  /** The rule's outcome averaged over seeds. */
  public double meanOutcome(Rule rule) {
    return perSeed.stream().mapToDouble(s -> s.pick(rule).outcome()).average().orElseThrow();
  }

  /** The number of seeds where the rule's regret is within {@link OutcomeAnalysis#TIE_TOLERANCE} of 0. */
  public long zeroRegretSeeds(Rule rule) {
    return perSeed.stream().filter(s -> s.pick(rule).regret() <= OutcomeAnalysis.TIE_TOLERANCE).count();
  }

  /** The number of seeds where the rule gave no answer and the standard pick stood in. */
  public long fallbacks(Rule rule) {
    return perSeed.stream().filter(s -> s.pick(rule).fallback()).count();
  }
}
