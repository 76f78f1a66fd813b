/** JMH benchmarks of rlvr-diagnostics; each class's Javadoc gives the command that runs it. */
@NullMarked
package io.github.rlvrdiagnostics.bench;

import org.jspecify.annotations.NullMarked;
