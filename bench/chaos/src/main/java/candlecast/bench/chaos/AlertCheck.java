package candlecast.bench.chaos;

import io.vertx.core.json.JsonArray;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Alert fires exactly once": the fires {@link AlertOracle} derives from the {@code trades} log and
 * the alert records in {@code alerts} are compared with the {@code alerts.fires} log, with REST's
 * {@code /api/alerts/fires} and with what every {@link AlertClient} received. Counts go to the
 * checker's {@code alerts.*} counts, violations (with evidence) to its violations.
 */
final class AlertCheck {
  private static final Logger LOG = LoggerFactory.getLogger(AlertCheck.class);

  /** The directory keeps the last {@code aggregator.alerts-fire-history} fires per alert. */
  static final int FIRE_HISTORY = 100;

  /** A client must have received every fire recorded this long before it was closed. */
  static final long DELIVERY_MS = 3_000;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private final Checker checker;
  Map<String, AlertOracle.Fire> expected = Map.of();

  AlertCheck(Checker checker) {
    this.checker = checker;
  }

  void violation(String kind, String evidence) {
    checker.counts.merge("violations." + kind, 1L, Long::sum);
    if (checker.violations.size() < 500) {
      checker.violations.add(kind + ": " + evidence);
    }
  }

  private void count(String what, long n) {
    checker.counts.merge("alerts." + what, n, Long::sum);
  }

  /** The whole check; {@code gatewayPorts} answer REST directly (not through the proxies). */
  void check(String bootstrap, List<String> gatewayPorts, AlertFleet fleet)
      throws InterruptedException {
    Map<String, JsonObject> alerts = alerts(bootstrap);
    count("created", fleet.created.size());
    count("create-failures", fleet.failedCreates.size());
    fleet.failedCreates.forEach(f -> violation("alert-create", f));
    for (JsonObject c : fleet.created) {
      if (!alerts.containsKey(c.getString("id"))) {
        violation("alert-record", "created " + c.getString("id") + " is not in `alerts`");
      }
    }
    expected = AlertOracle.fires(tradesLog(bootstrap), alerts.values());
    count("expected-fires", expected.size());
    List<JsonObject> rest = awaitRest(gatewayPorts);
    checkRest(rest);
    Map<String, JsonObject> recorded = checkLog(bootstrap);
    for (AlertClient c : fleet.clients) {
      checkClient(c, recorded, fleet.stoppedAt - DELIVERY_MS);
    }
  }

