package io.github.rlvrdiagnostics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file into the README's Markdown table of ratios: for each group of
 * parameters, each benchmark's score next to its baseline and the ratio.
 *
 * <p>{@code java -cp benchmarks.jar io.github.rlvrdiagnostics.bench.RatioTable results.json}
 */
public final class RatioTable {
  private RatioTable() {}

  /** Prints the table for the given JMH JSON file. */
  public static void main(String[] args) throws IOException {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Map<String, Double> score = new LinkedHashMap<>();
    Map<String, String> unit = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String name = r.get("benchmark").asText().replaceFirst("^.*\\.bench\\.", "");
      StringBuilder params = new StringBuilder();
      JsonNode p = r.get("params");
      if (p != null) {
        p.fields().forEachRemaining(e -> params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText()));
      }
      String key = name + (params.length() == 0 ? "" : " [" + params + "]");
      score.put(key, r.get("primaryMetric").get("score").asDouble());
      unit.put(key, r.get("primaryMetric").get("scoreUnit").asText());
    }
    StringBuilder out = new StringBuilder();
    out.append("| comparison | parameters | ours | other | ratio |\n|---|---|---|---|---|\n");
    for (String key : score.keySet()) {
      String params = key.contains("[") ? key.substring(key.indexOf('[')) : "";
      ratio(out, score, unit, key, params, "EntropyBenchmark.oursVectorApi", "EntropyBenchmark.readFloor", "entropy (Vector API) / read floor");
      ratio(out, score, unit, key, params, "EntropyBenchmark.ours", "EntropyBenchmark.readFloor", "entropy (plain Java) / read floor");
      ratio(out, score, unit, key, params, "EntropyBenchmark.expFloorVectorApi", "EntropyBenchmark.readFloor", "exp floor (Vector API float exp) / read floor");
      ratio(out, score, unit, key, params, "EntropyBenchmark.djlComposite", "EntropyBenchmark.oursVectorApi", "DJL composite / entropy (Vector API)");
      ratio(out, score, unit, key, params, "EntropyBenchmark.djlComposite", "EntropyBenchmark.ours", "DJL composite / entropy (plain Java)");
      ratio(out, score, unit, key, params, "EntropyBenchmark.previousPlainJava", "EntropyBenchmark.ours", "previous plain Java / entropy (plain Java)");
      ratio(out, score, unit, key, params, "EntropyBenchmark.oursVectorApi", "EntropyBenchmark.expFloorVectorApi", "entropy (Vector API) / exp floor");
      ratio(out, score, unit, key, params, "EntropyBenchmark.naiveTwoPass", "EntropyBenchmark.ours", "naive two-pass / entropy (plain Java)");
      ratio(out, score, unit, key, params, "PStarBenchmark.commonsMathBrent", "PStarBenchmark.ours", "Commons Math Brent / our p*(G)");
      ratio(out, score, unit, key, params, "PassAtKBenchmark.commonsMathLogBinomial", "PassAtKBenchmark.passAtK", "log-binomial / our pass@k");
      ratio(out, score, unit, key, params, "MonitorOverheadBenchmark.monitorStep", "MonitorOverheadBenchmark.grpoStep", "monitor / GRPO step");
      ratio(out, score, unit, key, params, "SamplerHookBenchmark.hook", "SamplerHookBenchmark.sample", "sampler hook / sampling (default path)");
      ratio(out, score, unit, key, params, "SamplerHookBenchmark.hookVector", "SamplerHookBenchmark.sample", "sampler hook / sampling (Vector API)");
      ratio(out, score, unit, key, params, "SamplerHookBenchmark.sampleWithHook", "SamplerHookBenchmark.sample", "hooked sampler / sampler (default path)");
      ratio(out, score, unit, key, params, "SamplerHookBenchmark.sampleWithHookVector", "SamplerHookBenchmark.sample", "hooked sampler / sampler (Vector API)");
    }
    out.append("\nAbsolute scores:\n\n| benchmark | score |\n|---|---|\n");
    score.forEach((k, v) -> out.append(String.format(Locale.ROOT, "| %s | %.3f %s |%n", k, v, unit.get(k))));
    System.out.print(out);
  }

  private static void ratio(StringBuilder out, Map<String, Double> score, Map<String, String> unit, String key,
      String params, String numerator, String denominator, String label) {
    if (!key.startsWith(numerator + " ") && !key.equals(numerator)) {
      return;
    }
    String other = denominator + (params.isEmpty() ? "" : " " + params);
    Double a = score.get(key);
    Double b = score.get(other);
    if (a == null || b == null) {
      return;
    }
    out.append(String.format(Locale.ROOT, "| %s | %s | %.3f %s | %.3f %s | %.3g× |%n", label, params, a, unit.get(key),
        b, unit.get(other), a / b));
  }
}
