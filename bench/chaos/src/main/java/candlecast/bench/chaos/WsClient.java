package candlecast.bench.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the JSON protocol on {@code /ws} that behaves like a careful application: subscribes
 * to 1s and 1m candles and the trades of its symbols, and when its connection drops (or stays
 * silent for {@link #SILENCE_MS}: a cut link sends nothing) reconnects to the next gateway and
 * resumes every series with {@code since}. A subscription answered {@code *_unavailable} is
 * subscribed again (with {@code since}) after the hint. Everything it receives goes to its {@link
 * SeriesLog}s and {@link TradeLog}s; all state is touched on its own event loop only.
 */
final class WsClient {
  static final long SILENCE_MS = 5_000;
  static final long PING_AFTER_MS = 1_500;
  static final List<String> TFS = List.of("1s", "1m");

  final String name;
  private final Vertx vertx;
  private final List<Integer> ports;
  private final List<String> symbols;
  private final FleetRecord record;
  private final WebSocketClient wsClient;
  private int portIndex;
  private WebSocket ws;
  private volatile boolean closed;
  private long lastFrameAt;
  final Map<String, SeriesLog> series = new LinkedHashMap<>();
  final Map<String, TradeLog> tapes = new LinkedHashMap<>();

  /**
   * Series (key {@code SYM|tf} or {@code SYM|trades}) waiting for a new snapshot: frames ignored.
   */
  private final Map<String, Boolean> resubscribing = new LinkedHashMap<>();

  /** Per series: the delay before the next retry of a subscription that failed to start. */
  private final Map<String, Long> retryBackoff = new LinkedHashMap<>();

  int reconnects;
  private boolean sampled;

  WsClient(
      String name,
      Vertx vertx,
      List<Integer> ports,
      int home,
      List<String> symbols,
      FleetRecord record) {
    this.name = name;
    this.vertx = vertx;
    this.ports = List.copyOf(ports);
    this.portIndex = home;
    this.symbols = List.copyOf(symbols);
    this.record = record;
    this.wsClient =
        vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(3_000));
    for (String s : symbols) {
      for (String tf : TFS) {
        series.put(s + "|" + tf, new SeriesLog(name, s, tf, OracleFold.TIMEFRAMES.get(tf)));
      }
      tapes.put(s, new TradeLog(name, s));
    }
  }

  void sampleLatency() {
    sampled = true;
  }

  void start() {
    vertx.runOnContext(
        v -> {
          connect();
          vertx.setPeriodic(1_000, t -> watchdog());
        });
  }

  void close() {
    closed = true;
    vertx.runOnContext(
        v -> {
          if (ws != null) {
            ws.close();
          }
          wsClient.close();
        });
  }

  /**
   * A quiet market sends nothing, so after {@link #PING_AFTER_MS} of silence the client pings (the
   * gateway answers {@code pong}); only a link silent for {@link #SILENCE_MS} despite that is dead.
   */
  private void watchdog() {
    long quiet = System.currentTimeMillis() - lastFrameAt;
    if (!closed && ws != null && quiet > PING_AFTER_MS && quiet <= SILENCE_MS) {
      ws.writeTextMessage("{\"type\":\"ping\"}");
    }
    if (!closed && ws != null && quiet > SILENCE_MS) {
      record.event(
          name + ": silent for " + SILENCE_MS + " ms on port " + port() + ", reconnecting");
      WebSocket s = ws;
      ws = null;
      s.close();
      dropped();
    }
  }

  private int port() {
    return ports.get(Math.floorMod(portIndex, ports.size()));
  }

  private void connect() {
    if (closed) {
      return;
    }
    int port = port();
    wsClient
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .onSuccess(
            s -> {
              ws = s;
              lastFrameAt = System.currentTimeMillis();
              // frames a replaced connection still delivers (a healed cut flushes what it held) are
              // not
              // this client's stream any more
              s.textMessageHandler(
                  text -> {
                    if (ws == s) {
                      onFrame(text);
                    }
                  });
              s.closeHandler(
                  x -> {
                    if (ws == s) {
                      ws = null;
                      dropped();
                    }
                  });
              s.exceptionHandler(err -> {});
              resubscribing.clear();
              for (String sym : symbols) {
                for (String tf : TFS) {
                  subscribeCandles(sym, tf);
                }
                subscribeTrades(sym);
              }
            })
        .onFailure(
            err -> {
              portIndex++;
              vertx.setTimer(200, t -> connect());
            });
  }

  private void dropped() {
    if (closed) {
      return;
    }
    reconnects++;
    portIndex++;
    vertx.setTimer(100, t -> connect());
  }

  private void subscribeCandles(String sym, String tf) {
    SeriesLog log = series.get(sym + "|" + tf);
    JsonObject sub =
        new JsonObject()
            .put("type", "subscribe")
            .put("symbol", sym)
            .put("tf", tf)
            .put("id", sym + "|" + tf);
    if (log.since() != null) {
      sub.put("since", log.since());
    }
    resubscribing.put(sym + "|" + tf, true);
    ws.writeTextMessage(sub.encode());
  }

  private void subscribeTrades(String sym) {
    TradeLog log = tapes.get(sym);
    JsonObject sub =
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "trades")
            .put("symbol", sym)
            .put("id", sym + "|trades");
    if (log.lastId >= 0) {
      sub.put("since", log.lastId);
    }
    resubscribing.put(sym + "|trades", true);
    ws.writeTextMessage(sub.encode());
  }

  private void onFrame(String text) {
    long now = System.currentTimeMillis();
    lastFrameAt = now;
    JsonObject f = new JsonObject(text);
    String type = f.getString("type", "");
    switch (type) {
      case "snapshot" -> snapshot(f);
      case "candle" -> {
        String key = f.getString("symbol") + "|" + f.getString("tf");
        if (!resubscribing.containsKey(key) && f.getBoolean("closed", false)) {
          closedCandle(key, f);
        }
      }
      case "trades" -> {
        String sym = f.getString("symbol");
        if (!resubscribing.containsKey(sym + "|trades")) {
          trades(sym, f.getJsonArray("trades"), now, true);
        }
      }
      case "gap" -> {
        if ("candles".equals(f.getString("channel"))) {
          // closed windows the gateway could not deliver, announced before the next one (issue 19)
          SeriesLog s = series.get(f.getString("symbol") + "|" + f.getString("tf"));
          if (s != null) {
            s.streamBreak("candles gap notice");
          }
          return;
        }
        TradeLog t = tapes.get(f.getString("symbol"));
        if (t != null) {
          t.streamBreak("gap marker, dropped " + f.getValue("dropped"));
        }
      }
      case "error" -> error(f);
      default -> {}
    }
  }

  private void snapshot(JsonObject f) {
    String sym = f.getString("symbol");
    boolean tradesChannel = "trades".equals(f.getString("channel"));
    String key = sym + "|" + (tradesChannel ? "trades" : f.getString("tf"));
    resubscribing.remove(key);
    retryBackoff.remove(key);
    if (Boolean.FALSE.equals(f.getBoolean("recovered"))) {
      record.notRecovered(name + " " + key + " on port " + port());
    }
    String reason = Boolean.FALSE.equals(f.getBoolean("recovered")) ? "recovered:false" : null;
    if (tradesChannel) {
      TradeLog t = tapes.get(sym);
      if (reason != null || t.lastId < 0) {
        t.streamBreak(reason == null ? "first snapshot" : reason);
      }
      trades(sym, f.getJsonArray("trades"), System.currentTimeMillis(), false);
      return;
    }
    SeriesLog log = series.get(key);
    if (log == null) {
      return;
    }
    if (reason != null) {
      log.streamBreak(reason);
    }
    JsonArray arr = f.getJsonArray("candles");
    for (int i = 0; i < arr.size(); i++) {
      JsonObject c = arr.getJsonObject(i);
      if (c.getBoolean("closed", false)) {
        closedCandle(key, c);
      }
    }
  }

  private void closedCandle(String key, JsonObject c) {
    SeriesLog log = series.get(key);
    if (log != null) {
      log.closedCandle(
          new OracleFold.Bar(
              c.getLong("t"),
              c.getDouble("open"),
              c.getDouble("high"),
              c.getDouble("low"),
              c.getDouble("close"),
              c.getDouble("volume"),
              c.getLong("trades")));
    }
  }

  private void trades(String sym, JsonArray arr, long now, boolean live) {
    TradeLog log = tapes.get(sym);
    if (log == null || arr == null) {
      return;
    }
    List<long[]> samples = sampled && live ? new ArrayList<>() : null;
    for (int i = 0; i < arr.size(); i++) {
      JsonObject t = arr.getJsonObject(i);
      long id = t.getLong("id");
      log.trade(id);
      record.checkTrade(name, sym, id, t.getLong("t"), t.getDouble("p"), t.getDouble("q"));
      if (samples != null) {
        samples.add(new long[] {id, now});
      }
    }
    if (samples != null) {
      record.latency(sym, samples);
    }
  }

  private void error(JsonObject f) {
    String code = f.getString("code", "");
    record.error(name, code, f.encode());
    // every subscribe carries its series key as id ("BTCUSD|1s", "BTCUSD|trades"), echoed here
    String key = f.getValue("id") instanceof String id ? id : "";
    int bar = key.indexOf('|');
    if (bar < 0 || ws == null) {
      return;
    }
    String sym = key.substring(0, bar);
    String what = key.substring(bar + 1);
    if (code.endsWith("_unavailable") || "unknown_symbol".equals(code)) {
      // back off per series (0.5 s doubling to 8 s, or the server's hint if longer): retrying at
      // a fixed short interval turned one gateway's slow history into a storm of 70,000 retries
      long backoff = retryBackoff.merge(key, 500L, (a, b) -> Math.min(8_000L, a * 2));
      long delay = Math.max(backoff, f.getLong("retryAfterMs", 500L));
      WebSocket s = ws;
      vertx.setTimer(delay, t -> resubscribe(s, sym, "trades".equals(what) ? null : what));
    }
  }

  /** Drops a subscription that failed to start and takes it again with {@code since}. */
  private void resubscribe(WebSocket s, String sym, String tf) {
    if (closed || ws != s) {
      return;
    }
    record.resubscribed();
    if (tf == null) {
      resubscribing.put(sym + "|trades", true);
      s.writeTextMessage(
          new JsonObject()
              .put("type", "unsubscribe")
              .put("channel", "trades")
              .put("symbol", sym)
              .encode());
      subscribeTrades(sym);
    } else if (series.containsKey(sym + "|" + tf)) {
      resubscribing.put(sym + "|" + tf, true);
      s.writeTextMessage(
          new JsonObject().put("type", "unsubscribe").put("symbol", sym).put("tf", tf).encode());
      subscribeCandles(sym, tf);
    }
  }
}
