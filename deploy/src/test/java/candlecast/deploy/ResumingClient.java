package candlecast.deploy;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket client that behaves like a well-written application: it subscribes with the JSON
 * protocol, remembers the newest candle it has of each series, and when its connection drops it
 * reconnects — to its gateway or, if that one is gone, to the next — and resubscribes with {@code
 * since} = the open time it needs next. It records what it receives so that tests can check for
 * gaps, duplicates and values.
 *
 * <p>All state is touched on the client Vert.x's event loop of this client's context; the test
 * thread reads it through synchronized accessors.
 */
final class ResumingClient {
  static final long TF_MS = 1_000;

  final String name;
  private final Vertx vertx;
  private final List<Integer> ports;
  private final List<String> symbols;

  /**
   * JSON protocol with resume ({@code since}); false: the text protocol ({@code sub-1s:SYM}), no
   * resume.
   */
  private final boolean json;

  private final WebSocketClient wsClient;
  private int portIndex;
  private WebSocket ws;
  private volatile boolean closed;

  /** Per symbol: closed candles by open time, as first received closed. */
  private final Map<String, TreeMap<Long, JsonObject>> closedByT = new ConcurrentHashMap<>();

  /** Per symbol: the newest open time received and whether that candle was closed. */
  private final Map<String, long[]> newest = new ConcurrentHashMap<>();

  /** Per symbol: wall-clock ms of the last candle update received. */
  private final Map<String, Long> lastUpdateAt = new ConcurrentHashMap<>();

  final List<String> duplicates = new CopyOnWriteArrayList<>();
  final List<String> notRecovered = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();

  /** ms from a connection drop to the first candle frame on the new connection. */
  final List<Long> resumeTimesMs = new CopyOnWriteArrayList<>();

  private volatile long droppedAt = -1;
  private volatile int connectedPort = -1;
  volatile int reconnects;
  private long frames;
  private String lastFrame;

  ResumingClient(
      String name, Vertx vertx, List<Integer> ports, List<String> symbols, boolean json) {
    this.name = name;
    this.json = json;
    this.vertx = vertx;
    this.ports = List.copyOf(ports);
    this.symbols = List.copyOf(symbols);
    this.wsClient = vertx.createWebSocketClient();
  }

