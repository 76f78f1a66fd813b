/**
 * Readers for the logs that GRPO training runs write: Hugging Face TRL {@code trainer_state.json}
 * files, verl console output and metric JSON lines, generic JSON lines and CSV, each read into the
 * API's {@link io.github.rlvrdiagnostics.api.TrainingLog} of normalised steps.
 *
 * <p>{@link io.github.rlvrdiagnostics.logs.TrainingLogs} is the one public entry point: it detects
 * the format, picks the package-private reader for it, maps each trainer's field names onto ours
 * (or the caller's mapping), and reports what it skipped and derived. Of the library's
 * modules this is the only one that parses JSON or CSV, so that the API and core need neither
 * Jackson nor Commons CSV (the command-line tool parses its other inputs, such as samples and ladders, itself).
 */
@NullMarked
package io.github.rlvrdiagnostics.logs;

import org.jspecify.annotations.NullMarked;
