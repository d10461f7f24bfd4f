package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, exactly once across a crash: the single-node jar (mock feed) evaluates a ladder of
 * price alerts (once and rearm) and move alerts created over REST; it is killed with -9 while fires
 * are being recorded and started again on the same data directory. Every fire id in {@code
 * alerts.fires} appears once; every fire equals the one an offline oracle ({@link
 * TradeAlertOracle}) derives from the {@code trades} log and the alert records; no fire the oracle
 * expects up to a folded offset is missing; a JSON /ws client that resubscribes with {@code since}
 * across the restart sees every fire once.
 */
class AlertExactlyOnceIT {
  private static final String SYMBOL = "AEBTCUSD";
  private static final String OWNER = "eo";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(AlertExactlyOnceIT.class);

  @TempDir Path dir;
  private Process node;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.destroyForcibly().waitFor();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A JSON /ws client of {@link #OWNER}, every frame kept. */
  private static final class FireClient {
    final WebSocketClient client; // held: an unreferenced client closes its sockets
    final ClientWebSocket ws;
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();

    FireClient(Vertx vertx, int port, Long since) throws Exception {
      client = vertx.createWebSocketClient();
      ws = client.webSocket();
      ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
      ws.connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setURI("/ws?owner=" + OWNER))
          .await(10, TimeUnit.SECONDS);
      JsonObject sub = new JsonObject().put("type", "subscribe").put("channel", "alerts");
      ws.writeTextMessage((since == null ? sub : sub.put("since", since)).encode())
          .await(5, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> frames.stream().anyMatch(f -> "subscription".equals(f.getString("type"))));
    }

    List<JsonObject> fires() {
      return frames.stream().filter(f -> "alert".equals(f.getString("type"))).toList();
    }
  }

  private Process start(int httpPort, int kafkaPort, Path log) throws Exception {
    return SingleNodeProcess.start(
        httpPort,
        kafkaPort,
        dir.resolve("data"),
        log,
        Map.of(
            Settings.FEED_SOURCE.envName(), "mock",
            Settings.FEED_SYMBOLS.envName(), SYMBOL,
            Settings.FEED_RATE.envName(), "30",
            Settings.MOCK_HISTORY_DAYS.envName(), "0"));
  }

  @Test
  void everyFireIsRecordedOnceAndEqualsTheOracleAcrossAKill9() throws Exception {
    List<Integer> ports = ClusterFixture.freePorts(2);
    int port = ports.get(0);
    String bootstrap = "127.0.0.1:" + ports.get(1);
    Path log = dir.resolve("node.log");
    node = start(port, ports.get(1), log);
    await().atMost(Duration.ofSeconds(60)).until(() -> AlertChecks.last(port, SYMBOL) != null);
    double last = AlertChecks.last(port, SYMBOL);
    vertx = Vertx.vertx();
    FireClient before = new FireClient(vertx, port, null);
    AlertChecks.createLadder(port, OWNER, SYMBOL, last);

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> AlertChecks.recordedFires(bootstrap).size() >= 8);
    // (Kafka is embedded in the jar: read just before the kill; the node writes on meanwhile)
    int atKill = AlertChecks.recordedFires(bootstrap).size();
    long lastAtKill = AlertChecks.trades(bootstrap).lastOffset(SYMBOL);
    node.destroyForcibly().waitFor(); // kill -9 while the alerts fire
    await().atMost(Duration.ofSeconds(10)).until(before.ws::isClosed);
    List<JsonObject> seenBefore = before.fires();
    long since = seenBefore.stream().mapToLong(f -> f.getLong("recordedAt")).max().orElse(0L);

    node = start(port, ports.get(1), log);
    FireClient after = new FireClient(vertx, port, since);
    // more trades folded and more fires recorded after the restart
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> AlertChecks.recordedFires(bootstrap).size() >= atKill + 8);

    // every fire the oracle expects up to a folded offset gets recorded
    TradeAlertOracle snapshot = AlertChecks.trades(bootstrap);
    Map<String, TradeAlertOracle.Fire> expected = AlertChecks.expected(bootstrap, snapshot);
    assertThat(snapshot.lastOffset(SYMBOL)).isGreaterThan(lastAtKill);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> AlertChecks.fireIds(bootstrap).containsAll(expected.keySet()));
    List<JsonObject> fires = AlertChecks.check(bootstrap, expected);
    List<String> ids = fires.stream().map(f -> f.getString("fire")).toList();
    assertThat(fires)
        .as("fires on trades before and after the kill")
        .anyMatch(f -> f.getJsonObject("trade").getLong("offset") <= lastAtKill)
        .anyMatch(f -> f.getJsonObject("trade").getLong("offset") > lastAtKill);

    // the /ws client: live before the kill, then since = the last recordedAt it saw
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> seen(seenBefore, after.fires()).keySet().containsAll(ids));
    List<String> delivered = new ArrayList<>();
    seenBefore.forEach(f -> delivered.add(f.getString("fire")));
    after.fires().forEach(f -> delivered.add(f.getString("fire")));
    assertThat(delivered).as("fires delivered to the /ws client").doesNotHaveDuplicates();
    assertThat(seenBefore).as("live fires before the kill").isNotEmpty();
    LOG.info(
        "alerts.fires {} (on trades up to offset {} at the kill: {}), awaited from the oracle {}, /ws {} before + {} after",
        ids.size(),
        lastAtKill,
        fires.stream()
            .filter(f -> f.getJsonObject("trade").getLong("offset") <= lastAtKill)
            .count(),
        expected.size(),
        seenBefore.size(),
        after.fires().size());
  }

  private static Map<String, JsonObject> seen(List<JsonObject> a, List<JsonObject> b) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    a.forEach(f -> out.put(f.getString("fire"), f));
    b.forEach(f -> out.put(f.getString("fire"), f));
    return out;
  }
}