  void start() {
    vertx.runOnContext(v -> connect(0));
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

  int connectedPort() {
    return connectedPort;
  }

  private void connect(int attempt) {
    if (closed) {
      return;
    }
    int port = ports.get(portIndex % ports.size());
    wsClient
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .onSuccess(
            s -> {
              ws = s;
              connectedPort = port;
              s.textMessageHandler(this::onFrame);
              s.closeHandler(x -> dropped());
              s.exceptionHandler(err -> {});
              for (String sym : symbols) {
                if (!json) {
                  s.writeTextMessage("sub-1s:" + sym);
                  continue;
                }
                JsonObject sub =
                    new JsonObject().put("type", "subscribe").put("symbol", sym).put("tf", "1s");
                long[] n = newest.get(sym);
                if (n != null) {
                  sub.put("since", n[1] == 1 ? n[0] + TF_MS : n[0]);
                }
                s.writeTextMessage(sub.encode());
              }
            })
        .onFailure(
            err -> {
              // This gateway is gone: try the next one, backing off a little after a full round.
              portIndex++;
              long delay =
                  portIndex % ports.size() == 0 ? Math.min(1_000, 100L * (attempt + 1)) : 1;
              vertx.setTimer(delay, t -> connect(attempt + 1));
            });
  }

  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // only the client's event loop writes reconnects; the test reads
  // it
  private void dropped() {
    connectedPort = -1;
    if (closed) {
      return;
    }
    droppedAt = System.currentTimeMillis();
    reconnects++;
    vertx.setTimer(50, t -> connect(0));
  }

  private synchronized void onFrame(String text) {
    frames++;
    lastFrame = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    JsonObject f = new JsonObject(text);
    String type = f.getString("type");
    if ("snapshot".equals(type)) {
      String sym = f.getString("symbol");
      if (Boolean.FALSE.equals(f.getBoolean("recovered"))) {
        notRecovered.add(sym + " on reconnect to " + connectedPort);
      }
      JsonArray arr = f.getJsonArray("candles");
      for (int i = 0; i < arr.size(); i++) {
        candle(sym, arr.getJsonObject(i));
      }
      resumed();
    } else if ("candle".equals(type)) {
      candle(f.getString("symbol"), f);
      resumed();
    } else if ("error".equals(type)) {
      errors.add(f.encode());
    }
  }

  private void resumed() {
    if (droppedAt > 0) {
      resumeTimesMs.add(System.currentTimeMillis() - droppedAt);
      droppedAt = -1;
    }
  }

  private void candle(String sym, JsonObject c) {
    long t =
        c.getValue("t") instanceof Number n ? n.longValue() : c.getLong("unix_timestamp") * 1000;
    boolean isClosed = c.getBoolean("closed", false);
    lastUpdateAt.put(sym, System.currentTimeMillis());
    long[] n = newest.computeIfAbsent(sym, s -> new long[] {Long.MIN_VALUE, 0});
    if (t > n[0] || (t == n[0] && isClosed)) {
      n[0] = t;
      n[1] = isClosed ? 1 : 0;
    }
    if (isClosed) {
      TreeMap<Long, JsonObject> m = closedByT.computeIfAbsent(sym, s -> new TreeMap<>());
      JsonObject prev = m.putIfAbsent(t, values(c));
      if (prev != null) {
        duplicates.add(
            sym + "@" + t + (prev.equals(values(c)) ? " (same value)" : " (different value!)"));
      }
    }
  }

  /** The fields that must match history: OHLCV, trade count. */
  static JsonObject values(JsonObject c) {
    long t =
        c.getValue("t") instanceof Number n ? n.longValue() : c.getLong("unix_timestamp") * 1000;
    return new JsonObject()
        .put("t", t)
        .put("open", c.getDouble("open"))
        .put("high", c.getDouble("high"))
        .put("low", c.getDouble("low"))
        .put("close", c.getDouble("close"))
        .put("volume", c.getDouble("volume"))
        .put("trades", c.getLong("trades"));
  }

  @SuppressWarnings("NonApiType") // a private sorted copy; callers navigate it as the TreeMap it is
  synchronized TreeMap<Long, JsonObject> closed(String sym) {
    TreeMap<Long, JsonObject> m = closedByT.get(sym);
    return m == null ? new TreeMap<>() : new TreeMap<>(m);
  }

  /** Open times missing between the first and the last closed candle received. */
  synchronized List<Long> gaps(String sym) {
    List<Long> out = new ArrayList<>();
    TreeMap<Long, JsonObject> m = closed(sym);
    if (m.isEmpty()) {
      return out;
    }
    for (long t = m.firstKey(); t <= m.lastKey(); t += TF_MS) {
      if (!m.containsKey(t)) {
        out.add(t);
      }
    }
    return out;
  }

  long lastUpdateAt(String sym) {
    return lastUpdateAt.getOrDefault(sym, -1L);
  }

  /** State for failure messages. */
  synchronized String describe() {
    StringBuilder sb =
        new StringBuilder(name)
            .append(": port ")
            .append(connectedPort)
            .append(", reconnects ")
            .append(reconnects)
            .append(", frames ")
            .append(frames);
    for (String s : symbols) {
      sb.append(", ").append(s).append(" newest closed ").append(newestClosed(s));
    }
    if (!errors.isEmpty()) {
      sb.append(", errors ").append(errors);
    }
    return sb.append(", last frame ").append(lastFrame).toString();
  }

  /** Newest closed open time of a series, or -1. */
  synchronized long newestClosed(String sym) {
    TreeMap<Long, JsonObject> m = closedByT.get(sym);
    return m == null || m.isEmpty() ? -1 : m.lastKey();
  }
}
