package io.github.rlvrdiagnostics.cli;

/**
 * Bad user input found by the command line itself (a file that cannot be read or parsed, an
 * option out of range); its message is the one line printed before exiting with status 2.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
