package io.github.rlvrdiagnostics.api;

/**
 * One warning of a training monitor.
 *
 * @param step the training step it was raised at
 * @param kind what it warns about
 * @param message one human-readable line with the numbers behind it
 */
public record Alert(long step, AlertKind kind, String message) {}
