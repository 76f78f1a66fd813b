/**
 * DJL adapter of rlvr-diagnostics: the only module that sees DJL types.
 *
 * <p>Its contents (the {@code NDArray} entropy probes and the reference GRPO loop) are the subject
 * of issue 4 and are not built yet; the module exists so that the layout and the artifact
 * coordinates are fixed from the first release.
 */
@NullMarked
package io.github.rlvrdiagnostics.djl;

import org.jspecify.annotations.NullMarked;
