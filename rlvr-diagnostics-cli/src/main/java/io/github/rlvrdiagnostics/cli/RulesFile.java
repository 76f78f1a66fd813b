package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code --rules FILE}: the monitor's rules from a YAML file, two sections of numbers:
 *
 * <pre>
 * monitor:            # MonitorConfig: verdicts, hysteresis and trend windows
 *   hysteresis: 2     # sets confirmSteps and clearSteps together
 *   zCritical: 2.58
 *   patience: 50
 * triage:             # TriageConfig: the thresholds of the alerts
 *   tau: 0.3
 *   maxDegenerateFraction: 0.5
 * </pre>
 *
 * Every key is a component of {@link MonitorConfig} or {@link TriageConfig} (plus
 * {@code hysteresis}); values are numbers, except {@code relativeDropCollapses} (true or false).
 * The records validate the values and this class only adds the line: any error is one line
 * {@code FILE line N: ...}. Keys left out keep their defaults; options given on
 * the command line win over the file.
 */
final class RulesFile {
  private static final Set<String> MONITOR_INTEGERS = Set.of("minReadings", "maxReadings", "confirmSteps", "clearSteps",
      "patience", "hysteresis", "baselineReadings");
  private static final Set<String> MONITOR_KEYS = Set.of("minReadings", "maxReadings", "windowFraction", "zCritical",
      "confirmSteps", "clearSteps", "minCoverage", "noProgressZ", "patience", "hysteresis",
      // the detectors' thresholds (DetectorConfig)
      "spikeFactor", "baselineReadings", "minKl", "residueStd", "residueLoss", "maxTruncated", "lengthDriftFactor",
      "entropyRiseFactor", "relativeDropCollapses");
  /** The keys whose values are true or false rather than numbers. */
  private static final Set<String> BOOLEANS = Set.of("relativeDropCollapses");
  private static final Set<String> TRIAGE_INTEGERS = Set.of("referenceStep", "checkStep", "plannedSteps", "groupSize");
  private static final Set<String> TRIAGE_KEYS = Set.of("tau", "delta", "referenceStep", "checkStep", "plannedSteps",
      "groupSize", "maxDegenerateFraction");

  /** A value and the line it was read from: a number, or for {@link #BOOLEANS} a flag in {@code number} as 0 or 1. */
  private record Value(Number number, int line) {}

  private final Path file;
  private final Map<String, Value> monitor = new LinkedHashMap<>();
  private final Map<String, Value> triage = new LinkedHashMap<>();
  private final Map<String, Integer> sectionLines = new LinkedHashMap<>();

  private RulesFile(Path file) {
    this.file = file;
  }

