package candlecast.bench.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON {@code /ws} client of one owner's {@code alerts} channel, as a careful application: when
 * its connection drops (or stays silent despite pings for {@link WsClient#SILENCE_MS}) it connects
 * to the next gateway and subscribes with {@code since} = the largest {@code recordedAt} it has
 * seen; an {@code alerts_unavailable} answer (the catch-up failed: a break the protocol announces)
 * is counted and the subscription taken again with {@code since}. Every fire received is kept in
 * arrival order. Event-loop confined; read after {@link #close()}.
 */
final class AlertClient {
  final String name;
  private final Vertx vertx;
  private final List<Integer> ports;
  private final String owner;
  private final WebSocketClient wsClient;
  private int portIndex;
  private WebSocket ws;
  private volatile boolean closed;
  private long lastFrameAt;
  private long backoff = 250;

  /** Every fire frame received, in order. */
  final List<JsonObject> fires = new ArrayList<>();

  /** Fire id → how many times received. */
  final Map<String, Integer> received = new LinkedHashMap<>();

  /** The announced breaks (error frames answering the subscription), with their text. */
  final List<String> breaks = new ArrayList<>();

  long since;
  int reconnects;
  int subscribed;

  /**
   * {@code since}: the first subscription's too (the time the alerts began to be created, so a fire
   * recorded before this client first subscribed still reaches it, as it would an application that
   * asks for everything since its alerts exist).
   */
  AlertClient(String name, Vertx vertx, List<Integer> ports, int home, String owner, long since) {
    this.since = since;
    this.name = name;
    this.vertx = vertx;
    this.ports = List.copyOf(ports);
    this.portIndex = home;
    this.owner = owner;
    this.wsClient =
        vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(3_000));
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

  private void watchdog() {
    long quiet = System.currentTimeMillis() - lastFrameAt;
    if (closed || ws == null) {
      return;
    }
    if (quiet > WsClient.PING_AFTER_MS && quiet <= WsClient.SILENCE_MS) {
      ws.writeTextMessage("{\"type\":\"ping\"}");
    } else if (quiet > WsClient.SILENCE_MS) {
      WebSocket s = ws;
      ws = null;
      s.close();
      dropped();
    }
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
                .setURI("/ws?owner=" + owner))
        .onSuccess(
            s -> {
              ws = s;
              lastFrameAt = System.currentTimeMillis();
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
              subscribe(s);
            })
        .onFailure(
            err -> {
              portIndex++;
              vertx.setTimer(200, t -> connect());
            });
  }

  private void subscribe(WebSocket s) {
    JsonObject sub = new JsonObject().put("type", "subscribe").put("channel", "alerts");
    if (since >= 0) {
      sub.put("since", since);
    }
    s.writeTextMessage(sub.put("id", "alerts").encode());
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
    switch (f.getString("type", "")) {
      case "alert" -> fire(f);
      case "subscription" -> {
        if ("subscribed".equals(f.getString("status"))) {
          subscribed++;
          backoff = 250;
        }
      }
      case "error" -> error(f);
      default -> {}
    }
  }

  private void fire(JsonObject f) {
    fires.add(f);
    received.merge(f.getString("fire", ""), 1, Integer::sum);
    since = Math.max(since, f.getLong("recordedAt", since));
  }

  /**
   * A failed subscribe (no subscription) or a failed catch-up (the gateway went live without the
   * missed fires): either way the client takes the subscription again with {@code since}.
   */
  private void error(JsonObject f) {
    if (!"alerts".equals(f.getValue("id")) || ws == null) {
      return;
    }
    breaks.add(name + ": " + f.getString("code") + " " + f.getString("message"));
    WebSocket s = ws;
    long delay = backoff;
    backoff = Math.min(8_000, backoff * 2);
    vertx.setTimer(
        delay,
        t -> {
          if (closed || ws != s) {
            return;
          }
          s.writeTextMessage("{\"type\":\"unsubscribe\",\"channel\":\"alerts\"}");
          subscribe(s);
        });
  }
}
