package candlecast.bench.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the SockJS event-bus bridge over its raw WebSocket transport ({@code
 * /eventbus/websocket}, the frames of {@code @vertx/eventbus-bridge-client.js}): registers {@code
 * candles.<SYM>.1s}, pings, and on a drop re-registers on the next gateway. The bridge has no
 * resume, so its holes are only counted; every closed candle it gets must still equal the oracle
 * and never take two values.
 */
final class SockJsClient {
  final String name;
  private final Vertx vertx;
  private final List<Integer> ports;
  private final List<String> symbols;
  private final WebSocketClient wsClient;
  private int portIndex;
  private WebSocket ws;
  private volatile boolean closed;
  private long lastFrameAt;
  final Map<String, SeriesLog> series = new LinkedHashMap<>();
  int reconnects;

  SockJsClient(String name, Vertx vertx, List<Integer> ports, int home, List<String> symbols) {
    this.name = name;
    this.vertx = vertx;
    this.ports = List.copyOf(ports);
    this.portIndex = home;
    this.symbols = List.copyOf(symbols);
    this.wsClient =
        vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(3_000));
    for (String s : symbols) {
      series.put(s, new SeriesLog(name, s, "1s", 1_000));
    }
  }

  void start() {
    vertx.runOnContext(
        v -> {
          connect();
          vertx.setPeriodic(
              2_000,
              t -> {
                if (ws == null) {
                  return;
                }
                if (System.currentTimeMillis() - lastFrameAt > WsClient.SILENCE_MS) {
                  WebSocket s = ws;
                  ws = null;
                  s.close();
                  dropped();
                } else {
                  ws.writeTextMessage("{\"type\":\"ping\"}");
                }
              });
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

  private void connect() {
    if (closed) {
      return;
    }
    int port = ports.get(Math.floorMod(portIndex, ports.size()));
    wsClient
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/eventbus/websocket"))
        .onSuccess(
            s -> {
              ws = s;
              lastFrameAt = System.currentTimeMillis();
              // the bridge sends its frames as binary WebSocket messages
              s.handler(
                  b -> {
                    if (ws == s) {
                      onFrame(b.toString());
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
              for (String sym : symbols) {
                series.get(sym).streamBreak("bridge (re)registration: no resume on the bus");
                JsonObject register =
                    new JsonObject()
                        .put("type", "register")
                        .put("address", "candles." + sym + ".1s");
                Long since = series.get(sym).since();
                if (since != null) { // the new session skips what this client already has
                  register.put("headers", new JsonObject().put("since", String.valueOf(since)));
                }
                s.writeTextMessage(register.encode());
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

  private void onFrame(String text) {
    lastFrameAt = System.currentTimeMillis();
    JsonObject f = new JsonObject(text);
    if (!"rec".equals(f.getString("type")) || !(f.getValue("body") instanceof JsonObject c)) {
      return;
    }
    if (!c.getBoolean("x", false)) {
      return;
    }
    SeriesLog log = series.get(c.getString("symbol"));
    if (log != null) {
      log.closedCandle(
          new OracleFold.Bar(
              c.getLong("t"),
              c.getDouble("o"),
              c.getDouble("h"),
              c.getDouble("l"),
              c.getDouble("c"),
              c.getDouble("v"),
              c.getLong("n")));
    }
  }
}
