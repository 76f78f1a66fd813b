package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * TRL console output: one Python dict per {@code Trainer.log} call, warnings between. The logs
 * here are synthetic (written for this test in the shape TRL prints), not from a real run.
 */
class TrlConsoleTest {
  private static TrainingLog parse(String text) {
    return TrainingLogs.parse("train.out", text, Map.of(), OptionalInt.empty());
  }

  @Test
  void pythonLiteralsAreReadCarefully() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("loss", "0.01");
    expected.put("it's", "a \"quote\"");
    expected.put("ok", "1");
    expected.put("bad", "0");
    expected.put("none", "None");
    expected.put("h", "nan");
    expected.put("g", "-inf");
    expected.put("t", "tensor(0.5, device='cuda:0')");
    expected.put("e", "-1e-05");
    assertEquals(expected, PythonDict.parse("{'loss': 0.01, \"it's\": 'a \\\"quote\\\"', 'ok': True, 'bad': False,"
        + " 'none': None, 'h': nan, 'g': -inf, 't': tensor(0.5, device='cuda:0'), 'nested': {'a': [1, (2, '}')]},"
        + " 'e': -1e-05,}"));
    assertEquals(Map.of(), PythonDict.parse("{ }"));
    for (String bad : new String[] {"{'a': 1", "{'a' 1}", "{a: 1}", "{'a': 1} x", "{'a': }", "{'a': 'open}"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonDict.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("malformed Python dict: expected "), e.getMessage());
    }
  }

  @Test
  void stepIsPositionTimesLoggingStepsWhenTheDictsHaveNone() {
    TrainingLog log = parse("""
        TrainingArguments(output_dir='out', logging_steps=5, num_generations=8)
        {'loss': 0.01, 'grad_norm': 1.5, 'reward': 0.25, 'reward_std': 0.3, 'frac_reward_zero_std': 0.5, 'entropy': 0.52, 'epoch': 0.1}
        UserWarning: something about caching
          3%|▎         | 5/150 [00:40<19:20,  8.00s/it]
        {'eval_loss': 0.3, 'epoch': 0.1}
        {'loss': 0.02, 'reward': nan, 'entropy': 0.41, 'clip_ratio/low_mean': 0.0, 'clip_ratio/high_mean': 0.25, 'epoch': 0.2}
        {'loss': 0.02, 'entropy': 0.4
        {'train_runtime': 100.0, 'train_loss': 0.02, 'epoch': 0.3}
        {'loss': 0.03, 'entropy': 0.3""");
    assertEquals("trl", log.format());
    assertEquals(List.of(
        TrainingStep.builder(5).entropy(0.52).degenerateFraction(0.5).reward(0.25).rewardStd(0.3).gradNorm(1.5).loss(0.01)
            .build(),
        TrainingStep.builder(10).entropy(0.41).clipFractionLow(0.0).clipFractionHigh(0.25).loss(0.02).nonFiniteValues(1)
            .build()), log.steps());
    assertEquals(List.of(
        new SkippedLine(7, "malformed Python dict: expected more text at column 30"),
        new SkippedLine(9, StepCollector.INCOMPLETE_LAST_LINE)), log.skipped());
    assertEquals(5, log.loggingSteps().getAsLong());
    assertTrue(log.notes().contains("2 TRL console dict(s) without a step key, one numbering for the file: step ="
        + " position x 5, logging_steps = 5 as line 1 states"), log.notes().toString());
    assertTrue(log.notes().contains("1 evaluation dict(s) (eval_*) skipped: the monitor reads training entries only"),
        log.notes().toString());
  }

  @Test
  void aStepKeyWinsAndAnUnknownIntervalIsSaid() {
    TrainingLog keyed = parse("{'loss': 0.1, 'entropy': 0.5, 'step': 40}\n{'loss': 0.1, 'entropy': 0.4, 'step': 80}\n");
    assertEquals(List.of(40L, 80L), keyed.steps().stream().map(TrainingStep::step).toList());
    assertTrue(keyed.notes().contains("2 TRL console dict(s): step read from their step key"), keyed.notes().toString());
    TrainingLog positional = parse("{'loss': 0.1, 'entropy': 0.5}\n{'loss': 0.1, 'entropy': 0.4}\n");
    assertEquals(List.of(1L, 2L), positional.steps().stream().map(TrainingStep::step).toList());
    assertTrue(positional.notes().get(0).endsWith("logging_steps unknown and taken as 1 (so the steps are positions;"
        + " TRL's default logging_steps is 10)"), positional.notes().toString());
  }

  /** The real console output of a TRL GRPO run (logs/SOURCES.md), cut off mid-run. */
  @Test
  void realTrlConsoleRunWithWarningsBetween() {
    TrainingLog log = TrainingLogs.read(TrainingLogsTest.resource("trl_console_qwen25vl3b_aokvqa_run_terminal.md"));
    assertEquals("trl", log.format());
    // Independently (Python's ast.literal_eval over the 18 dict lines): entropy and frac_reward_zero_std.
    double[] entropy = {0.9559141263365746, 0.43631379008293153, 0.38522780127823353, 0.3443282537162304,
        0.24243310503661633, 0.2940333716571331, 0.2825064279139042, 0.18502182252705096, 0.24844736624509095,
        0.11085367146879435, 0.1013243121560663, 0.1090893654152751, 0.048120107222348454, 0.07852505892515182,
        0.07291387850418687, 0.06559544773772359, 0.08052601180970669, 0.0651843729079701};
    double[] zeroStd = {0.4, 1.0, 0.7, 0.7, 1.0, 0.8, 0.7, 1.0, 0.9, 1.0, 0.8, 0.7, 1.0, 0.9, 0.9, 0.9, 0.9, 0.8};
    assertEquals(18, log.steps().size());
    for (int i = 0; i < 18; i++) {
      TrainingStep s = log.steps().get(i);
      // The progress bar before each dict shows steps 10, 20, ..., 180 (logging every 10 steps).
      assertEquals(10L * (i + 1), s.step());
      assertEquals(entropy[i], s.entropy().getAsDouble());
      assertEquals(zeroStd[i], s.degenerateFraction().getAsDouble());
    }
    assertEquals(1.75, log.steps().get(0).reward().getAsDouble());
    assertTrue(log.skipped().isEmpty(), log.skipped().toString());
    assertTrue(log.notes().contains("18 TRL console dict(s) without a step key, one numbering for the file: step ="
        + " position x 10, logging interval 10 from the progress bar before the first dict (line 45)"), log.notes().toString());
  }

  /**
   * Written by us in the format of a clean TRL console log with logging_steps = 1: tqdm redraws its
   * bar at most every 0.1 s and a bar may be left over from a step before or drawn for the next,
   * so the count printed before a dict is often another step's. Every dict is numbered by the one
   * scheme for the file; no step appears twice (mixing bar counts and positions put values on the
   * wrong steps).
   */
  @Test
  void aCleanConsoleLogWithLaggingBarsNumbersEveryStepOnce() {
    StringBuilder text = new StringBuilder("TrainingArguments(logging_steps=1, output_dir='out')\n");
    java.util.Random r = new java.util.Random(7);
    for (int step = 1; step <= 2400; step++) {
      if (r.nextInt(10) == 0) {
        int shown = Math.max(0, step - 2 + r.nextInt(5)); // a bar behind or ahead of its step
        text.append(String.format(java.util.Locale.ROOT, " %3d%%|#   | %d/2400 [00:10<00:20,  1.00it/s]", shown * 100 / 2400, shown));
      }
      text.append(String.format(java.util.Locale.ROOT, "{'loss': 0.01, 'entropy': %.4f, 'epoch': %.3f}%n",
          1.0 - step / 4800.0, step / 2400.0));
    }
    TrainingLog log = parse(text.toString());
    assertEquals(2400, log.steps().size());
    for (int i = 0; i < 2400; i++) {
      assertEquals(i + 1, log.steps().get(i).step());
      assertEquals(1.0 - (i + 1) / 4800.0, log.steps().get(i).entropy().getAsDouble(), 1e-4);
    }
    assertTrue(log.notes().stream().noneMatch(n -> n.contains("more than once")), log.notes().toString());
  }
}