  /** The latest record of every alert of the chaos owner in {@code alerts}. */
  private static Map<String, JsonObject> alerts(String bootstrap) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    LogReader.readAll(
        bootstrap,
        "alerts",
        r -> {
          if (r.value() == null) {
            out.remove(r.key());
            return;
          }
          JsonObject a = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          if (AlertFleet.OWNER.equals(a.getString("owner"))) {
            out.put(r.key(), a);
          }
        });
    return out;
  }

  /** Per symbol its trades in log order with their offsets. */
  static Map<String, List<AlertOracle.LogTrade>> tradesLog(String bootstrap) {
    Map<String, List<AlertOracle.LogTrade>> out = new HashMap<>();
    LogReader.readAll(
        bootstrap,
        "trades",
        r -> {
          if (r.value() == null) {
            return;
          }
          JsonObject j = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          if (j.containsKey("id")) {
            out.computeIfAbsent(j.getString("symbol"), s -> new ArrayList<>())
                .add(
                    new AlertOracle.LogTrade(
                        r.offset(), j.getLong("id"), j.getLong("time"), j.getDouble("price")));
          }
        });
    return out;
  }

  /** The expected fires REST must list: per alert the last {@link #FIRE_HISTORY}. */
  private Map<String, AlertOracle.Fire> listable() {
    Map<String, List<AlertOracle.Fire>> byAlert = new LinkedHashMap<>();
    expected
        .values()
        .forEach(f -> byAlert.computeIfAbsent(f.alert(), a -> new ArrayList<>()).add(f));
    Map<String, AlertOracle.Fire> out = new LinkedHashMap<>();
    for (List<AlertOracle.Fire> l : byAlert.values()) {
      l.subList(Math.max(0, l.size() - FIRE_HISTORY), l.size()).forEach(f -> out.put(f.fire(), f));
    }
    return out;
  }

  /**
   * REST's fires, re-read every second for up to 60 s until they list every expected fire (the
   * owners may still be folding the log's last records).
   */
  private List<JsonObject> awaitRest(List<String> ports) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    List<JsonObject> fires = List.of();
    while (true) {
      try {
        fires = restFires(ports);
        List<String> ids = fires.stream().map(f -> f.getString("fire")).toList();
        if (ids.containsAll(listable().keySet()) || System.currentTimeMillis() > deadline) {
          return fires;
        }
      } catch (IOException | IllegalStateException e) {
        if (System.currentTimeMillis() > deadline) {
          violation("alerts-rest", "GET /api/alerts/fires failed: " + e);
          return fires;
        }
      }
      Thread.sleep(1_000); // other processes fold: nothing in this JVM to await
    }
  }

  /** Every page of {@code GET /api/alerts/fires}, from the first gateway that answers. */
  static List<JsonObject> restFires(List<String> ports) throws IOException, InterruptedException {
    IOException last = null;
    for (String port : ports) {
      try {
        return restFires(port);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last == null ? new IOException("no gateway") : last;
  }

  private static List<JsonObject> restFires(String port) throws IOException, InterruptedException {
    List<JsonObject> out = new ArrayList<>();
    long since = 0;
    while (true) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + port + "/api/alerts/fires?limit=500&since=" + since))
                  .header("X-Candlecast-Owner", AlertFleet.OWNER)
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("port " + port + ": " + r.statusCode() + " " + r.body());
      }
      JsonArray page = new JsonObject(r.body()).getJsonArray("fires");
      page.forEach(o -> out.add((JsonObject) o));
      if (page.size() < 500) {
        return out;
      }
      since = page.getJsonObject(page.size() - 1).getLong("recordedAt");
    }
  }

  /** REST lists every expected fire once, with the expected trade and seq, and nothing else. */
  private void checkRest(List<JsonObject> rest) {
    count("rest-fires", rest.size());
    Map<String, Integer> seen = new HashMap<>();
    for (JsonObject f : rest) {
      String id = f.getString("fire");
      if (seen.merge(id, 1, Integer::sum) == 2) {
        violation("alert-rest-duplicate", id + " listed twice");
      }
      compare("alert-rest", f, "REST");
    }
    listable().keySet().stream()
        .filter(id -> !seen.containsKey(id))
        .forEach(id -> violation("alert-rest-missing", id + " expected " + expected.get(id)));
  }

  /** Each expected fire id once in {@code alerts.fires}, equal to the oracle; nothing else. */
  private Map<String, JsonObject> checkLog(String bootstrap) {
    Map<String, Integer> seen = new HashMap<>();
    Map<String, JsonObject> recorded = new LinkedHashMap<>();
    LogReader.readAll(
        bootstrap,
        "alerts.fires",
        r -> {
          if (r.value() == null) {
            return;
          }
          JsonObject f = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          if (!AlertFleet.OWNER.equals(f.getString("owner"))) {
            return;
          }
          count("log-fires", 1);
          if (seen.merge(r.key(), 1, Integer::sum) == 2) {
            violation("alert-log-duplicate", r.key() + " in alerts.fires twice");
          }
          compare("alert-log", f, "alerts.fires");
          recorded.putIfAbsent(r.key(), f);
        });
    expected.keySet().stream()
        .filter(id -> !seen.containsKey(id))
        .forEach(id -> violation("alert-log-missing", id + " expected " + expected.get(id)));
    return recorded;
  }

  /** A fire event against the oracle: known id, same alert, trade (id, t, price, offset), seq. */
  boolean compare(String kind, JsonObject f, String where) {
    AlertOracle.Fire want = expected.get(f.getString("fire"));
    if (want == null) {
      violation(kind + "-unexpected", where + " has " + f.encode() + ", the oracle no such fire");
      return false;
    }
    JsonObject t = f.getJsonObject("trade", new JsonObject());
    boolean same =
        want.alert().equals(f.getString("alert"))
            && Objects.equals(t.getLong("id"), want.trade().id())
            && Objects.equals(t.getLong("t"), want.trade().time())
            && Objects.equals(t.getDouble("price"), want.trade().price())
            && Objects.equals(t.getLong("offset"), want.trade().offset())
            && Objects.equals(f.getLong("firedAt"), want.trade().time())
            && Objects.equals(f.getInteger("seq"), want.seq());
    if (!same) {
      violation(kind + "-value", where + " has " + f.encode() + ", oracle " + want);
    }
    return same;
  }

  /**
   * A client got each fire at most once; every fire recorded before {@code requiredBefore}; each
   * equal to the oracle. A missing fire of a client that saw an announced break is explained.
   */
  private void checkClient(AlertClient c, Map<String, JsonObject> recorded, long requiredBefore) {
    count("client-fires-received", c.fires.size());
    count("client-breaks", c.breaks.size());
    count("client-reconnects", c.reconnects);
    c.received.forEach(
        (id, n) -> {
          if (n > 1) {
            violation("alert-client-duplicate", c.name + " got " + id + " " + n + " times");
          }
        });
    c.fires.forEach(f -> compare("alert-client", f, c.name));
    for (JsonObject f : recorded.values()) {
      String id = f.getString("fire");
      if (f.getLong("recordedAt") > requiredBefore || c.received.containsKey(id)) {
        continue;
      }
      if (c.breaks.isEmpty()) {
        violation("alert-client-missing", c.name + " never got " + f.encode());
      } else {
        count("client-missing-explained", 1);
        checker.explained.add(c.name + " missed " + id + " (alerts catch-up failed)");
      }
    }
    LOG.info(
        "{}: {} fires, {} reconnects, {} breaks",
        c.name,
        c.fires.size(),
        c.reconnects,
        c.breaks.size());
  }
}
