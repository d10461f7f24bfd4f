package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Topics;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the exactly-once alert scenarios share ({@link AlertExactlyOnceIT}, {@link
 * AlertTakeoverIT}): creating a ladder of trade-driven alerts over REST, reading {@code
 * alerts.fires}, and checking the recorded fires against {@link TradeAlertOracle}.
 */
final class AlertChecks {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AlertChecks() {}

  static HttpResponse<String> rest(
      int port, String owner, String method, String uri, JsonObject body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
            .timeout(Duration.ofSeconds(20))
            .header("X-Candlecast-Owner", owner);
    b =
        body == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The symbol's last price from the gateway's ticker (null until it has one). */
  static Double last(int port, String symbol) throws Exception {
    HttpResponse<String> r = rest(port, "x", "GET", "/api/ticker?symbol=" + symbol, null);
    return r.statusCode() == 200 ? new JsonObject(r.body()).getDouble("last") : null;
  }

  private static void create(
      int port, String owner, String symbol, JsonObject condition, String mode, long cooldownMs)
      throws Exception {
    JsonObject def =
        new JsonObject()
            .put("symbol", symbol)
            .put("condition", condition)
            .put("mode", mode)
            .put("cooldownMs", cooldownMs);
    HttpResponse<String> r = rest(port, owner, "POST", "/api/alerts", def);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /**
   * The ladder: levels on both sides of the price, once and rearm (300 ms cool-down), and moves
   * both ways (rearm and once).
   */
  static void createLadder(int port, String owner, String symbol, double last) throws Exception {
    for (double step : new double[] {2e-5, 1e-4, 4e-4, 1.5e-3}) {
      for (String mode : List.of("once", "rearm")) {
        create(port, owner, symbol, level("price_above", last * (1 + step)), mode, 300);
        create(port, owner, symbol, level("price_below", last * (1 - step)), mode, 300);
      }
    }
    for (double pct : new double[] {0.01, 0.03}) {
      for (String kind : List.of("move_up", "move_down")) {
        JsonObject c = new JsonObject().put("kind", kind).put("pct", pct).put("window", "5s");
        create(port, owner, symbol, c, "rearm", 500);
      }
    }
    JsonObject once = new JsonObject().put("kind", "move_up").put("pct", 0.02).put("window", 3000);
    create(port, owner, symbol, once, "once", 0);
  }

  private static JsonObject level(String kind, double level) {
    return new JsonObject().put("kind", kind).put("level", level);
  }

  /** Every record of {@code alerts.fires}, in log order per partition. */
  static List<JsonObject> recordedFires(String bootstrap) {
    List<JsonObject> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.ALERT_FIRES)) {
      JsonObject f = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      assertThat(f.getString("fire")).as("the record's key is its fire id").isEqualTo(r.key());
      out.add(f);
    }
    return out;
  }

  static List<String> fireIds(String bootstrap) {
    return recordedFires(bootstrap).stream().map(f -> f.getString("fire")).toList();
  }

  static TradeAlertOracle trades(String bootstrap) {
    return new TradeAlertOracle(StackFixture.readAll(bootstrap, Topics.TRADES));
  }

  /** The oracle's fires of every alert in {@code alerts} over the trades {@code o} holds. */
  static Map<String, TradeAlertOracle.Fire> expected(String bootstrap, TradeAlertOracle o) {
    return o.fires(
        TradeAlertOracle.alerts(StackFixture.readAll(bootstrap, Topics.ALERTS)).values());
  }

  /**
   * Reads {@code alerts.fires}, then the trades (so they cover every trade a fire names), and
   * asserts: every fire id once; each fire's trade, time and number are the oracle's; every fire of
   * {@code awaited} (the oracle's over trades read earlier: none missing up to a folded offset) is
   * there. Returns the fires.
   */
  static List<JsonObject> check(String bootstrap, Map<String, TradeAlertOracle.Fire> awaited) {
    List<JsonObject> fires = recordedFires(bootstrap);
    Map<String, TradeAlertOracle.Fire> truth = expected(bootstrap, trades(bootstrap));
    List<String> ids = fires.stream().map(f -> f.getString("fire")).toList();
    assertThat(ids).as("every fire id once in alerts.fires").doesNotHaveDuplicates();
    assertThat(ids).containsAll(awaited.keySet());
    List<String> wrong = new ArrayList<>();
    for (JsonObject f : fires) {
      TradeAlertOracle.Fire o = truth.get(f.getString("fire"));
      JsonObject t = f.getJsonObject("trade");
      if (o == null
          || o.tradeId() != t.getLong("id")
          || o.offset() != t.getLong("offset")
          || o.t() != t.getLong("t")
          || o.price() != t.getDouble("price")
          || o.t() != f.getLong("firedAt")
          || o.seq() != f.getInteger("seq")) {
        wrong.add(f.encode() + " vs oracle " + o);
      }
    }
    assertThat(wrong).as("fires that differ from the oracle").isEmpty();
    return fires;
  }
}
