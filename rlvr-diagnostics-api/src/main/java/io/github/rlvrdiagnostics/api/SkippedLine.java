package io.github.rlvrdiagnostics.api;

/**
 * A line of a log that a reader could not use, and why; nothing else of the log is lost.
 *
 * @param line the 1-based line number
 * @param reason what was wrong with it
 */
public record SkippedLine(int line, String reason) {}
