package io.github.rlvrdiagnostics.logs;

import io.github.rlvrdiagnostics.api.Checks;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * Every other trainer's degenerate-group counters, turned into the all-pass, all-fail and
 * degenerate fractions of a step's groups: prime-rl's and rllm's solve rates, rllm's role
 * fractions, slime's per-reward counts of zero-std groups, SkyRL's count of zero-variance groups.
 * Their key spellings are {@link FieldMapping}'s; the collector hands each record here and keeps
 * the closing notes. Stateless.
 */
final class TrainerCounters {
  private TrainerCounters() {}

  /** Reads one of our fields from a record (the collector's rules: aliases, scale, salvage). */
  @FunctionalInterface
  interface Numbers {
    OptionalDouble number(Map<String, ?> values, String field);
  }

  /** Reads one raw value of a record as a number for {@code field} under {@code key}. */
  @FunctionalInterface
  interface Values {
    OptionalDouble value(Object raw, String field, String key);
  }

  /** What a record says about its all-pass, all-fail and degenerate groups, as fractions of its groups. */
  record Split(OptionalDouble allPass, OptionalDouble allFail, OptionalDouble degenerate, Source source) {
    static final Split NONE = none(Source.NONE);

    static Split none(Source source) {
      return new Split(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), source);
    }
  }

  /** Where a split came from, for the closing notes (counted only once the record became a step). */
  enum Source { NONE, FRACTIONS, COUNTS, COUNTS_WITHOUT_TOTAL, SEVERAL_AGENTS }

  /**
   * The degenerate-group counters other trainers log, as fractions of the step's groups: solve
   * rates split into all-pass / all-fail / partial (prime-rl, rllm; counts rather than fractions
   * when they sum to more than 1, as rllm's old trainer logged them), slime's per-reward counts of
   * zero-std groups, and SkyRL's count of zero-variance groups. A count becomes a fraction over the
   * logged partial + all-pass + all-fail total, else over the step's groups (the record's, or
   * {@code --groups-per-step}); without either it is left out, and a note says so.
   */
  static Split split(Map<String, ?> values, OptionalInt groups, Numbers numbers, Values raw) {
    OptionalDouble pass = numbers.number(values, "allPassFraction");
    OptionalDouble fail = numbers.number(values, "allFailFraction");
    OptionalDouble partial = numbers.number(values, "partialFraction");
    double slimeAll = 0;
    double slimePass = 0;
    double slimeFail = 0;
    boolean slime = false;
    @Nullable String agent = null;
    boolean manyAgents = false;
    Map<String, OptionalDouble> agentRates = new HashMap<>();
    @Nullable String role = null;
    boolean manyRoles = false;
    Map<String, OptionalDouble> roleFractions = new HashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = e.getKey();
      if (e.getValue() == StepCollector.Duplicate.KEY) {
        continue;
      }
      if (key.startsWith(FieldMapping.ROLE_PREFIX)) {
        Matcher m = FieldMapping.ROLE_FRACTION.matcher(key);
        if (m.matches()) {
          if (role != null && !role.equals(m.group(1))) {
            manyRoles = true;
          }
          role = m.group(1);
          roleFractions.put(m.group(2), raw.value(e.getValue(), "allPassFraction", key));
        }
      } else if (key.startsWith(FieldMapping.SLIME_ZERO_STD)) {
        OptionalDouble count = raw.value(e.getValue(), "degenerateGroups", key);
        double reward = StepCollector.parseNumber(key.substring(FieldMapping.SLIME_ZERO_STD.length()), "the reward in '" + key + "'");
        if (count.isPresent()) {
          slime = true;
          slimeAll += count.getAsDouble();
          slimePass += reward == 1.0 ? count.getAsDouble() : 0;
          slimeFail += reward == 0.0 ? count.getAsDouble() : 0;
        }
      } else if (key.startsWith(FieldMapping.AGENT_PREFIX)) {
        Matcher m = FieldMapping.AGENT_SOLVE_RATE.matcher(key);
        if (m.matches()) {
          if (agent != null && !agent.equals(m.group(1))) {
            manyAgents = true;
            agentRates.clear();
            break;
          }
          agent = m.group(1);
          agentRates.put(m.group(2), raw.value(e.getValue(), "allPassFraction", key));
        }
      }
    }
    if (pass.isEmpty() && fail.isEmpty() && !roleFractions.isEmpty()) {
      if (manyRoles) {
        return Split.none(Source.SEVERAL_AGENTS);
      }
      // rllm: too_easy (all pass), too_hard (all fail), effective (a non-zero spread); groups stuck
      // at one partial reward are in none of them, so the degenerate fraction is 1 - effective.
      OptionalDouble effective = roleFractions.getOrDefault("effective", OptionalDouble.empty());
      return new Split(roleFractions.getOrDefault("too_easy", OptionalDouble.empty()),
          roleFractions.getOrDefault("too_hard", OptionalDouble.empty()),
          effective.isPresent() ? OptionalDouble.of(Math.max(0.0, 1.0 - effective.getAsDouble())) : OptionalDouble.empty(),
          Source.FRACTIONS);
    }
    if (pass.isEmpty() && fail.isEmpty() && !agentRates.isEmpty()) {
      pass = agentRates.getOrDefault("all", OptionalDouble.empty());
      fail = agentRates.getOrDefault("none", OptionalDouble.empty());
      partial = agentRates.getOrDefault("some", OptionalDouble.empty());
    }
    if (pass.isPresent() || fail.isPresent()) {
      double sum = pass.orElse(0) + fail.orElse(0) + partial.orElse(0);
      boolean counts = false;
      if (!Checks.atMostWithinTolerance(sum, 1.0)) { // counts of groups, not fractions
        double total;
        if (partial.isPresent()) {
          total = sum;
        } else if (groups.isPresent()) {
          total = groups.getAsInt();
        } else {
          return Split.none(Source.COUNTS_WITHOUT_TOTAL);
        }
        counts = true;
        pass = divide(pass, total);
        fail = divide(fail, total);
      }
      OptionalDouble degenerate = pass.isPresent() && fail.isPresent()
          ? OptionalDouble.of(Math.min(1.0, pass.getAsDouble() + fail.getAsDouble())) : OptionalDouble.empty();
      return new Split(pass, fail, degenerate, counts ? Source.COUNTS : Source.FRACTIONS);
    }
    OptionalDouble degenerateGroups = numbers.number(values, "degenerateGroups");
    if (!slime && degenerateGroups.isEmpty()) {
      return Split.none(manyAgents ? Source.SEVERAL_AGENTS : Source.NONE);
    }
    if (groups.isEmpty()) {
      return Split.none(Source.COUNTS_WITHOUT_TOTAL);
    }
    double g = groups.getAsInt();
    if (slime) {
      return new Split(OptionalDouble.of(slimePass / g), OptionalDouble.of(slimeFail / g), OptionalDouble.of(slimeAll / g),
          Source.COUNTS);
    }
    return new Split(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(degenerateGroups.getAsDouble() / g),
        Source.COUNTS);
  }

  private static OptionalDouble divide(OptionalDouble count, double total) {
    return count.isPresent() ? OptionalDouble.of(count.getAsDouble() / total) : count;
  }
}
