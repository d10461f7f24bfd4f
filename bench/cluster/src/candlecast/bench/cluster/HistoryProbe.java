package candlecast.bench.cluster;

import candlecast.common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks {@code candlecast.history} (1m, limit 1) for every symbol every {@link #PERIOD_MS} and keeps,
 * per symbol, its unavailable runs: first failed answer (503 while moving, 404, timeout) to the next
 * successful one.
 */
final class HistoryProbe {
  static final long PERIOD_MS = 250;

  private final Vertx vertx;
  private final List<String> symbols;
  private final Map<String, Long> downSince = new ConcurrentHashMap<>();
  private final Map<String, Long> lastOk = new ConcurrentHashMap<>();
  private final List<JsonObject> outages = Collections.synchronizedList(new ArrayList<>());
  private final long timer;
  private int next;

  HistoryProbe(Vertx vertx, List<String> symbols) {
    this.vertx = vertx;
    this.symbols = symbols;
    long perTick = Math.max(1, symbols.size() / 5);
    timer = vertx.setPeriodic(PERIOD_MS / 5, id -> {
      for (int i = 0; i < perTick; i++) {
        ask(symbols.get(next));
        next = (next + 1) % symbols.size();
      }
    });
  }

  private void ask(String symbol) {
    long sent = System.nanoTime();
    vertx.eventBus()
        .<JsonObject>request(Addresses.HISTORY, new JsonObject().put("symbol", symbol).put("tf", "1m").put("limit", 1),
            new DeliveryOptions().setSendTimeout(2000))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            lastOk.put(symbol, sent);
            Long since = downSince.remove(symbol);
            if (since != null) {
              outages.add(new JsonObject().put("symbol", symbol).put("ms", (sent - since) / 1_000_000));
            }
          } else {
            downSince.putIfAbsent(symbol, sent);
          }
        });
  }

  /** Waits until every symbol has been answered once; returns the time waited. */
  long awaitAllServed(long timeoutMs) throws InterruptedException {
    long t0 = System.currentTimeMillis();
    while (lastOk.size() < symbols.size()) {
      if (System.currentTimeMillis() - t0 > timeoutMs) {
        throw new IllegalStateException("only " + lastOk.size() + " of " + symbols.size() + " symbols served");
      }
      Thread.sleep(100);
    }
    return System.currentTimeMillis() - t0;
  }

  void reset() {
    outages.clear();
  }

  /** The outages since the last reset: count, distinct symbols, p50, max, and symbols still down. */
  JsonObject outages() {
    List<Long> ms = new ArrayList<>();
    java.util.Set<String> symbolsHit = new java.util.HashSet<>();
    synchronized (outages) {
      for (JsonObject o : outages) {
        ms.add(o.getLong("ms"));
        symbolsHit.add(o.getString("symbol"));
      }
    }
    Collections.sort(ms);
    return new JsonObject()
        .put("outages", ms.size())
        .put("symbolsUnavailable", symbolsHit.size())
        .put("p50Ms", ms.isEmpty() ? 0 : ms.get(ms.size() / 2))
        .put("maxMs", ms.isEmpty() ? 0 : ms.get(ms.size() - 1))
        .put("stillDown", new JsonArray(new ArrayList<>(downSince.keySet())));
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
