package candlecast.bench.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator JVM: opens WebSocket connections to a gateway's {@code /ws} in steps, each
 * subscribing with the text protocol ({@code sub-<tf>:<SYMBOL>} per series) and waiting for the
 * {@code subscribed} replies, then holds them (idle: it sends nothing; the server's pings are
 * answered by the client). Prints {@code HELD <n>} after each step and waits for a line on stdin.
 *
 * <p>Args: port step total series (e.g. "1m:BTCUSD")...
 */
public final class WsHolder {
  static final int IN_FLIGHT = 100;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int step = Integer.parseInt(args[1]);
    int total = Integer.parseInt(args[2]);
    List<String> series = List.of(args).subList(3, args.length);
    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(total + 10));
    List<WebSocket> held = new ArrayList<>();
    AtomicLong frames = new AtomicLong();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    System.out.println("HELD 0");
    while (held.size() < total && in.readLine() != null) {
      int n = Math.min(step, total - held.size());
      held.addAll(BusBench.await(open(client, port, n, series, frames)));
      System.out.println("HELD " + held.size() + " frames=" + frames.get());
    }
    in.readLine();
    System.exit(0);
  }

  /** {@code n} connections, at most IN_FLIGHT handshakes at a time, each subscribed to every series. */
  static Future<List<WebSocket>> open(
      WebSocketClient client, int port, int n, List<String> series, AtomicLong frames) {
    List<WebSocket> out = java.util.Collections.synchronizedList(new ArrayList<>());
    Promise<List<WebSocket>> done = Promise.promise();
    java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          if (started.getAndIncrement() >= n) {
            return;
          }
          connect(client, port, series, frames)
              .onComplete(
                  ar -> {
                    if (ar.failed()) {
                      done.tryFail(ar.cause());
                      return;
                    }
                    out.add(ar.result());
                    if (finished.incrementAndGet() == n) {
                      done.tryComplete(new ArrayList<>(out));
                    } else {
                      next[0].run();
                    }
                  });
        };
    for (int i = 0; i < Math.min(IN_FLIGHT, n); i++) {
      next[0].run();
    }
    return done.future();
  }

  static Future<WebSocket> connect(
      WebSocketClient client, int port, List<String> series, AtomicLong frames) {
    Promise<WebSocket> subscribed = Promise.promise();
    java.util.concurrent.atomic.AtomicInteger acks = new java.util.concurrent.atomic.AtomicInteger();
    return client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .compose(
            ws -> {
              ws.textMessageHandler(
                  t -> {
                    frames.incrementAndGet();
                    if (t.contains("\"subscribed\"") && acks.incrementAndGet() == series.size()) {
                      subscribed.tryComplete(ws);
                    } else if (t.contains("\"error\"")) {
                      subscribed.tryFail(t);
                    }
                  });
              for (String s : series) {
                ws.writeTextMessage("sub-" + s);
              }
              return subscribed.future();
            });
  }
}
