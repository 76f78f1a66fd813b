package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * An {@link OutOfMemoryError} in a command becomes one line on stderr and exit status 2, never a
 * stack trace. A command that throws it stands in for input too large for the heap.
 */
class OutOfMemoryTest {

  @Command(name = "oom")
  static final class Exhausting implements Runnable {
    @Override
    public void run() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void outOfMemoryIsOneLineAndStatusTwo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter errWriter = new PrintWriter(err);
    int status = Main.execute(Main.commandLine(new PrintWriter(out), errWriter, List.of(new Exhausting())),
        new String[] {"oom"}, new PrintWriter(out), errWriter);
    assertEquals(2, status, err.toString());
    String line = err.toString().strip();
    // picocli lets an Error escape execute(), so the prefix is the top-level command.
    assertTrue(line.startsWith("rlvr-diag: out of memory: Java heap space; "), line);
    assertTrue(!line.contains("\n") && !line.contains("\tat "), line);
    assertEquals("", out.toString());
  }
}
