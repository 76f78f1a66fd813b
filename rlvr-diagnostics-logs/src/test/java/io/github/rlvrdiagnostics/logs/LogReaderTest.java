package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** {@link LogReader#detect}: which reader a log gets. */
class LogReaderTest {
  @Test
  void aJsonObjectWithALogHistoryIsATrlStateWhateverItsName() {
    assertInstanceOf(TrlStateReader.class, LogReader.detect("trainer_state.json", "{\"global_step\": 1, \"log_history\": []}"));
    assertInstanceOf(TrlStateReader.class, LogReader.detect("state.csv", "{\"log_history\": []}"));
  }

  @Test
  void aCsvNameInAnyCaseIsCsv() {
    assertInstanceOf(CsvReader.class, LogReader.detect("run.CSV", "step,entropy\n1,0.5"));
  }

  @Test
  void anythingElseIsReadLineByLine() {
    assertInstanceOf(LineLogReader.class, LogReader.detect("metrics.json", "{\"step\": 1, \"entropy\": 0.5}\n{\"step\": 2, \"entropy\": 0.4}"));
    assertInstanceOf(LineLogReader.class, LogReader.detect("state.json", "[{\"log_history\": []}]"));
    assertInstanceOf(LineLogReader.class, LogReader.detect("train.log", "step:1 - actor/entropy:0.5"));
  }
}
