package candlecast.deploy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training run of the class-data-sharing archive the build leaves next to the jar ({@code
 * deploy/target/candlecast.jsa}, docs/DECISIONS.md "Start-up: a class-data-sharing archive"): run
 * as {@code java -XX:ArchiveClassesAtExit=candlecast.jsa -cp candlecast.jar
 * candlecast.deploy.CdsTraining}, it starts the single node on a throw-away data directory, waits
 * until it is ready, walks the paths a first visitor takes (the page, history over REST, a live
 * candle subscription on {@code /ws}), stops cleanly and exits; the JVM then writes every class it
 * loaded into the archive, which {@code java -XX:SharedArchiveFile=candlecast.jsa -jar
 * candlecast.jar} maps instead of loading and verifying them again. Exit code 0 when every step
 * answered as it should, 1 otherwise (the build then fails: a broken jar is not shipped).
 */
public final class CdsTraining {
  private static final Logger LOG = LoggerFactory.getLogger(CdsTraining.class);
  private static final long STEP_TIMEOUT_S = 120;

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path data = Files.createTempDirectory("candlecast-cds");
    int code = 1;
    try {
      code = train(data);
    } finally {
      deleteTree(data);
    }
    System.exit(code);
  }

  static int train(Path data) throws Exception {
    long t0 = System.nanoTime();
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.DATA_DIR, data.toString())
            .with(Settings.HTTP_PORT, 0)
            .with(Settings.HTTP_HOST, "127.0.0.1")
            .with(Settings.KAFKA_EMBEDDED_PORT, 0)
            .with(Settings.MOCK_HISTORY_DAYS, 0);
    Vertx vertx = Vertx.builder().with(Launcher.vertxOptions(Role.GATEWAY)).build();
    SingleNode node = SingleNode.start(vertx, config).await(STEP_TIMEOUT_S, TimeUnit.SECONDS);
    Vertx client = Vertx.vertx();
    try {
      walk(client, node.httpPort()).await(STEP_TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info(
          "cds training: the node answered every step in {} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      return 0;
    } catch (Exception e) {
      LOG.error("cds training failed: {}", Launcher.rootMessage(e));
      return 1;
    } finally {
      client.close().await(30, TimeUnit.SECONDS);
      node.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** Ready, the page and its script, history over REST, then one live candle on /ws. */
  private static Future<Void> walk(Vertx vertx, int port) {
    HttpClient http = vertx.createHttpClient();
    return untilReady(vertx, http, port, System.nanoTime())
        .compose(v -> expect200(http, port, "/"))
        .compose(v -> expect200(http, port, "/js/main.js"))
        .compose(v -> expect200(http, port, "/api/candles?symbol=BTCUSD&tf=1m&limit=500"))
        .compose(v -> oneLiveCandle(vertx.createWebSocketClient(), port));
  }

  private static Future<Void> untilReady(Vertx vertx, HttpClient http, int port, long since) {
    return get(http, port, "/ready")
        .transform(
            ar -> {
              if (ar.succeeded() && ar.result() == 200) {
                return Future.succeededFuture();
              }
              if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_S)) {
                return Future.failedFuture("the node did not become ready");
              }
              return vertx.timer(50).compose(t -> untilReady(vertx, http, port, since));
            });
  }

  private static Future<Void> expect200(HttpClient http, int port, String uri) {
    return get(http, port, uri)
        .compose(
            status ->
                status == 200
                    ? Future.succeededFuture()
                    : Future.failedFuture("GET " + uri + " answered " + status));
  }

  private static Future<Integer> get(HttpClient http, int port, String uri) {
    return http.request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.send())
        .compose((HttpClientResponse resp) -> resp.body().map((Buffer b) -> resp.statusCode()));
  }

  /** Subscribes to BTCUSD 1s candles with the JSON protocol and waits for a live candle. */
  private static Future<Void> oneLiveCandle(WebSocketClient ws, int port) {
    return ws.connect(port, "127.0.0.1", "/ws")
        .compose(
            (WebSocket socket) -> {
              io.vertx.core.Promise<Void> candle = io.vertx.core.Promise.promise();
              socket.textMessageHandler(
                  text -> {
                    JsonObject f = new JsonObject(text);
                    if ("candle".equals(f.getString("type"))) {
                      candle.tryComplete();
                    }
                  });
              socket.writeTextMessage(
                  new JsonObject()
                      .put("type", "subscribe")
                      .put("symbol", "BTCUSD")
                      .put("tf", "1s")
                      .encode());
              return candle.future().compose(v -> socket.close());
            });
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (Exception e) {
      LOG.warn("cds training: could not delete {}: {}", root, e.toString());
    }
  }
}
