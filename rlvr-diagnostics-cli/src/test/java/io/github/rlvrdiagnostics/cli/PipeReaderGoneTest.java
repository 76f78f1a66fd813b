package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rlvr-diag … | head -1} in a real shell: once {@code head} has its line and goes, the
 * command ends quietly with status 141, as a Unix tool ended by SIGPIPE; a stream that fails
 * otherwise still gets its one line and status 1 ({@link OutputFailureTest}).
 */
class PipeReaderGoneTest {
  @TempDir Path dir;

  @Test
  void aPipeWhoseReaderWentAwayEndsQuietly() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.isExecutable(Path.of("/bin/bash")),
        "needs Linux's /proc and bash");
    // 20,000 rows: far more output than a pipe holds, so the writer is still writing when head goes.
    StringBuilder logits = new StringBuilder("[");
    for (int row = 0; row < 20_000; row++) {
      logits.append(row == 0 ? "" : ",").append("[").append(row % 7).append(".0, 0.5, -1.0]");
    }
    Path input = dir.resolve("logits.json");
    Files.writeString(input, logits.append("]"));
    Path err = dir.resolve("err.txt");
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder shell = new ProcessBuilder("/bin/bash", "-c",
        "\"$JAVA\" -cp \"$CP\" io.github.rlvrdiagnostics.cli.Main entropy --logits \"$IN\" 2> \"$ERR\" | head -1; "
            + "echo \"status ${PIPESTATUS[0]}\"");
    shell.environment().put("JAVA", java);
    shell.environment().put("CP", System.getProperty("java.class.path"));
    shell.environment().put("IN", input.toString());
    shell.environment().put("ERR", err.toString());
    // The JVM announces these on stderr; they are the environment's, not the command's.
    shell.environment().remove("JAVA_TOOL_OPTIONS");
    shell.environment().remove("_JAVA_OPTIONS");
    shell.redirectErrorStream(true);
    Process process = shell.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the pipeline did not end");
    List<String> lines = out.lines().toList();
    assertEquals(2, lines.size(), out);
    assertTrue(lines.get(0).matches("row +entropy \\(nats\\)"), out); // the table's header, head's one line
    assertEquals("status " + Main.READER_GONE, lines.get(1), out);
    assertEquals("", Files.readString(err), "stderr of the command");
  }
}
