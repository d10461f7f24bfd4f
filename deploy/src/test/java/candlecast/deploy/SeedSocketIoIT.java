package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history provider's Socket.IO events on the single-node stack (embedded Kafka with a seeded
 * trade log, mock feed, aggregator, gateway): the Java {@code socket.io-client} on each transport,
 * and a Python client written to the provider's guide (Debian's {@code python3-socketio}), get the
 * bars {@code GET /api/candles} answers for the same range, and the batch events in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedSocketIoIT {
  private static final Logger LOG = LoggerFactory.getLogger(SeedSocketIoIT.class);
  private static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD");
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long HOUR = 3_600_000L;

  @TempDir static Path tmp;
  private SingleNode node;
  private String base;
  private long from;
  private long to;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void startStack() throws Exception {
    Path data = tmp.resolve("data");
    StackFixture.seedHistory(data, 2, SYMBOLS, Duration.ofHours(8), 0.2, Duration.ofMinutes(5), 2);
    CandlecastConfig cfg =
        StackFixture.config(data)
            .with(Settings.FEED_SYMBOLS, SYMBOLS)
            .with(Settings.FEED_RATE, 2.0);
    node = SingleNode.start(cfg).await(120, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + node.httpPort();
    // closed hours only: the open one changes while the feed runs
    to = (System.currentTimeMillis() / HOUR - 1) * HOUR;
    from = to - 4 * HOUR;
    for (String s : SYMBOLS) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> rest(s, 10).size() == 5);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** The oracle: {@code GET /api/candles} for the same hours. */
  private JsonArray rest(String symbol, int limit) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/candles?symbol="
                            + symbol
                            + "&tf=1h&limit="
                            + limit
                            + "&from="
                            + from
                            + "&to="
                            + to))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? new JsonArray(r.body()) : new JsonArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket"})
  void javaClientGetsTheRestBarsAndTheBatchEvents(String transport) throws Exception {
    IO.Options o = new IO.Options();
    o.transports = new String[] {transport};
    o.reconnection = false;
    o.forceNew = true;
    Socket s = IO.socket(URI.create(base), o);
    List<String> names = new CopyOnWriteArrayList<>();
    List<JsonObject> bodies = new CopyOnWriteArrayList<>();
    for (String e :
        List.of(
            "connection_response",
            "data_response",
            "data_error",
            "batch_progress",
            "batch_response",
            "batch_error")) {
      s.on(
          e,
          args -> {
            bodies.add(new JsonObject(args[0].toString()));
            names.add(e);
          });
    }
    s.connect();
    try {
      await().atMost(Duration.ofSeconds(15)).until(() -> names.contains("connection_response"));
      s.emit("get_data", new JSONObject(request("BTC-USD").encode()));
      await().atMost(Duration.ofSeconds(15)).until(() -> names.contains("data_response"));
      assertBars(bodies.get(names.indexOf("data_response")), rest("BTCUSD", 5));
      JSONObject batch = new JSONObject(request("x").encode());
      batch.remove("ticker");
      batch.put("tickers", new JSONArray(List.of("BTC-USD", "ETHUSD", "NOPE")));
      s.emit("get_batch_data", batch);
      await().atMost(Duration.ofSeconds(15)).until(() -> names.contains("batch_response"));
      assertThat(names)
          .containsExactly(
              "connection_response",
              "data_response",
              "batch_progress",
              "batch_progress",
              "batch_progress",
              "batch_response");
      List<String> progress = new ArrayList<>();
      for (int i = 2; i < 5; i++) {
        progress.add(bodies.get(i).getString("ticker") + " " + bodies.get(i).getString("progress"));
      }
      assertThat(progress).containsExactly("BTC-USD 1/3", "ETHUSD 2/3", "NOPE 3/3");
      JsonObject done = bodies.get(5);
      assertBars(done.getJsonObject("results").getJsonObject("ETHUSD"), rest("ETHUSD", 5));
      assertBars(done.getJsonObject("results").getJsonObject("BTC-USD"), rest("BTCUSD", 5));
      assertThat(done.getJsonObject("errors").getString("NOPE")).isEqualTo("unknown symbol NOPE");
    } finally {
      s.disconnect();
      s.close();
    }
  }

  private JsonObject request(String ticker) {
    return new JsonObject()
        .put("ticker", ticker)
        .put("resolution", "HOUR_01")
        .put("period", "DAY_05")
        .put("time_start", Instant.ofEpochMilli(from).toString())
        .put("time_end", Instant.ofEpochMilli(to).toString())
        .put("limit", 5)
        .put("local_only", true);
  }

  /**
   * The newest bars up to now: the closed ones are REST's candles for the same hours; the last one
   * is the same (open) hour.
   */
  private void assertNewestBars(JsonObject answer, String symbol) throws Exception {
    JsonArray data = answer.getJsonArray("data");
    assertThat(data).hasSize(5);
    long last = Instant.parse(data.getJsonObject(4).getString("Date")).toEpochMilli();
    assertThat(last).isGreaterThan(to);
    JsonObject closed = answer.copy();
    closed.put("data", new JsonArray(data.getList().subList(0, 4))).put("rows", 4);
    closed.put("end_date", data.getJsonObject(3).getString("Date"));
    long savedFrom = from;
    long savedTo = to;
    try {
      from = last - 4 * HOUR;
      to = last - HOUR;
      assertBars(closed, rest(symbol, 4), 4);
    } finally {
      from = savedFrom;
      to = savedTo;
    }
  }

  private static void assertBars(JsonObject answer, JsonArray candles) {
    assertBars(answer, candles, 5);
  }

  /** The bars are the REST candles: open times, OHLC and volume, rows and dates. */
  private static void assertBars(JsonObject answer, JsonArray candles, int n) {
    JsonArray data = answer.getJsonArray("data");
    assertThat(candles).hasSize(n);
    assertThat(answer.getInteger("rows")).isEqualTo(data.size()).isEqualTo(candles.size());
    for (int i = 0; i < candles.size(); i++) {
      JsonObject c = candles.getJsonObject(i);
      JsonObject b = data.getJsonObject(i);
      assertThat(Instant.parse(b.getString("Date")).toEpochMilli()).isEqualTo(c.getLong("t"));
      assertThat(List.of(b.getDouble("Open"), b.getDouble("High"), b.getDouble("Low")))
          .containsExactly(c.getDouble("o"), c.getDouble("h"), c.getDouble("l"));
      assertThat(List.of(b.getDouble("Close"), b.getDouble("Volume")))
          .containsExactly(c.getDouble("c"), c.getDouble("v"));
    }
    assertThat(Instant.parse(answer.getString("start_date")).toEpochMilli())
        .isEqualTo(candles.getJsonObject(0).getLong("t"));
    assertThat(Instant.parse(answer.getString("end_date")).toEpochMilli())
        .isEqualTo(candles.getJsonObject(candles.size() - 1).getLong("t"));
  }

  @org.junit.jupiter.api.Test
  void pythonSocketIoClientWrittenToTheGuideGetsDataAndBatchEvents() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import socketio")) == 0,
        "Debian's python3-socketio is not installed for /usr/bin/python3 (apt-get install -y"
            + " python3-socketio python3-websocket python3-requests; .ci/run installs them)");
    Path script = Path.of("src/test/python/seed_history_client.py").toAbsolutePath();
    Path out = tmp.resolve("python-out.json");
    ProcessBuilder pb =
        new ProcessBuilder(
                PYTHON.toString(),
                script.toString(),
                base,
                "BTC-USD",
                "HOUR_01",
                "DAY_05",
                Instant.ofEpochMilli(from).toString(),
                Instant.ofEpochMilli(to).toString(),
                "5",
                "ETH-USD,BTCUSD")
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the Python client finishes").isTrue();
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(printed).isZero();
    JsonObject r = new JsonObject(printed);
    LOG.info(
        "python client ({} transport): {}",
        r.getString("transport"),
        printed.length() > 300 ? printed.substring(0, 300) : printed);
    assertThat(r.getJsonObject("connection_response").getString("status")).isEqualTo("connected");
    assertThat(r.getJsonArray("events").getList())
        .containsExactly(
            "connection_response",
            "data_response",
            "data_error",
            "batch_progress",
            "batch_progress",
            "batch_response");
    assertBars(r.getJsonObject("data_response"), rest("BTCUSD", 5));
    assertThat(r.getJsonObject("data_error_for_bad_ticker").getString("error"))
        .contains("invalid ticker 'NOT_A-TICKER'");
    assertThat(r.getJsonObject("frame").getInteger("rows")).isEqualTo(5);
    JsonArray progress = r.getJsonArray("batch_progress");
    assertThat(progress.getJsonObject(0).getString("progress")).isEqualTo("1/2");
    assertThat(progress.getJsonObject(1).getString("ticker")).isEqualTo("BTCUSD");
    JsonObject batch = r.getJsonObject("batch_answer");
    assertThat(batch.getString("event")).isEqualTo("batch_response");
    JsonObject results = batch.getJsonObject("data").getJsonObject("results");
    // the batch form has no dates (the guide's get_batch_data_socket): the newest bar is the open
    // hour, which the live feed keeps changing; the closed ones must equal REST's
    assertNewestBars(results.getJsonObject("ETH-USD"), "ETHUSD");
    assertNewestBars(results.getJsonObject("BTCUSD"), "BTCUSD");
  }

  private static int run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
