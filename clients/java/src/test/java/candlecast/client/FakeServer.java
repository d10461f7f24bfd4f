package candlecast.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted JSON-protocol server on loopback: the test reads what the client sends and writes what
 * it wants.
 */
final class FakeServer implements AutoCloseable {
  /** One accepted WebSocket. */
  static final class Conn {
    final ServerWebSocket ws;
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    Conn(ServerWebSocket ws) {
      this.ws = ws;
    }

    void send(String text) {
      ws.writeTextMessage(text);
    }

    /** The next command the client sent that is not a ping. */
    com.fasterxml.jackson.databind.JsonNode next() throws InterruptedException {
      while (true) {
        String s = received.poll(10, TimeUnit.SECONDS);
        if (s == null) {
          throw new AssertionError("the client sent nothing within 10 s");
        }
        com.fasterxml.jackson.databind.JsonNode n = Json.parse(s);
        if (!"ping".equals(n.path("type").asText())) {
          return n;
        }
      }
    }

    void close(short code) {
      ws.close(code, "test");
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
  volatile boolean answerPings = true;

  /** The {@code timestamp} of the {@code connection} frame each new socket gets first. */
  volatile long welcomeTimestamp = 1;

  FakeServer() throws Exception {
    server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  Conn c = new Conn(ws);
                  ws.textMessageHandler(
                      t -> {
                        if (answerPings && t.contains("\"ping\"")) {
                          ws.writeTextMessage("{\"type\":\"pong\",\"timestamp\":1}");
                        }
                        c.received.add(t);
                      });
                  ws.writeTextMessage(
                      "{\"type\":\"connection\",\"status\":\"connected\",\"timestamp\":"
                          + welcomeTimestamp
                          + "}");
                  connections.add(c);
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  String url() {
    return "ws://127.0.0.1:" + server.actualPort() + "/ws";
  }

  Conn accept() throws InterruptedException {
    Conn c = connections.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection within 10 s");
    }
    return c;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
