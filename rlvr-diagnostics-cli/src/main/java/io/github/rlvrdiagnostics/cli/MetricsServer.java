package io.github.rlvrdiagnostics.cli;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.RunState;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.Verdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * {@code --serve}: the monitor's latest readings as Prometheus metrics on {@code /metrics}, with the
 * official Prometheus Java client, for a Grafana panel. The gauges of a reading keep the latest
 * value the log gave (a step without an entropy reading leaves {@code rlvr_entropy} as it was);
 * the run state is one 0/1 gauge per state, so that a panel shows the state as a band.
 */
final class MetricsServer implements AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HTTPServer server;
  private final Gauge step = gauge("rlvr_step", "The latest logged training step.");
  private final Gauge entropy = gauge("rlvr_entropy", "The latest logged policy entropy (nats per token).");
  private final Gauge reward = gauge("rlvr_reward", "The latest logged mean reward.");
  private final Gauge degenerate = gauge("rlvr_degenerate_fraction",
      "The latest logged fraction of degenerate groups (all-pass or all-fail; no learning signal).");
  private final Gauge allPass = gauge("rlvr_all_pass_fraction", "The latest logged fraction of all-pass groups.");
  private final Gauge allFail = gauge("rlvr_all_fail_fraction", "The latest logged fraction of all-fail groups.");
  private final Gauge state = Gauge.builder().name("rlvr_run_state")
      .help("1 for the current verdict's run state, 0 for the others.").labelNames("state").register(registry);
  private final Gauge severity = gauge("rlvr_verdict_severity", "The current verdict's severity: 0 info, 1 warning, 2 critical.");
  private final Gauge stopAdvised = gauge("rlvr_stop_advice", "1 once the monitor has advised stopping the run, else 0.");
  private final Gauge stalled = gauge("rlvr_log_stalled", "1 while the log has stopped growing for --stall-after minutes, else 0.");
  private final Counter alerts = Counter.builder().name("rlvr_alerts")
      .help("Alert episodes opened, by kind and severity.").labelNames("kind", "severity").register(registry);

  /**
   * Starts serving on {@code host:port} ({@code host} null: every interface; port 0: any free one).
   *
   * @throws InputException when the port cannot be bound
   */
  MetricsServer(String host, int port) {
    for (RunState s : RunState.values()) {
      state.labelValues(s.name()).set(0);
    }
    stopAdvised.set(0);
    stalled.set(0);
    try {
      HTTPServer.Builder builder = HTTPServer.builder().port(port).registry(registry);
      if (host != null) {
        builder.hostname(host);
      }
      server = builder.buildAndStart();
    } catch (IOException | RuntimeException e) {
      throw new InputException("--serve: cannot listen on " + (host == null ? "" : host + ":") + port + ": " + e.getMessage());
    }
  }

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }

  /** The port served (the one chosen when 0 was asked). */
  int port() {
    return server.getPort();
  }

  /** Records a step's readings. */
  void step(TrainingStep s) {
    step.set(s.step());
    set(entropy, s.entropy());
    set(reward, s.reward());
    set(degenerate, s.degenerateFraction());
    set(allPass, s.allPassFraction());
    set(allFail, s.allFailFraction());
  }

  private static void set(Gauge gauge, OptionalDouble value) {
    if (value.isPresent()) {
      gauge.set(value.getAsDouble());
    }
  }

  /** Records a new verdict. */
  void verdict(Verdict v) {
    for (RunState s : RunState.values()) {
      state.labelValues(s.name()).set(s == v.state() ? 1 : 0);
    }
    severity.set(v.severity() == Severity.CRITICAL ? 2 : v.severity() == Severity.WARNING ? 1 : 0);
  }

  /** Counts an alert episode. */
  void alert(Alert a) {
    alerts.labelValues(a.kind().name(), a.severity().name()).inc();
  }

  /** Records that stop advice was given. */
  void stopAdvice() {
    stopAdvised.set(1);
  }

  /** Records whether the log is stalled. */
  void stalled(boolean now) {
    stalled.set(now ? 1 : 0);
  }

  @Override
  public void close() {
    server.close();
  }
}
