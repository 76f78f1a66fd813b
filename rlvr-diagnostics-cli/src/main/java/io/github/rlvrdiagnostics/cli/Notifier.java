package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code --notify}: posts each event as JSON to webhooks from one background thread, so that a
 * slow or dead endpoint never holds up the monitor. Events wait in a bounded queue (when it is
 * full, new events are dropped and counted); each post has a timeout and is retried with
 * exponential backoff; an endpoint that fails all its tries gets one warning on stderr and, while
 * it stays down, one try per event. Endpoints are named by their position or by the environment
 * variable they came from, never by their address: a webhook address is a secret.
 */
final class Notifier implements AutoCloseable {
  /** How events are shaped for the receiving service. */
  enum Format {
    /** The event object exactly as {@code monitor --follow --json} prints it. */
    GENERIC,
    /** Slack incoming webhooks: {@code {"text": ...}}. */
    SLACK,
    /** Discord webhooks: {@code {"content": ...}}, at most 2,000 characters. */
    DISCORD
  }

  /** One webhook: where, and the name used in messages. */
  record Endpoint(URI uri, String name) {}

  /** Timeouts and retries; {@link #DEFAULT} for the command line. */
  record Timing(Duration timeout, int tries, Duration firstBackoff, int queueSize) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), 3, Duration.ofMillis(500), 256);
  }

  private static final int DISCORD_LIMIT = 2000;

  private final List<Endpoint> endpoints;
  private final boolean[] down;
  private final Format format;
  private final String source;
  private final Timing timing;
  private final PrintWriter err;
  private final HttpClient client;
  private final BlockingQueue<ObjectNode> queue;
  private final Thread sender;
  private volatile boolean closing;
  private int dropped;

  Notifier(List<Endpoint> endpoints, Format format, String source, Timing timing, PrintWriter err) {
    this.endpoints = List.copyOf(endpoints);
    this.down = new boolean[endpoints.size()];
    this.format = format;
    this.source = source;
    this.timing = timing;
    this.err = err;
    this.client = HttpClient.newBuilder().connectTimeout(timing.timeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
    this.queue = new ArrayBlockingQueue<>(timing.queueSize());
    this.sender = new Thread(this::sendLoop, "rlvr-diag-notify");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /**
   * The endpoints of {@code --notify} and of the environment variable {@code RLVR_NOTIFY_URL}
   * (its value may hold several addresses separated by whitespace or commas); an address that is
   * not http(s) is bad input, named by position only.
   */
  static List<Endpoint> endpoints(List<String> urls, String fromEnvironment) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      out.add(new Endpoint(uri(urls.get(i), "--notify #" + (i + 1)), "--notify #" + (i + 1)));
    }
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      String[] parts = fromEnvironment.trim().split("[\\s,]+");
      for (int i = 0; i < parts.length; i++) {
        String name = parts.length == 1 ? "RLVR_NOTIFY_URL" : "RLVR_NOTIFY_URL #" + (i + 1);
        out.add(new Endpoint(uri(parts[i], name), name));
      }
    }
    return out;
  }

  private static URI uri(String text, String name) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (java.net.URISyntaxException e) {
      throw new InputException(name + " is not a valid URL (the address is not shown: it may hold a secret)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new InputException(name + " must be an http:// or https:// URL with a host (the address is not shown: it may hold a secret)");
    }
    return uri;
  }

  /** Queues an event; never blocks. A full queue drops the event (counted, reported at close). */
  void post(ObjectNode event) {
    if (closing || !queue.offer(event)) {
      synchronized (this) {
        dropped++;
      }
    }
  }

  /** The body for the configured format. */
  String body(ObjectNode event) {
    return switch (format) {
      case GENERIC -> event.toString();
      case SLACK -> Output.object().put("text", Events.text(source, event)).toString();
      case DISCORD -> {
        String text = Events.text(source, event);
        if (text.length() > DISCORD_LIMIT) {
          text = text.substring(0, DISCORD_LIMIT - 1) + "…";
        }
        yield Output.object().put("content", text).toString();
      }
    };
  }

  private void sendLoop() {
    while (true) {
      ObjectNode event;
      try {
        event = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event == null) {
        if (closing) {
          return;
        }
        continue;
      }
      String body = body(event);
      for (int i = 0; i < endpoints.size(); i++) {
        if (!send(i, body)) {
          return; // interrupted
        }
      }
    }
  }

  /** Posts one body to endpoint {@code i} with retries; false only when interrupted. */
  private boolean send(int i, String body) {
    Endpoint endpoint = endpoints.get(i);
    HttpRequest request = HttpRequest.newBuilder(endpoint.uri()).timeout(timing.timeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "rlvr-diag")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    int tries = down[i] ? 1 : timing.tries();
    String failure = "";
    long backoff = timing.firstBackoff().toMillis();
    for (int t = 0; t < tries; t++) {
      if (t > 0) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return false;
        }
        backoff *= 2;
      }
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
          if (down[i]) {
            err.println("note: webhook " + endpoint.name() + " answers again");
            err.flush();
          }
          down[i] = false;
          return true;
        }
        failure = "HTTP status " + code;
        if (code >= 400 && code < 500 && code != 408 && code != 429) {
          break; // the request itself is refused: retrying sends the same refused request
        }
      } catch (InterruptedException e) {
        return false;
      } catch (IOException | RuntimeException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
    }
    if (!down[i]) {
      down[i] = true;
      // The message of a connection failure may quote the host but not the path or query, where tokens live.
      err.printf(Locale.ROOT, "warning: webhook %s failed after %d tr%s (%s): notifications to it are tried once each "
          + "until it answers; the monitor goes on%n", endpoint.name(), tries, tries == 1 ? "y" : "ies", failure);
      err.flush();
    }
    return true;
  }

  /**
   * Stops taking events and lets the sender finish the queue for at most {@code maxWait}; what is
   * left unsent then, or was dropped, is reported in one line.
   */
  void close(Duration maxWait) {
    closing = true;
    try {
      sender.join(maxWait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size();
    if (sender.isAlive()) {
      sender.interrupt();
    }
    int lost;
    synchronized (this) {
      lost = dropped + left;
    }
    if (lost > 0) {
      err.printf(Locale.ROOT, "warning: %d notification%s not sent (the queue was full or the webhooks too slow)%n",
          lost, lost == 1 ? "" : "s");
      err.flush();
    }
  }

  /** {@link #close(Duration)} with room for one event's tries. */
  @Override
  public void close() {
    close(timing.timeout().multipliedBy(timing.tries()).plus(timing.firstBackoff().multipliedBy(1L << timing.tries())));
  }
}
