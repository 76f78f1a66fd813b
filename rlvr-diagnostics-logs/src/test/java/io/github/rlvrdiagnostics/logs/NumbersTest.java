package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one number grammar, and the readers that ask it: integers exact or refused, never bent. */
class NumbersTest {
  private static final long TWO_53_PLUS_1 = (1L << 53) + 1;

  @Test
  void integersAreAsciiDigitsReadExactlyOrRefused() {
    assertEquals(TWO_53_PLUS_1, Numbers.parseLong("9007199254740993", "step"));
    assertEquals(Long.MIN_VALUE, Numbers.parseLong("-9223372036854775808", "x"));
    assertEquals(7, Numbers.parseInt("+7", "x"));
    for (String bad : new String[] {"7d", "5L", "0x10", "\u0668", "\uff17", "1_000", "1,000", " 7", "", "-", "1.0"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Numbers.parseLong(bad, "line 3: n"));
      assertTrue(e.getMessage().startsWith("line 3: n must be an integer written in ASCII digits"), e.getMessage());
    }
    IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
        () -> Numbers.parseLong("18446744073709551621", "line 1: n"));
    assertEquals("line 1: n is beyond the integers read exactly (-2^63 to 2^63-1), was '18446744073709551621'",
        huge.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Numbers.parseLong("-18446744073709551606", "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.parseInt("2147483648", "-g"));
  }

  @Test
  void decimalsRefuseSuffixesHexadecimalAndUnicodeDigitsAndOptionsRefuseOverAndUnderflow() {
    assertEquals(0.25, Numbers.parseDouble("0.25", "p"));
    assertEquals(0.5, Numbers.parseDouble(".5", "p"));
    assertEquals(1e-5, Numbers.parseDouble("1e-05", "p"));
    assertEquals(5.0, Numbers.parseDouble("5.", "p"));
    for (String bad : new String[] {"0x1p-2", "0.5d", "1f", "NaN", "Infinity", "\u0668", "1e", "e5", ".", "1..2"}) {
      assertThrows(IllegalArgumentException.class, () -> Numbers.parseDouble(bad, "--p"), bad);
    }
    assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble("1e400", "loss")); // a log's overflow: like its inf
    assertThrows(IllegalArgumentException.class, () -> Numbers.parseOption("1e400", "--p"));
    IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> Numbers.parseOption("1e-400", "--p"));
    assertTrue(tiny.getMessage().startsWith("--p is too small for a double"), tiny.getMessage());
    assertEquals(0.0, Numbers.parseOption("0.000e-999", "--p"));
    assertEquals(Double.MIN_VALUE, Numbers.parseOption("4.9e-324", "--p"));
  }

  @Test
  void listsRefuseEmptyItems() {
    assertEquals(List.of(1, 10), Numbers.parseIntList("1,10", "--k"));
    for (String bad : new String[] {"1,", ",1", "1,,2", ""}) {
      assertThrows(IllegalArgumentException.class, () -> Numbers.parseIntList(bad, "--k"), bad);
    }
  }

  @Test
  void jsonIntegersAreExactOrRefused() throws IOException {
    assertEquals(TWO_53_PLUS_1, Numbers.exactLong(json("9007199254740993"), "n"));
    assertEquals(5, Numbers.exactLong(json("5.0"), "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.exactLong(json("18446744073709551621"), "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.exactLong(json("-18446744073709551606"), "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.exactLong(json("9007199254740993.0"), "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.exactLong(json("1e30"), "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.exactLong(json("2.5"), "n"));
    assertThrows(IllegalArgumentException.class, () -> Numbers.exactLong(json("\"5\""), "n"));
  }

  @Test
  void echoedTextHasItsTerminalControlsEscaped() {
    assertEquals("'a\\u001b[31mb\\u202ec'", Numbers.quote("a\u001b[31mb\u202ec"));
    assertEquals("plain", Numbers.escape("plain"));
    assertTrue(Numbers.quote("x".repeat(300)).endsWith("… (100 more characters)'"));
  }

  /** JSON lines, verl console lines and TensorBoard: step 2^53 + 1 stays itself, beside step 2^53. */
  @Test
  void stepsBeyondTwoToThe53KeepTheirExactValueInEveryFormat(@TempDir Path dir) throws IOException {
    String jsonl = "{\"step\": 9007199254740992, \"entropy\": 0.5}\n{\"step\": 9007199254740993, \"entropy\": 0.4}\n";
    assertTwoSteps(TrainingLogs.parse("x.jsonl", jsonl, Map.of(), OptionalInt.empty()));
    String verl = "step:9007199254740992 - actor/entropy:0.5\nstep:9007199254740993 - actor/entropy:0.4\n";
    assertTwoSteps(TrainingLogs.parse("x.log", verl, Map.of(), OptionalInt.empty()));
    Path events = dir.resolve("events.out.tfevents.1.host");
    Files.write(events, concat(record(event(TWO_53_PLUS_1 - 1, 0.5f)), record(event(TWO_53_PLUS_1, 0.4f))));
    assertTwoSteps(TrainingLogs.read(events));
  }

  @Test
  void stepsWithSuffixesOrBeyondALongAreSkippedNamingTheLine() {
    String jsonl = "{\"step\": \"7d\", \"entropy\": 0.5}\n{\"step\": 18446744073709551621, \"entropy\": 0.5}\n"
        + "{\"step\": 9007199254740993.0, \"entropy\": 0.5}\n{\"step\": 8, \"entropy\": 0.4}\n";
    TrainingLog log = TrainingLogs.parse("x.jsonl", jsonl, Map.of(), OptionalInt.empty());
    assertEquals(List.of(TrainingStep.builder(8).entropy(0.4).build()), log.steps());
    assertEquals(List.of(1, 2, 3), log.skipped().stream().map(SkippedLine::line).toList());
    assertEquals("step must be a number, was '7d'", log.skipped().get(0).reason());
    assertTrue(log.skipped().get(1).reason().contains("beyond the integers read exactly"), log.skipped().get(1).reason());
    assertTrue(log.skipped().get(2).reason().contains("must be an integer below 2^53 when written with a point"), log.skipped().get(2).reason());
    assertFalse(log.skipped().get(0).reason().contains("\n"));
  }

  @Test
  void aValueInArabicIndicDigitsIsNotANumber() {
    TrainingLog log = TrainingLogs.parse("x.log", "step:1 - actor/entropy:\u0660.\u0665\nstep:2 - actor/entropy:0.5\n",
        Map.of(), OptionalInt.empty());
    assertEquals(List.of(TrainingStep.builder(2).entropy(0.5).build()), log.steps());
  }

  /**
   * Seeded fuzz with an oracle: random exact steps around 2^53 and up to 2^63 − 1, in JSON lines
   * or verl console lines, with hostile lines among them (steps beyond a long, foreign digits,
   * suffixes): the steps read are exactly the good ones written, and each hostile record is
   * skipped by line number (a verl line whose step is not ASCII digits is no record at all).
   */
  @Test
  void seededFuzzStepsAreReadExactlyAndHostileStepsSkippedByLine() {
    java.util.Random random = new java.util.Random(20261207L);
    String[] hostile = {"18446744073709551621", "-9223372036854775809", "9223372036854775808", "\u0667", "1\uff10",
        "7d", "0x10", "12L"};
    for (int round = 0; round < 60; round++) {
      boolean verl = random.nextBoolean();
      java.util.TreeSet<Long> good = new java.util.TreeSet<>();
      java.util.List<Integer> badLines = new java.util.ArrayList<>();
      StringBuilder text = new StringBuilder();
      int lines = 1 + random.nextInt(12);
      long next = random.nextInt(3) == 0 ? (1L << 53) - 5 + random.nextInt(10) : random.nextLong() >>> 1;
      for (int line = 1; line <= lines; line++) {
        String step;
        if (random.nextInt(4) == 0) {
          step = hostile[random.nextInt(hostile.length)];
          // A verl console line is one only with "step:" and ASCII digits; others are not records.
          if (!verl || step.matches("[0-9]+")) {
            badLines.add(line);
          }
        } else {
          long s = next;
          next = s == Long.MAX_VALUE ? s : s + 1 + random.nextInt(3);
          good.add(s);
          step = Long.toString(s);
        }
        text.append(verl ? "step:" + step + " - actor/entropy:0.5\n" : "{\"step\": " + jsonStep(step) + ", \"entropy\": 0.5}\n");
      }
      if (good.isEmpty()) {
        continue;
      }
      TrainingLog log = TrainingLogs.parse(verl ? "x.log" : "x.jsonl", text.toString(), Map.of(), OptionalInt.empty());
      assertEquals(List.copyOf(good), log.steps().stream().map(TrainingStep::step).toList(), text.toString());
      assertEquals(badLines, log.skipped().stream().map(SkippedLine::line).toList(), text.toString());
    }
  }

  /** A step as a JSON value: digits as a number, anything else as a string. */
  private static String jsonStep(String step) {
    return step.matches("-?[0-9]+") ? step : "\"" + step + "\"";
  }

  private static void assertTwoSteps(TrainingLog log) {
    assertEquals(List.of(TrainingStep.builder(TWO_53_PLUS_1 - 1).entropy(0.5).build(),
        TrainingStep.builder(TWO_53_PLUS_1).entropy(0.4).build()),
        log.steps().stream().map(s -> TrainingStep.builder(s.step()).entropy(s.entropy().getAsDouble()).build()).toList(),
        log.format());
  }

  private static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text);
  }

  /** An Event {step, summary {value {tag "actor/entropy", simple_value}}}. */
  private static byte[] event(long step, float entropy) throws IOException {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    CodedOutputStream v = CodedOutputStream.newInstance(value);
    v.writeString(1, "actor/entropy");
    v.writeFloat(2, entropy);
    v.flush();
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(summary);
    s.writeByteArray(1, value.toByteArray());
    s.flush();
    ByteArrayOutputStream event = new ByteArrayOutputStream();
    CodedOutputStream e = CodedOutputStream.newInstance(event);
    e.writeDouble(1, 1.0);
    e.writeInt64(2, step);
    e.writeByteArray(5, summary.toByteArray());
    e.flush();
    return event.toByteArray();
  }

  /** A TFRecord: length, its masked CRC, the data, its masked CRC. */
  private static byte[] record(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    byte[] length = java.util.Arrays.copyOf(b.array(), 8);
    b.putInt(TensorBoardReader.masked(length, 0, 8));
    b.put(data);
    b.putInt(TensorBoardReader.masked(data, 0, data.length));
    return b.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
