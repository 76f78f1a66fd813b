package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery with real parts: webhooks received by a JDK HTTP server on 127.0.0.1, the Prometheus
 * endpoint scraped over HTTP, {@code --on-critical} running a real process, exit codes. Every log
 * here is synthetic, written by the test (the shapes of the verdict tests: a collapse, a rising
 * reward, an all-pass saturation).
 */
class DeliveryTest {
  @TempDir Path dir;

  /** A local webhook receiver: the bodies posted to each path, and how many requests to refuse first. */
  private HttpServer server;
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger refuseFirst = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = exchange.getRequestBody().readAllBytes();
      boolean refuse = refuseFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      if (!refuse) {
        bodies.add(new String(body, StandardCharsets.UTF_8));
        paths.add(exchange.getRequestURI().getPath());
      }
      exchange.sendResponseHeaders(refuse ? 503 : 204, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** A run whose reward rises while its entropy lasts, then stays flat after the entropy collapsed at step 60. */
  static String collapseLine(int step, Random r) {
    double reward = Math.min(step, 60) * 0.01 + 0.03 * r.nextGaussian();
    return String.format(Locale.ROOT, "{\"step\": %d, \"reward\": %.4f, \"entropy\": %.3f, \"frac_reward_zero_std\": %.2f}%n",
        step, reward, step < 60 ? 0.9 : 0.05, step < 60 ? 0.2 : 0.8);
  }

  private Path collapse() throws IOException {
    Random r = new Random(11);
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 200; step++) {
      text.append(collapseLine(step, r));
    }
    return Files.writeString(dir.resolve("collapse.jsonl"), text);
  }

