package io.github.rlvrdiagnostics.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether the reader at the other end of standard output has gone, as {@code head -1} goes after
 * its first line. A write to such a pipe fails, but {@code monitor --follow} may have nothing more
 * to write for hours, and Java cannot poll a stream for a hung-up peer. On Linux the answer is in
 * {@code /proc}: standard output is {@code pipe:[N]}, and the reader is gone when no other process
 * holds that pipe open for reading. Anywhere else (no {@code /proc}, not a pipe, a process we may
 * not look into) the reader is taken to be there. Stateless.
 */
final class StdoutReader {
  private StdoutReader() {}

  /** Whether standard output is a pipe that no process reads any more. */
  static boolean gone() {
    String pipe;
    try {
      pipe = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
    if (!pipe.startsWith("pipe:")) {
      return false;
    }
    String self = Long.toString(ProcessHandle.current().pid());
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
        p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path process : processes) {
        if (!process.getFileName().toString().equals(self) && readsPipe(process, pipe)) {
          return false;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return true;
  }

  /** Whether a process holds the pipe open for reading (its fd's access mode O_RDONLY, or O_RDWR). */
  private static boolean readsPipe(Path process, String pipe) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals(pipe) && !writeOnly(process, fd.getFileName().toString())) {
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile: not a holder
        }
      }
    } catch (IOException | RuntimeException e) {
      // another user's process, or gone: not looked into
    }
    return false;
  }

  /** Whether {@code /proc/PID/fdinfo/FD} says the descriptor is write-only (flags & O_ACCMODE == O_WRONLY). */
  private static boolean writeOnly(Path process, String fd) throws IOException {
    List<String> info = Files.readAllLines(process.resolve("fdinfo").resolve(fd), StandardCharsets.US_ASCII);
    for (String line : info) {
      if (line.startsWith("flags:")) {
        return (Integer.parseInt(line.substring("flags:".length()).strip(), 8) & 3) == 1;
      }
    }
    return false;
  }
}
