package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import io.github.rlvrdiagnostics.logs.Numbers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a checkpoint ladder:
 * <pre>{"checkpoints":[{"name":"1.9","seed":42,"entropy":0.163,"passAt1":0.15,"passAt10":0.4,
 *   "entropyTrace":[{"step":10,"entropy":1.0},{"step":150,"entropy":0.56}],"outcome":0.64,
 *   "generalisationLoss":1.2}]}</pre>
 * pass@k may also be given as {@code "passAtK":{"1":0.15,"10":0.4}} (each k once, in either
 * form); {@code seed} defaults to 0; {@code name} may be a number; each (name, seed) appears
 * once. Integers must be exact and fit in a long (no clamping); duplicate keys and data after the
 * JSON value are errors. Unknown fields are ignored.
 *
 * <p>A checkpoint needs its pre-RL {@code entropy} (the paper's Stage 1), its pre-RL samples
 * (the signal rules), or both. Released evaluation data has samples and no entropy: such a
 * checkpoint is read with an unknown entropy ({@link Checkpoint#UNKNOWN_ENTROPY}), and its
 * pass@1, when not given, is the samples' mean pass rate.
 */
final class LadderReader {
  private LadderReader() {}

  private static final Pattern PASS_AT = Pattern.compile("passAt(\\d+)");

  private static final Map<String, String> GROUP_SIZE_OPTION = Map.of("groupSize", "--group-size");

  /**
   * Reads a ladder file. A checkpoint with {@code "samples": [{"n":…, "c":…}, …]} or
   * {@code "samplesFile": "path"} (any file {@code passk --samples} reads, relative to the ladder
   * file; for a CSV, {@code "cColumn"} names the pass-count column, {@code "c"} by default) gets
   * its signal profile at {@code groupSize}.
   */
  static List<Checkpoint> read(Path file, int groupSize) {
    JsonNode root = Inputs.json(Inputs.readUtf8(file), file + ": ", false);
    JsonNode list = root.get("checkpoints");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new InputException(file + ": expected {\"checkpoints\": [ ... ]} with at least one checkpoint");
    }
    List<Checkpoint> ladder = new ArrayList<>();
    Set<List<Object>> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = file + ": checkpoints[" + i + "]: ";
      Checkpoint checkpoint;
      try {
        checkpoint = checkpoint(list.get(i), where, file, groupSize);
      } catch (IllegalArgumentException e) {
        // The estimators name the group size as a parameter; triage's user set it as an option.
        throw new InputException(where + Options.rename(e.getMessage(), GROUP_SIZE_OPTION), e);
      }
      if (!seen.add(List.of(checkpoint.name(), checkpoint.seed()))) {
        throw new InputException(where + "duplicate checkpoint (name '" + Inputs.cut(checkpoint.name())
            + "', seed " + checkpoint.seed() + ")");
      }
      ladder.add(checkpoint);
    }
    return ladder;
  }

  private static Checkpoint checkpoint(JsonNode node, String where, Path file, int groupSize) {
    if (!node.isObject()) {
      throw new InputException(where + "must be an object");
    }
    JsonNode name = node.get("name");
    if (name == null || !(name.isTextual() || name.isNumber())) {
      throw new InputException(where + "needs a \"name\" (string or number)");
    }
    long seed = node.has("seed") ? integer(node.get("seed"), "seed", where) : 0;
    List<ProblemSamples> samples = samples(node, where, file);
    boolean hasEntropy = node.hasNonNull("entropy");
    if (!hasEntropy && samples.isEmpty()) {
      throw new InputException(where + "needs \"entropy\" (pre-RL, for the paper's Stage 1) or \"samples\"/"
          + "\"samplesFile\" (pre-RL samples, for the signal rules), or both");
    }
    double entropy = hasEntropy ? number(node.get("entropy"), "entropy", where) : Checkpoint.UNKNOWN_ENTROPY;
    Optional<SignalProfile> signal = samples.isEmpty() ? Optional.empty()
        : Optional.of(SignalProfiles.of(samples, groupSize));
    Map<Integer, Double> passAtK = new TreeMap<>();
    JsonNode map = node.get("passAtK");
    if (map != null) {
      if (!map.isObject()) {
        throw new InputException(where + "\"passAtK\" must be an object keyed by k");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        putOnce(passAtK, k(e.getKey(), where), number(e.getValue(), "passAtK." + e.getKey(), where), where);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Matcher m = PASS_AT.matcher(e.getKey());
      if (m.matches()) {
        putOnce(passAtK, k(m.group(1), where), number(e.getValue(), e.getKey(), where), where);
      }
    }
    if (!passAtK.containsKey(1)) {
      if (signal.isEmpty()) {
        throw new InputException(where + "needs \"passAt1\" (or samples, whose mean pass rate is pass@1)");
      }
      passAtK.put(1, signal.get().meanPassRate());
    }
    List<EntropyPoint> trace = new ArrayList<>();
    JsonNode traceNode = node.get("entropyTrace");
    if (traceNode != null && !traceNode.isNull()) {
      if (!traceNode.isArray()) {
        throw new InputException(where + "\"entropyTrace\" must be an array of {step, entropy}");
      }
      for (int j = 0; j < traceNode.size(); j++) {
        JsonNode p = traceNode.get(j);
        trace.add(EntropyPoint.of(integer(p.get("step"), "entropyTrace[" + j + "].step", where),
            number(p.get("entropy"), "entropyTrace[" + j + "].entropy", where)));
      }
    }
    Checkpoint checkpoint = new Checkpoint(name.asText(), seed, entropy, passAtK, trace,
        java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), signal);
    if (node.hasNonNull("outcome")) {
      checkpoint = checkpoint.withOutcome(number(node.get("outcome"), "outcome", where));
    }
    if (node.hasNonNull("generalisationLoss")) {
      checkpoint = checkpoint.withGeneralisationLoss(number(node.get("generalisationLoss"), "generalisationLoss", where));
    }
    return checkpoint;
  }

  /** The checkpoint's per-prompt counts from "samples" or "samplesFile"; empty when it has neither. */
  private static List<ProblemSamples> samples(JsonNode node, String where, Path file) {
    JsonNode inline = node.get("samples");
    JsonNode external = node.get("samplesFile");
    JsonNode column = node.get("cColumn");
    if (inline != null && !inline.isNull() && external != null && !external.isNull()) {
      throw new InputException(where + "give \"samples\" or \"samplesFile\", not both");
    }
    if (column != null && !column.isNull() && (external == null || external.isNull())) {
      throw new InputException(where + "\"cColumn\" needs \"samplesFile\" (it names a column of a CSV samples file)");
    }
    if (external != null && !external.isNull()) {
      if (!external.isTextual()) {
        throw new InputException(where + "\"samplesFile\" must be a path string, was " + Inputs.cut(external));
      }
      if (column != null && !column.isNull() && !(column.isTextual() && !column.asText().isEmpty())) {
        throw new InputException(where + "\"cColumn\" must be a non-empty column name, was " + Inputs.cut(column));
      }
      Path parent = file.toAbsolutePath().getParent();
      Path path = parent == null ? Path.of(external.asText()) : parent.resolve(external.asText());
      return SamplesReader.read(path, column == null || column.isNull() ? "c" : column.asText(),
          "\"cColumn\" in the ladder's checkpoint");
    }
    if (inline == null || inline.isNull()) {
      return List.of();
    }
    if (!inline.isArray() || inline.isEmpty()) {
      throw new InputException(where + "\"samples\" must be a non-empty array of {n, c}");
    }
    List<ProblemSamples> problems = new ArrayList<>();
    for (int j = 0; j < inline.size(); j++) {
      JsonNode p = inline.get(j);
      String at = "samples[" + j + "]";
      if (!p.isObject()) {
        throw new InputException(where + at + " must be an object {n, c}");
      }
      long n = integer(p.get("n"), at + ".n", where);
      long c = integer(p.get("c"), at + ".c", where);
      if (!(n >= 1 && n <= Integer.MAX_VALUE && c >= 0 && c <= n)) {
        throw new InputException(where + at + " must have 1 <= n <= 2^31-1 and 0 <= c <= n, was n=" + n + ", c=" + c);
      }
      String id = p.hasNonNull("id") ? p.get("id").asText() : p.hasNonNull("task_id") ? p.get("task_id").asText() : at;
      problems.add(ProblemSamples.of(id, (int) n, (int) c));
    }
    return problems;
  }

  private static void putOnce(Map<Integer, Double> passAtK, int k, double value, String where) {
    if (passAtK.putIfAbsent(k, value) != null) {
      throw new InputException(where + "pass@" + k + " given twice (as \"passAt" + k + "\" and in \"passAtK\", or as both "
          + k + " and a zero-padded key)");
    }
  }

  private static int k(String text, String where) {
    try {
      int k = Numbers.parseInt(text, "k");
      if (k >= 1) {
        return k;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InputException(where + "pass@k key must be an integer k >= 1, was '" + Inputs.cut(text) + "'");
  }

  private static double number(JsonNode value, String field, String where) {
    if (value == null || !value.isNumber()) {
      throw new InputException(where + "\"" + field + "\" must be a number, was " + Inputs.cut(value));
    }
    return value.doubleValue();
  }

  private static long integer(JsonNode value, String field, String where) {
    // Numbers: 1e30 is integral but would be clamped by asLong, 2^53 + 1.0 already bent.
    try {
      return Numbers.exactLong(value, where + "\"" + field + "\"");
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }
}
