package io.github.rlvrdiagnostics.logs;

/**
 * The per-line state of a line-oriented read, fed one line at a time: by a whole-file read, or by
 * a follower of a log still being written. Not thread-safe.
 */
interface LineConsumer {
  /** Reads one line (skipping it, with the reason, when it cannot be used). */
  void accept(LineSource.Line line);

  /** Ends the read, adding the closing notes; returns the format the log turned out to be. */
  LogFormat finish();
}