  /**
   * Reads and checks the file's shape: known sections and keys, numbers, integers where the
   * records want them, no key twice.
   *
   * @throws InputException with the file and line of the first error
   */
  static RulesFile read(Path file) {
    RulesFile rules = new RulesFile(file);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InputException("--rules: " + file + ": no such file");
    } catch (IOException | RuntimeException e) {
      throw new InputException("--rules: " + file + ": cannot be read as UTF-8 text: " + e.getMessage());
    }
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      JsonToken root = p.nextToken();
      if (root == null) {
        return rules; // an empty file: every default
      }
      if (root != JsonToken.START_OBJECT) {
        throw rules.error(p.currentTokenLocation(), "the file must be a mapping with the sections monitor: and triage:");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String section = p.currentName();
        JsonLocation at = p.currentTokenLocation();
        Map<String, Value> target = switch (section) {
          case "monitor" -> rules.monitor;
          case "triage" -> rules.triage;
          default -> throw rules.error(at, "unknown section '" + section + "' (known: monitor, triage)");
        };
        if (rules.sectionLines.put(section, at.getLineNr()) != null) {
          throw rules.error(at, "section '" + section + "' appears twice");
        }
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw rules.error(p.currentTokenLocation(), "section '" + section + "' must be a mapping of names to numbers");
        }
        Set<String> known = section.equals("monitor") ? MONITOR_KEYS : TRIAGE_KEYS;
        Set<String> integers = section.equals("monitor") ? MONITOR_INTEGERS : TRIAGE_INTEGERS;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation keyAt = p.currentTokenLocation();
          if (!known.contains(key)) {
            throw rules.error(keyAt, "unknown key '" + key + "' in " + section + " (known: " + String.join(", ",
                known.stream().sorted().toList()) + ")");
          }
          JsonToken value = p.nextToken();
          Number number;
          if (BOOLEANS.contains(key)) {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
              throw rules.error(keyAt, section + "." + key + " must be true or false, was '" + p.getText() + "'");
            }
            number = value == JsonToken.VALUE_TRUE ? 1 : 0;
          } else if (value == JsonToken.VALUE_NUMBER_INT) {
            number = p.getNumberValue();
          } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            if (integers.contains(key)) {
              throw rules.error(keyAt, section + "." + key + " must be a whole number, was " + p.getText());
            }
            number = p.getDoubleValue();
          } else {
            throw rules.error(keyAt, section + "." + key + " must be a number, was "
                + (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY ? "a " + (value == JsonToken.START_ARRAY
                    ? "list" : "mapping") : "'" + p.getText() + "'"));
          }
          boolean isInt = !key.endsWith("Step") && !key.equals("plannedSteps");
          if (integers.contains(key) && !(number instanceof Integer || (number instanceof Long && !isInt))) {
            throw rules.error(keyAt, section + "." + key + " is too large, was " + number);
          }
          if (target.put(key, new Value(number, keyAt.getLineNr())) != null) {
            throw rules.error(keyAt, section + "." + key + " appears twice");
          }
        }
      }
      if (p.nextToken() != null) {
        throw rules.error(p.currentTokenLocation(), "a second YAML document: put every rule in one");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InputException(String.format(Locale.ROOT, "--rules: %s line %d: not valid YAML: %s", file,
          at == null ? 0 : at.getLineNr(), e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InputException("--rules: " + file + ": cannot be read: " + e.getMessage());
    }
    return rules;
  }

  private InputException error(JsonLocation at, String message) {
    return new InputException(String.format(Locale.ROOT, "--rules: %s line %d: %s", file, at.getLineNr(), message));
  }

  /** Whether the file sets {@code hysteresis}, {@code confirmSteps} or {@code clearSteps}. */
  boolean setsHysteresis() {
    return monitor.containsKey("hysteresis") || monitor.containsKey("confirmSteps") || monitor.containsKey("clearSteps");
  }

  /** {@code base} with the file's monitor rules; an invalid combination names the line. */
  MonitorConfig monitor(MonitorConfig base) {
    Integer hysteresis = integer(monitor, "hysteresis");
    int confirm = or(integer(monitor, "confirmSteps"), hysteresis == null ? base.confirmSteps() : hysteresis);
    int clear = or(integer(monitor, "clearSteps"), hysteresis == null ? base.clearSteps() : hysteresis);
    return validated(monitor, "monitor", () -> new MonitorConfig(
        or(integer(monitor, "minReadings"), base.minReadings()),
        or(integer(monitor, "maxReadings"), base.maxReadings()),
        real(monitor, "windowFraction", base.windowFraction()),
        real(monitor, "zCritical", base.zCritical()),
        confirm, clear,
        real(monitor, "minCoverage", base.minCoverage()),
        real(monitor, "noProgressZ", base.noProgressZ()),
        or(integer(monitor, "patience"), base.patience()),
        new io.github.rlvrdiagnostics.api.DetectorConfig(
            real(monitor, "spikeFactor", base.detectors().spikeFactor()),
            or(integer(monitor, "baselineReadings"), base.detectors().baselineReadings()),
            real(monitor, "minKl", base.detectors().minKl()),
            real(monitor, "residueStd", base.detectors().residueStd()),
            real(monitor, "residueLoss", base.detectors().residueLoss()),
            real(monitor, "maxTruncated", base.detectors().maxTruncated()),
            real(monitor, "lengthDriftFactor", base.detectors().lengthDriftFactor()),
            real(monitor, "entropyRiseFactor", base.detectors().entropyRiseFactor())),
        monitor.containsKey("relativeDropCollapses") ? monitor.get("relativeDropCollapses").number().intValue() == 1
            : base.relativeDropCollapses()));
  }

  /**
   * {@code base} with the file's triage thresholds, except those whose option {@code given} says
   * the command line set (the command line wins).
   */
  TriageConfig triage(TriageConfig base, Predicate<String> given) {
    Map<String, Value> used = new LinkedHashMap<>(triage);
    used.keySet().removeIf(key -> given.test(TriageOptions.option(key)));
    return validated(used, "triage", () -> new TriageConfig(
        real(used, "tau", base.tau()),
        real(used, "delta", base.delta()),
        used.containsKey("referenceStep") ? used.get("referenceStep").number().longValue() : base.referenceStep(),
        used.containsKey("checkStep") ? used.get("checkStep").number().longValue() : base.checkStep(),
        used.containsKey("plannedSteps") ? used.get("plannedSteps").number().longValue() : base.plannedSteps(),
        or(integer(used, "groupSize"), base.groupSize()),
        real(used, "maxDegenerateFraction", base.maxDegenerateFraction())));
  }

  /** The group size the file sets, if it does. */
  Integer groupSize() {
    return integer(triage, "groupSize");
  }

  private <T> T validated(Map<String, Value> values, String section, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "invalid value" : e.getMessage();
      // The line of the key the record's message names first; else the section's.
      int line = sectionLines.getOrDefault(section, 0);
      int best = Integer.MAX_VALUE;
      for (Map.Entry<String, Value> entry : values.entrySet()) {
        int at = indexOfWord(message, entry.getKey());
        if (entry.getKey().equals("hysteresis")) { // it sets confirmSteps and clearSteps, which the message names
          int confirm = indexOfWord(message, "confirmSteps");
          int clear = indexOfWord(message, "clearSteps");
          at = confirm >= 0 ? confirm : clear;
        }
        if (at >= 0 && at < best) {
          best = at;
          line = entry.getValue().line();
        }
      }
      throw new InputException(String.format(Locale.ROOT, "--rules: %s line %d: %s.%s", file, line, section, message));
    }
  }

  private static int indexOfWord(String text, String word) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(word) + "\\b").matcher(text);
    return m.find() ? m.start() : -1;
  }

  private static Integer integer(Map<String, Value> values, String key) {
    Value v = values.get(key);
    if (v == null) {
      return null;
    }
    return v.number().intValue(); // in range: read() refused larger whole numbers for these keys
  }

  private static int or(Integer value, int otherwise) {
    return value == null ? otherwise : value;
  }

  private static double real(Map<String, Value> values, String key, double otherwise) {
    Value v = values.get(key);
    return v == null ? otherwise : v.number().doubleValue();
  }

  /** The keys a file may set, for the documentation and error messages. */
  static List<String> keys() {
    return List.of("monitor: " + String.join(", ", MONITOR_KEYS.stream().sorted().toList()),
        "triage: " + String.join(", ", TRIAGE_KEYS.stream().sorted().toList()));
  }
}
