package candlecast.bench.chaos;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert side of the fleet: at fleet start, per symbol a handful of price alerts created over
 * REST on a gateway (owner {@link #OWNER}) at levels the ground truth crosses again and again
 * during the run (quantiles of the prices the file will replay, see {@link #definitions}), and a
 * few {@link AlertClient}s on the {@code alerts} channel spread over the gateways' fault proxies.
 */
final class AlertFleet {
  private static final Logger LOG = LoggerFactory.getLogger(AlertFleet.class);
  static final String OWNER = "chaos";
  static final int CLIENTS = 6;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  final List<AlertClient> clients = new ArrayList<>();

  /**
   * Just before the first create: the clients' first {@code since} (fires can come before they
   * connect: a smoke with member cuts had 4 fires recorded within 3 s of the creates, before any
   * client had subscribed, and every client missed them).
   */
  private long createdFrom = -1;

  /** The records the create replies returned. */
  final List<JsonObject> created = new ArrayList<>();

  /** Creates that failed for good, with the answer. */
  final List<String> failedCreates = new ArrayList<>();

  /** Wall clock when the clients were closed (fires recorded well before must have arrived). */
  volatile long stoppedAt = Long.MAX_VALUE;

  /**
   * The alerts of one symbol given the prices it will trade at during the run: a rearm above the
   * median with no cool-down, a rearm below the median with a 2 s cool-down, once-alerts above the
   * 70th and below the 30th percentile.
   */
  static List<JsonObject> definitions(String symbol, List<Double> runPrices) {
    double mid = AlertOracle.level(runPrices, 0.5);
    return List.of(
        price(symbol, "price_above", mid).put("mode", "rearm").put("cooldownMs", 0),
        price(symbol, "price_below", mid).put("mode", "rearm").put("cooldownMs", 2_000),
        price(symbol, "price_above", AlertOracle.level(runPrices, 0.7)).put("mode", "once"),
        price(symbol, "price_below", AlertOracle.level(runPrices, 0.3)).put("mode", "once"));
  }

  private static JsonObject price(String symbol, String kind, double level) {
    return new JsonObject()
        .put("symbol", symbol)
        .put("condition", new JsonObject().put("kind", kind).put("level", level))
        .put("note", "chaos");
  }

  /**
   * Creates the alerts: the prices a symbol will trade at are the file's trades after those already
   * in the {@code trades} log, for {@code seconds} at {@code rate} trades per second.
   */
  void create(ChaosCluster cluster, GroundTruth gt, List<String> symbols, double rate, int seconds)
      throws InterruptedException {
    createdFrom = System.currentTimeMillis() - 1;
    Map<String, Integer> inLog = new HashMap<>();
    LogReader.readAll(
        cluster.bootstrap(),
        "trades",
        r -> {
          if (r.value() != null
              && new String(r.value(), StandardCharsets.UTF_8).contains("\"id\"")) {
            inLog.merge(r.key(), 1, Integer::sum);
          }
        });
    int ahead = (int) Math.max(20, rate * seconds);
    int gateway = 0;
    for (String sym : symbols) {
      List<GroundTruth.Trade> all = gt.of(sym);
      int from = Math.min(inLog.getOrDefault(sym, 0), all.size() - 1);
      List<Double> prices =
          all.subList(from, Math.min(all.size(), from + ahead)).stream()
              .map(GroundTruth.Trade::price)
              .toList();
      for (JsonObject def : definitions(sym, prices)) {
        Member g = cluster.gateways.get(gateway++ % cluster.gateways.size());
        post(g.host + ":" + g.httpPort, def);
      }
    }
    LOG.info("{} alerts created, {} creates failed", created.size(), failedCreates.size());
  }

  /** POST /api/alerts, retried on 503 (an owner taking over) for up to 60 s. */
  private void post(String port, JsonObject def) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + port + "/api/alerts"))
                    .header("X-Candlecast-Owner", OWNER)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(def.encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
          created.add(new JsonObject(r.body()));
          return;
        }
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() != 503) {
          break;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(1_000); // another process's service: no condition in this JVM to await
    }
    failedCreates.add(def.encode() + " -> " + last);
  }

  /** Starts {@link #CLIENTS} clients spread over the fleet's proxies. */
  void startClients(Fleet fleet) {
    List<Integer> ports = fleet.proxies.stream().map(FaultProxy::port).toList();
    for (int i = 0; i < CLIENTS; i++) {
      AlertClient c =
          new AlertClient("alerts-" + i, fleet.vertx, ports, i % ports.size(), OWNER, createdFrom);
      clients.add(c);
      c.start();
    }
  }

  void stop() {
    if (stoppedAt == Long.MAX_VALUE) {
      stoppedAt = System.currentTimeMillis();
      clients.forEach(AlertClient::close);
    }
  }
}
