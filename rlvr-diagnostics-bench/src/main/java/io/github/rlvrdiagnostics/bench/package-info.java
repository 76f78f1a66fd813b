/** JMH benchmarks of rlvr-diagnostics; each class's Javadoc gives the command that runs it. */
package io.github.rlvrdiagnostics.bench;