  private Path rising() throws IOException {
    Random r = new Random(12);
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 200; step++) {
      text.append(String.format(Locale.ROOT, "{\"step\": %d, \"reward\": %.4f}%n", step, 0.005 * step + 0.03 * r.nextGaussian()));
    }
    return Files.writeString(dir.resolve("rising.jsonl"), text);
  }

  /** Most groups all pass: saturated, a warning and no stop advice. */
  private Path saturated() throws IOException {
    Random r = new Random(13);
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 100; step++) {
      text.append(String.format(Locale.ROOT, "{\"step\": %d, \"reward\": %.4f, \"degenerate_fraction\": 0.75, "
          + "\"all_pass_fraction\": 0.71, \"all_fail_fraction\": 0.04}%n", step, 0.95 + 0.01 * r.nextGaussian()));
    }
    return Files.writeString(dir.resolve("saturated.jsonl"), text);
  }

  private static JsonNode parse(String json) {
    try {
      return Output.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  @Test
  void exitCodeIsZeroThreeOrFourByTheFinalVerdict() throws IOException {
    assertEquals("LEARNING", CliRun.json("monitor", rising().toString()).get("verdict").get("state").asText());
    assertEquals(0, CliRun.of("monitor", rising().toString(), "--exit-code").status());
    JsonNode warning = CliRun.json("monitor", saturated().toString());
    assertEquals("WARNING", warning.get("verdict").get("severity").asText());
    assertTrue(warning.get("stopAdvice").isNull());
    assertEquals(3, CliRun.of("monitor", saturated().toString(), "--exit-code").status());
    assertEquals(4, CliRun.of("monitor", collapse().toString(), "--planned-steps", "400", "--exit-code").status());
    assertEquals(4, CliRun.of("monitor", collapse().toString(), "--planned-steps", "400", "--exit-code", "--json").status());
    // Without the option the status stays 0; bad input stays 2.
    assertEquals(0, CliRun.of("monitor", collapse().toString(), "--planned-steps", "400").status());
    CliRun.assertBadInput("no such file", "monitor", dir.resolve("absent.jsonl").toString(), "--exit-code");
  }

  @Test
  void notifyPostsEveryEventOnceAsTheFollowJsonObject() throws IOException {
    Path log = collapse();
    JsonNode batch = CliRun.json("monitor", log.toString(), "--planned-steps", "400");
    CliRun run = CliRun.of("monitor", log.toString(), "--planned-steps", "400", "--notify", url("/hook"));
    assertEquals(0, run.status(), run.err());
    assertEquals("", run.err());
    int alerts = batch.get("alerts").size();
    int verdicts = batch.get("verdicts").size();
    assertTrue(alerts > 0 && verdicts > 1, batch.toString());
    assertEquals(alerts + verdicts + 1, bodies.size(), "one post per alert, per verdict and for the stop advice: " + bodies);
    List<JsonNode> events = bodies.stream().map(DeliveryTest::parse).toList();
    List<JsonNode> posted = events.stream().filter(e -> e.get("event").asText().equals("alert")).toList();
    assertEquals(alerts, posted.size());
    for (int i = 0; i < alerts; i++) {
      JsonNode expected = batch.get("alerts").get(i);
      for (String key : List.of("step", "kind", "severity", "message", "action")) {
        assertEquals(expected.get(key), posted.get(i).get(key), key);
      }
    }
    List<JsonNode> changes = events.stream().filter(e -> e.get("event").asText().equals("verdict")).toList();
    assertEquals(verdicts, changes.size());
    JsonNode last = changes.get(changes.size() - 1).get("verdict");
    for (String key : List.of("state", "severity", "sinceStep")) {
      assertEquals(batch.get("verdict").get(key), last.get(key), "the last change is the final verdict: " + key);
    }
    List<JsonNode> stops = events.stream().filter(e -> e.get("event").asText().equals("stopAdvice")).toList();
    assertEquals(1, stops.size());
    assertEquals(batch.get("stopAdvice"), stops.get(0).get("stopAdvice"));
    assertEquals("CRITICAL", stops.get(0).get("verdict").get("severity").asText());
  }

  @Test
  void slackAndDiscordGetTheirOwnShape() throws IOException {
    Path log = collapse();
    CliRun slack = CliRun.of("monitor", log.toString(), "--planned-steps", "400", "--notify", url("/slack"),
        "--notify-format", "slack");
    assertEquals(0, slack.status(), slack.err());
    int n = bodies.size();
    assertTrue(n > 2, bodies.toString());
    for (String body : bodies) {
      JsonNode node = parse(body);
      assertEquals(List.of("text"), fieldNames(node), body);
      assertTrue(node.get("text").asText().startsWith("rlvr-diag monitor collapse.jsonl: "), body);
    }
    assertTrue(bodies.stream().anyMatch(b -> parse(b).get("text").asText().contains("STOP ADVICE at step")), bodies.toString());
    CliRun discord = CliRun.of("monitor", log.toString(), "--planned-steps", "400", "--notify", url("/discord"),
        "--notify-format", "DISCORD");
    assertEquals(0, discord.status(), discord.err());
    assertEquals(2 * n, bodies.size());
    for (int i = n; i < bodies.size(); i++) {
      JsonNode node = parse(bodies.get(i));
      assertEquals(List.of("content"), fieldNames(node), bodies.get(i));
      assertTrue(node.get("content").asText().length() <= 2000);
      assertEquals("/discord", paths.get(i));
      // The same events in the same order, only the wrapping differs.
      assertEquals(parse(bodies.get(i - n)).get("text").asText(), node.get("content").asText());
    }
    CliRun.assertBadInput("--notify-format must be generic, slack or discord", "monitor", log.toString(),
        "--notify", url("/x"), "--notify-format", "teams");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void refusedPostsAreRetriedAndEveryEndpointGetsEachEvent() throws IOException {
    Path log = rising();
    refuseFirst.set(2); // the first post is refused twice, then accepted on its third try
    CliRun run = CliRun.of("monitor", log.toString(), "--notify", url("/a"), "--notify", url("/b"));
    assertEquals(0, run.status(), run.err());
    assertEquals("", run.err(), "retries that succeed are silent");
    assertEquals(bodies.size() + 2, requests.get());
    long a = paths.stream().filter("/a"::equals).count();
    assertEquals(a, paths.stream().filter("/b"::equals).count());
    assertTrue(a >= 1);
  }

  @Test
  void aDeadEndpointIsOneWarningWithoutItsAddressAndTheMonitorGoesOn() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    String secret = "http://127.0.0.1:" + port + "/services/T000/B000/SECRETTOKEN";
    CliRun run = CliRun.of("monitor", collapse().toString(), "--planned-steps", "400", "--notify", secret, "--exit-code");
    assertEquals(4, run.status(), run.err());
    assertFalse(run.out().isBlank());
    List<String> warnings = run.err().lines().filter(l -> l.startsWith("warning: webhook")).toList();
    assertEquals(1, warnings.size(), run.err());
    assertTrue(warnings.get(0).contains("--notify #1"), run.err());
    assertFalse(run.err().contains("SECRETTOKEN") || run.err().contains("/services/"), run.err());
    CliRun.assertBadInput("--notify #1 must be an http:// or https:// URL", "monitor", collapse().toString(), "--notify",
        "ftp://example.invalid/SECRETTOKEN");
    assertFalse(CliRun.of("monitor", collapse().toString(), "--notify", "ftp://x/SECRETTOKEN").err().contains("SECRETTOKEN"));
  }

  @Test
  void aBlockedEndpointNeverBlocksTheCallerAndLostEventsAreCounted() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.createContext("/slow", exchange -> {
      try {
        release.await(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    StringWriter err = new StringWriter();
    Notifier notifier = new Notifier(Notifier.endpoints(List.of(url("/slow")), null), Notifier.Format.GENERIC, "x",
        new Notifier.Timing(Duration.ofSeconds(20), 1, Duration.ofMillis(10), 2), new PrintWriter(err, true));
    // The sender holds the first event at the blocked endpoint; the queue takes two more; the rest are dropped.
    for (int i = 0; i < 10; i++) {
      notifier.post(Output.object().put("event", "alert").put("step", i));
    }
    notifier.close(Duration.ofMillis(200));
    release.countDown();
    assertTrue(err.toString().matches("warning: ([7-9]) notifications not sent \\(the queue was full or the webhooks too slow\\)\\R"),
        err.toString());
  }

  @Test
  void environmentAddressesAreNamedByTheVariable() {
    List<Notifier.Endpoint> endpoints = Notifier.endpoints(List.of("http://127.0.0.1:1/a"), " http://127.0.0.1:1/b, https://h/c ");
    assertEquals(List.of("--notify #1", "RLVR_NOTIFY_URL #1", "RLVR_NOTIFY_URL #2"), endpoints.stream().map(Notifier.Endpoint::name).toList());
    assertEquals(URI.create("https://h/c"), endpoints.get(2).uri());
    assertEquals("RLVR_NOTIFY_URL", Notifier.endpoints(List.of(), "http://127.0.0.1:1/a").get(0).name());
    assertTrue(Notifier.endpoints(List.of(), "  ").isEmpty());
  }

  @Test
  void onCriticalRunsOnceWithTheStopAdviceOnItsInput() throws IOException {
    Path out = dir.resolve("stop.json");
    Path log = collapse();
    CliRun run = CliRun.of("monitor", log.toString(), "--planned-steps", "400",
        "--on-critical", "cat >> '" + out + "'; echo stopped");
    assertEquals(0, run.status(), run.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(1, lines.size(), "once: " + lines);
    JsonNode event = parse(lines.get(0));
    assertEquals("stopAdvice", event.get("event").asText());
    assertEquals("COLLAPSED", event.get("stopAdvice").get("state").asText());
    assertTrue(event.get("alerts").size() > 0);
    assertTrue(run.err().contains("on-critical: stopped"), "its output goes to stderr: " + run.err());
    assertFalse(run.out().contains("stopped"));
    // A failing command is reported, never fatal; a run without stop advice runs nothing.
    CliRun failing = CliRun.of("monitor", log.toString(), "--planned-steps", "400", "--on-critical", "exit 7", "--exit-code");
    assertEquals(4, failing.status(), failing.err());
    assertTrue(failing.err().contains("warning: the --on-critical command exited with status 7"), failing.err());
    Path never = dir.resolve("never");
    assertEquals(0, CliRun.of("monitor", rising().toString(), "--on-critical", "touch '" + never + "'").status());
    assertFalse(Files.exists(never));
  }

  @Test
  void rulesFileSetsTheRulesAndNamesTheLineOfAnError() throws IOException {
    Path log = collapse();
    Path rules = Files.writeString(dir.resolve("rules.yaml"), "# stricter rules\nmonitor:\n  hysteresis: 1\n  patience: 20\n"
        + "triage:\n  tau: 0.01\n");
    JsonNode viaFile = CliRun.json("monitor", log.toString(), "--planned-steps", "400", "--rules", rules.toString());
    JsonNode viaOptions = CliRun.json("monitor", log.toString(), "--planned-steps", "400", "--hysteresis", "1", "--tau", "0.01");
    assertEquals(viaOptions.get("verdicts"), viaFile.get("verdicts"));
    assertEquals(viaOptions.get("alerts"), viaFile.get("alerts"));
    assertFalse(viaFile.get("verdicts").equals(CliRun.json("monitor", log.toString(), "--planned-steps", "400").get("verdicts")));
    // The command line wins over the file.
    JsonNode tauGiven = CliRun.json("monitor", log.toString(), "--planned-steps", "400", "--rules", rules.toString(), "--tau", "0.3");
    assertFalse(tauGiven.get("alerts").equals(viaFile.get("alerts")));
    // relativeDropCollapses: an entropy halving above τ makes a flat run COLLAPSED only with the flag on.
    Random r = new Random(13);
    StringBuilder halving = new StringBuilder();
    for (int step = 1; step <= 200; step++) {
      halving.append(String.format(Locale.ROOT, "{\"step\": %d, \"reward\": %.4f, \"entropy\": %.1f, \"frac_reward_zero_std\": 0.7}%n",
          step, 0.4 + 0.03 * r.nextGaussian(), step < 30 ? 2.0 : 0.8));
    }
    Path halved = Files.writeString(dir.resolve("halved.jsonl"), halving);
    Path flag = Files.writeString(dir.resolve("flag.yaml"), "monitor:\n  relativeDropCollapses: true\n");
    assertEquals("PLATEAU", CliRun.json("monitor", halved.toString()).get("verdict").get("state").asText());
    assertEquals("COLLAPSED", CliRun.json("monitor", halved.toString(), "--rules", flag.toString()).get("verdict").get("state")
        .asText());
    assertBadRules("monitor:\n  hysteresis: 1\n  zcritical: 2\n", "line 3: unknown key 'zcritical' in monitor");
    assertBadRules("monitor:\n  zCritical: -1\n", "line 2: monitor.zCritical must be finite and > 0, was -1.0");
    assertBadRules("triage:\n  tau: 0.1\n  checkStep: 1\n  referenceStep: 5\n", "line 4: triage.steps must satisfy");
    assertBadRules("monitor:\n  patience: 2.5\n", "line 2: monitor.patience must be a whole number, was 2.5");
    assertBadRules("monitor:\n  patience: many\n", "line 2: monitor.patience must be a number, was 'many'");
    assertBadRules("monitor:\n  patience: 5\n  patience: 6\n", "line 3: monitor.patience appears twice");
    assertBadRules("limits:\n  tau: 1\n", "line 1: unknown section 'limits'");
    assertBadRules("monitor: {patience: 5\n", "not valid YAML");
    assertBadRules("monitor:\n  patience: [1]\n", "line 2: monitor.patience must be a number, was a list");
    assertBadRules("- 1\n", "line 1: the file must be a mapping");
    assertBadRules("monitor:\n  relativeDropCollapses: 1\n", "line 2: monitor.relativeDropCollapses must be true or false, was '1'");
    assertBadRules("monitor:\n  patience: true\n", "line 2: monitor.patience must be a number, was 'true'");
    assertBadRules("monitor:\n  patience: 5\n  hysteresis: 0\n", "line 3: monitor.confirmSteps must be >= 1");
    assertBadRules("monitor:\n  patience: 5\n---\ntriage:\n  tau: 1\n", "line 4: a second YAML document");
    CliRun.assertBadInput("--rules: " + dir.resolve("none.yaml") + ": no such file", "monitor", log.toString(), "--rules",
        dir.resolve("none.yaml").toString());
  }

  private void assertBadRules(String yaml, String expected) throws IOException {
    Path rules = Files.writeString(dir.resolve("bad.yaml"), yaml);
    CliRun.assertBadInput(expected, "monitor", dir.resolve("collapse.jsonl").toString(), "--rules", rules.toString());
  }

  @Test
  void serveAndStallNeedFollow() throws IOException {
    CliRun.assertBadInput("--serve needs --follow", "monitor", rising().toString(), "--serve", "0");
    CliRun.assertBadInput("--stall-after needs --follow", "monitor", rising().toString(), "--stall-after", "1");
    CliRun.assertBadInput("--serve must be PORT or HOST:PORT", "monitor", rising().toString(), "--follow", "--serve", "x:y");
    CliRun.assertBadInput("--stall-after must be finite and > 0", "monitor", rising().toString(), "--follow", "--stall-after", "0");
    CliRun.assertBadInput("--poll-ms must be >= 10", "monitor", rising().toString(), "--follow", "--serve", "127.0.0.1:0",
        "--poll-ms", "1");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun.assertBadInput("--serve: cannot listen on 127.0.0.1:" + taken.getLocalPort(), "monitor", rising().toString(),
          "--follow", "--serve", "127.0.0.1:" + taken.getLocalPort());
    }
  }

  /** A monitor run on its own thread, whose stdout and stderr can be read while it runs. */
  private static final class Running {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final AtomicInteger status = new AtomicInteger(-1);
    final Thread thread;

    Running(String... args) {
      thread = new Thread(() -> status.set(Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true))));
      thread.start();
    }
  }

  /** Waits for a condition, at most {@code seconds}. */
  private static boolean await(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  private static String scrape(int port) {
    return scrape(port, "*/*");
  }

  /** Content-Type, a new line and the metrics page, as a client asking for {@code accept} gets them ("" while nothing answers). */
  private static String scrape(int port, String accept) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).header("Accept", accept).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      return response.headers().firstValue("Content-Type").orElse("") + "\n" + response.body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * End to end: a writer thread appends a collapsing run line by line, rotating the file once;
   * the follower notifies, serves the gauges, runs the stop command once, reports the stall when
   * the writer stops, and exits 4.
   */
  @Test
  void followNotifiesServesReportsTheStallAndExitsCritical() throws Exception {
    Path log = dir.resolve("train.jsonl");
    Files.writeString(log, "");
    Path stop = dir.resolve("stop.json");
    // --idle-exit leaves room for a loaded machine: the stall is scraped after the writer stops,
    // and a monitor that idled out first would answer nothing.
    Running monitor = new Running("monitor", log.toString(), "--planned-steps", "400", "--follow", "--json",
        "--poll-ms", "50", "--idle-exit", "10", "--serve", "127.0.0.1:0", "--notify", url("/hook"), "--exit-code",
        "--on-critical", "cat >> '" + stop + "'", "--stall-after", "0.02");
    Pattern serving = Pattern.compile("serving Prometheus metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");
    assertTrue(await(() -> serving.matcher(monitor.err.toString()).find(), 20), monitor.err.toString());
    Matcher m = serving.matcher(monitor.err.toString());
    assertTrue(m.find());
    int port = Integer.parseInt(m.group(1));
    Thread writer = new Thread(() -> {
      Random r = new Random(11);
      try {
        for (int step = 1; step <= 200; step++) {
          if (step == 101) { // rotation: the old file moves away and a new one continues the run
            Files.move(log, dir.resolve("train.jsonl.1"), StandardCopyOption.ATOMIC_MOVE);
          }
          Files.writeString(log, collapseLine(step, r), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          Thread.sleep(5);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    writer.join(30_000);
    assertFalse(writer.isAlive());
    String[] metrics = {""};
    assertTrue(await(() -> (metrics[0] = scrape(port)).contains("rlvr_step 200.0"), 20), metrics[0]);
    String text = metrics[0];
    assertTrue(text.startsWith("text/plain"), text);
    assertTrue(text.contains("# TYPE rlvr_entropy gauge"), text);
    // What a Prometheus server asks for by default: OpenMetrics text.
    String open = scrape(port, "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1");
    assertTrue(open.startsWith("application/openmetrics-text") && open.strip().endsWith("# EOF"), open);
    assertTrue(open.contains("rlvr_run_state{state=\"COLLAPSED\"} 1.0"), open);
    assertTrue(text.contains("rlvr_entropy 0.05"), text);
    assertTrue(text.contains("rlvr_run_state{state=\"COLLAPSED\"} 1.0"), text);
    assertTrue(text.contains("rlvr_run_state{state=\"LEARNING\"} 0.0"), text);
    assertTrue(text.contains("rlvr_stop_advice 1.0"), text);
    assertTrue(text.contains("rlvr_degenerate_fraction 0.8"), text);
    assertTrue(text.matches("(?s).*rlvr_alerts_total\\{kind=\"ENTROPY_BELOW_TAU\",severity=\"WARNING\"} [1-9].*"), text);
    assertTrue(await(() -> monitor.err.toString().contains("has not grown for"), 20), monitor.err.toString());
    assertTrue(await(() -> scrape(port).contains("rlvr_log_stalled 1.0"), 20));
    monitor.thread.join(30_000);
    assertFalse(monitor.thread.isAlive());
    assertEquals(4, monitor.status.get(), monitor.err.toString());
    String err = monitor.err.toString();
    assertTrue(err.contains("rotated"), err);
    assertFalse(err.contains("ignored"), "no step lost or repeated across the rotation: " + err);
    // Every event the terminal printed was posted, in order, then the stop advice and the stall.
    List<String> printed = monitor.out.toString().lines().toList();
    List<JsonNode> posted = bodies.stream().map(DeliveryTest::parse).toList();
    List<JsonNode> postedEvents = posted.stream().filter(e -> !e.get("event").asText().matches("stopAdvice|stall")).toList();
    assertEquals(printed.stream().map(DeliveryTest::parse).toList(), postedEvents);
    assertEquals(1, posted.stream().filter(e -> e.get("event").asText().equals("stopAdvice")).count());
    // At least the stall after the writer stopped (a loaded machine may pause the writer long enough for another).
    assertTrue(posted.stream().anyMatch(e -> e.get("event").asText().equals("stall")), bodies.toString());
    assertEquals(1, Files.readAllLines(stop).size());
    assertEquals("stopAdvice", parse(Files.readAllLines(stop).get(0)).get("event").asText());
  }
}
