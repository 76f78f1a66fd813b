package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * The monitor's events as JSON objects and as one line of text: what {@code --follow --json}
 * prints, what {@code --notify} posts and what {@code --on-critical} reads. One home, so that a
 * webhook receives exactly the object the terminal shows.
 */
final class Events {
  private Events() {}

  /** {@code {"event":"alert", step, kind, severity, message, action}}. */
  static ObjectNode alert(Alert alert) {
    ObjectNode node = Output.object();
    node.put("event", "alert");
    Reports.putAlert(node, alert);
    return node;
  }

  /** {@code {"event":"verdict", step, verdict:{state, severity, sinceStep, evidence, action}}}. */
  static ObjectNode verdict(Verdict verdict) {
    ObjectNode node = Output.object();
    node.put("event", "verdict");
    node.put("step", verdict.toStep());
    node.set("verdict", Reports.verdictJson(verdict, true));
    return node;
  }

  /**
   * {@code {"event":"stopAdvice", step, stopAdvice:{...}, verdict:{...}, alerts:[...]}}: the
   * advice, the critical verdict that gave it and the alerts raised so far.
   */
  static ObjectNode stopAdvice(StopAdvice advice, Verdict verdict, List<Alert> alerts) {
    ObjectNode node = Output.object();
    node.put("event", "stopAdvice");
    node.put("step", advice.step());
    node.set("stopAdvice", stopAdviceJson(advice));
    node.set("verdict", Reports.verdictJson(verdict, true));
    ArrayNode array = node.putArray("alerts");
    alerts.forEach(a -> array.add(alert(a).without("event")));
    return node;
  }

  /** The stop advice's fields, as in {@code monitor --json}. */
  static ObjectNode stopAdviceJson(StopAdvice advice) {
    ObjectNode o = Output.object();
    o.put("step", advice.step());
    o.put("state", advice.state().name());
    o.put("computeSaved", advice.computeSaved());
    o.put("reason", advice.reason());
    return o;
  }

  /** {@code {"event":"stall", severity:"WARNING", minutes, lastStep, message, action}}: the log stopped growing. */
  static ObjectNode stall(double minutes, long lastStep, String message) {
    ObjectNode node = Output.object();
    node.put("event", "stall");
    node.put("severity", "WARNING");
    node.put("minutes", minutes);
    node.put("lastStep", lastStep);
    node.put("message", message);
    node.put("action", "check that the trainer is alive (a hang, a crash or a full disk stops the log)");
    return node;
  }

  /** One line of text for a chat message: what happened, at which step, and what to do. */
  static String text(String source, ObjectNode event) {
    String kind = event.path("event").asText();
    StringBuilder line = new StringBuilder("rlvr-diag monitor ").append(source).append(": ");
    switch (kind) {
      case "alert" -> line.append(String.format(Locale.ROOT, "step %d %s %s: %s. What to do: %s",
          event.path("step").asLong(), event.path("severity").asText(), event.path("kind").asText(),
          event.path("message").asText(), event.path("action").asText()));
      case "verdict" -> {
        ObjectNode v = (ObjectNode) event.path("verdict");
        line.append(String.format(Locale.ROOT, "step %d verdict %s (%s): %s", event.path("step").asLong(),
            v.path("state").asText(), v.path("severity").asText(), v.path("evidence").asText()));
        if (!v.path("action").asText().isEmpty()) {
          line.append(". What to do: ").append(v.path("action").asText());
        }
      }
      case "stopAdvice" -> line.append(String.format(Locale.ROOT, "STOP ADVICE at step %d (%s): %s",
          event.path("step").asLong(), event.path("stopAdvice").path("state").asText(),
          event.path("stopAdvice").path("reason").asText()));
      default -> line.append(event.path("severity").asText("WARNING")).append(": ").append(event.path("message").asText())
          .append(". What to do: ").append(event.path("action").asText());
    }
    return line.toString();
  }
}
