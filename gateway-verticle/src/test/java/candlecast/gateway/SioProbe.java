package candlecast.gateway;

import static org.awaitility.Awaitility.await;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/**
 * A real Socket.IO v4 client (the Java {@code io.socket:socket.io-client}) that records every event
 * it receives, in order.
 */
final class SioProbe implements AutoCloseable {
  /** One received event: its name and its first argument as JSON. */
  record Event(String name, JsonObject body) {}

  final Socket socket;
  final List<Event> events = new CopyOnWriteArrayList<>();
  final List<String> connectErrors = new CopyOnWriteArrayList<>();

  /** The engine.io transports the client opened, in order. */
  final List<String> transports = new CopyOnWriteArrayList<>();

  private SioProbe(Socket socket) {
    this.socket = socket;
    for (String name :
        List.of(
            "connection_response",
            "data_response",
            "data_error",
            "data_status",
            "batch_progress",
            "batch_response",
            "batch_error")) {
      socket.on(name, args -> events.add(new Event(name, json(args))));
    }
    socket.on(
        Socket.EVENT_CONNECT_ERROR, args -> connectErrors.add(args.length > 0 ? "" + args[0] : ""));
  }

  /**
   * Connects with the given transports ("polling", "websocket"), optional Origin header and auth
   * object; does not wait.
   */
  static SioProbe open(int port, String[] transports, String origin, Map<String, String> auth) {
    IO.Options o = new IO.Options();
    o.transports = transports;
    o.reconnection = false;
    o.forceNew = true;
    o.timeout = 10_000;
    if (origin != null) {
      o.extraHeaders = Map.of("Origin", List.of(origin));
    }
    if (auth != null) {
      o.auth = auth;
    }
    Socket s = IO.socket(URI.create("http://127.0.0.1:" + port), o);
    SioProbe p = new SioProbe(s);
    s.io()
        .on(
            io.socket.client.Manager.EVENT_TRANSPORT,
            args -> p.transports.add(((io.socket.engineio.client.Transport) args[0]).name));
    s.connect();
    return p;
  }

  /** Connects and waits for {@code connection_response}. */
  static SioProbe connect(int port, String... transports) {
    SioProbe p = open(port, transports, null, null);
    p.awaitEvent("connection_response", 1);
    return p;
  }

  void emit(String event, JsonObject body) {
    socket.emit(event, new JSONObject(body.encode()));
  }

  /** Emits with an acknowledgement callback; completes with the acknowledgement's argument. */
  CompletableFuture<JsonObject> ask(String event, JsonObject body) {
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    socket.emit(
        event, new Object[] {new JSONObject(body.encode())}, (Ack) args -> f.complete(json(args)));
    return f;
  }

  List<Event> of(String name) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (e.name().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Waits until {@code n} events named {@code name} arrived; returns the last one. */
  JsonObject awaitEvent(String name, int n) {
    await().atMost(Duration.ofSeconds(15)).until(() -> of(name).size() >= n);
    return of(name).get(n - 1).body();
  }

  /** Waits for the next event named one of {@code names} after the first {@code seen} events. */
  Event next(int seen) {
    await().atMost(Duration.ofSeconds(15)).until(() -> events.size() > seen);
    return events.get(seen);
  }

  private static JsonObject json(Object[] args) {
    if (args.length == 0 || args[0] == null) {
      return new JsonObject();
    }
    return new JsonObject(args[0].toString());
  }

  @Override
  public void close() {
    socket.disconnect();
    socket.close();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !socket.connected());
  }
}
