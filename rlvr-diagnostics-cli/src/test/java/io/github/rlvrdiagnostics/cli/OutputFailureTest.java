package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Standard output that cannot be written (a full disk, {@code /dev/full}, a closed pipe) is an
 * error, never a silent exit 0 with nothing written.
 */
class OutputFailureTest {

  /** A stream like stdout at /dev/full: every write fails. */
  private static final class FullDevice extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }
  }

  private static String golden() {
    try {
      return Path.of(OutputFailureTest.class.getResource("/ladders/rank_inversion_golden.json").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static String logits() {
    try {
      Path file = Files.createTempFile("logits", ".json");
      file.toFile().deleteOnExit();
      return Files.writeString(file, "[[1, 2, 3], [0, 0, -Infinity]]").toString();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The real entry point, in its own JVM, with stdout at /dev/full: exit 1, one line on stderr. */
  @Test
  void mainWithStdoutAtDevFullExitsOne() throws IOException, InterruptedException {
    File full = new File("/dev/full");
    assumeTrue(full.exists(), "no /dev/full on this system");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "threshold", "-g", "8")
        .redirectOutput(full).redirectError(ProcessBuilder.Redirect.PIPE).start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not finish");
    assertEquals(1, process.exitValue(), err);
    assertTrue(err.endsWith("cannot write to standard output (disk full or stream closed)") && !err.contains("\n"), err);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "threshold -g 8", "threshold -g 8 --json", "group --p 0.3 -g 8", "passk --n 10 --c 3 --k 1",
      "passk --n 10 --c 3 --k 1 --json", "triage --ladder GOLDEN", "triage --ladder GOLDEN --json",
      "entropy --logits LOGITS", "entropy --logits LOGITS --json", "--help", "--version", "threshold --help"})
  void unwritableStdoutIsAnError(String line) {
    String[] args = line.replace("GOLDEN", golden()).replace("LOGITS", logits()).split(" ");
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(new FullDevice(), StandardCharsets.UTF_8));
    int status = Main.run(args, out, new PrintWriter(err));
    assertEquals(1, status, "stderr: " + err);
    String message = err.toString().strip();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.contains("cannot write to standard output"), message);
  }
}
