package candlecast.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One WebSocket client of {@link FastFailoverIT} on the JSON protocol, subscribed to the 1s candles
 * and the trades of every symbol. It notes when each symbol last had a <em>new</em> update (a trade
 * id it had not seen, or a candle newer than the newest it had: a later window, more trades in the
 * same one, or its close), every closed value per open time (two different values for one closed
 * candle are recorded as a conflict) and every error frame.
 */
final class LiveWatch {
  private final Vertx vertx;
  private final int port;
  private final List<String> symbols;
  private final WebSocketClient client;
  private WebSocket ws;

  private final Map<String, Long> maxTradeId = new HashMap<>();
  private final Map<String, long[]> newestCandle = new HashMap<>();

  /** When each symbol had a new trade / candle update (System.nanoTime, ascending). */
  private final Map<String, List<Long>> newTrades = new HashMap<>();

  private final Map<String, List<Long>> newCandles = new HashMap<>();

  /** The newest trade time (epoch ms) in each of those new-trade frames, parallel to newTrades. */
  private final Map<String, List<Long>> newTradeTimes = new HashMap<>();

  private final Map<String, TreeMap<Long, JsonObject>> closed = new HashMap<>();
  private final List<String> conflicts = new ArrayList<>();
  private final List<JsonObject> errors = new ArrayList<>();

  LiveWatch(Vertx vertx, int port, List<String> symbols) {
    this.vertx = vertx;
    this.port = port;
    this.symbols = List.copyOf(symbols);
    this.client = vertx.createWebSocketClient();
  }

  Future<Void> start() {
    return client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .map(
            s -> {
              ws = s;
              s.textMessageHandler(this::onFrame);
              for (String sym : symbols) {
                s.writeTextMessage(
                    new JsonObject()
                        .put("type", "subscribe")
                        .put("symbol", sym)
                        .put("tf", "1s")
                        .encode());
                s.writeTextMessage(
                    new JsonObject()
                        .put("type", "subscribe")
                        .put("channel", "trades")
                        .put("symbol", sym)
                        .encode());
              }
              return null;
            });
  }

  void close() {
    vertx.runOnContext(
        v -> {
          if (ws != null) {
            ws.close();
          }
          client.close();
        });
  }

  private synchronized void onFrame(String text) {
    JsonObject f = new JsonObject(text);
    String type = f.getString("type");
    String sym = f.getString("symbol");
    if ("trades".equals(type)) {
      trades(sym, f.getJsonArray("trades"));
    } else if ("candle".equals(type)) {
      candle(sym, f);
    } else if ("snapshot".equals(type) && f.getJsonArray("candles") != null) {
      JsonArray arr = f.getJsonArray("candles");
      for (int i = 0; i < arr.size(); i++) {
        closedValue(sym, arr.getJsonObject(i));
      }
    } else if ("error".equals(type)) {
      errors.add(f);
    }
  }

  private void trades(String sym, JsonArray arr) {
    long max = maxTradeId.getOrDefault(sym, Long.MIN_VALUE);
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < arr.size(); i++) {
      JsonObject t = arr.getJsonObject(i);
      long id = t.getLong("id");
      if (id > max) {
        max = id;
        newest = Math.max(newest, t.getLong("t"));
      }
    }
    if (newest > Long.MIN_VALUE) {
      newTrades.computeIfAbsent(sym, k -> new ArrayList<>()).add(System.nanoTime());
      newTradeTimes.computeIfAbsent(sym, k -> new ArrayList<>()).add(newest);
    }
    maxTradeId.put(sym, max);
  }

  private void candle(String sym, JsonObject c) {
    long t = c.getLong("t");
    long n = c.getLong("trades");
    long x = c.getBoolean("closed", false) ? 1 : 0;
    long[] newest = newestCandle.get(sym);
    if (newest == null
        || t > newest[0]
        || (t == newest[0] && (n > newest[1] || (n == newest[1] && x > newest[2])))) {
      newestCandle.put(sym, new long[] {t, n, x});
      newCandles.computeIfAbsent(sym, k -> new ArrayList<>()).add(System.nanoTime());
    }
    closedValue(sym, c);
  }

  private void closedValue(String sym, JsonObject c) {
    if (!c.getBoolean("closed", false)) {
      return;
    }
    JsonObject v = ResumingClient.values(c);
    JsonObject prev =
        closed.computeIfAbsent(sym, s -> new TreeMap<>()).putIfAbsent(v.getLong("t"), v);
    if (prev != null && !prev.equals(v)) {
      conflicts.add(sym + "@" + v.getLong("t") + ": " + prev.encode() + " then " + v.encode());
    }
  }

  /** When {@code sym} last had a new trade (System.nanoTime), or -1. */
  synchronized long lastNewTrade(String sym) {
    return last(newTrades.get(sym));
  }

  /** When {@code sym} last had a new candle update (System.nanoTime), or -1. */
  synchronized long lastNewCandle(String sym) {
    return last(newCandles.get(sym));
  }

  /** When {@code sym} first had a new candle update after {@code t0} (System.nanoTime), or -1. */
  synchronized long firstNewCandleAfter(String sym, long t0) {
    return firstAfter(newCandles.get(sym), t0);
  }

  /**
   * When {@code sym} first received a trade that happened after {@code epochMs} (System.nanoTime),
   * or -1: after a kill, such a trade can only come from the new owner (the mock stamps trades with
   * its clock when it makes them), whereas updates the dead owner sent just before may still
   * arrive.
   */
  synchronized long firstTradeMadeAfter(String sym, long epochMs) {
    List<Long> times = newTradeTimes.get(sym);
    if (times == null) {
      return -1;
    }
    for (int i = 0; i < times.size(); i++) {
      if (times.get(i) > epochMs) {
        return newTrades.get(sym).get(i);
      }
    }
    return -1;
  }

  private static long last(List<Long> times) {
    return times == null || times.isEmpty() ? -1 : times.get(times.size() - 1);
  }

  private static long firstAfter(List<Long> times, long t0) {
    if (times == null) {
      return -1;
    }
    int i = Collections.binarySearch(times, t0 + 1);
    int at = i >= 0 ? i : -i - 1;
    return at < times.size() ? times.get(at) : -1;
  }

  @SuppressWarnings("NonApiType") // a private sorted copy
  synchronized TreeMap<Long, JsonObject> closed(String sym) {
    TreeMap<Long, JsonObject> m = closed.get(sym);
    return m == null ? new TreeMap<>() : new TreeMap<>(m);
  }

  synchronized List<String> conflicts() {
    return List.copyOf(conflicts);
  }

  synchronized List<JsonObject> errors() {
    return List.copyOf(errors);
  }
}
