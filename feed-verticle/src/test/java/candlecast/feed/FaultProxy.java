package candlecast.feed;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of the fake exchange, for faults the exchange cannot make
 * itself: {@link #cut()} closes every proxied connection abruptly (TCP close, no WebSocket close
 * frame) and {@link #block(boolean)} refuses new connections.
 */
final class FaultProxy {
  private final Context context;
  private final NetServer server;
  private final NetClient client;
  private final int targetPort;
  private final List<NetSocket> sockets = new ArrayList<>();
  private volatile boolean blocked;
  private final AtomicInteger accepted = new AtomicInteger();

  private FaultProxy(Context context, NetServer server, NetClient client, int targetPort) {
    this.context = context;
    this.server = server;
    this.client = client;
    this.targetPort = targetPort;
  }

  static FaultProxy start(Vertx vertx, int targetPort) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    CompletableFuture<FaultProxy> cf = new CompletableFuture<>();
    ctx.runOnContext(
        v -> {
          NetServer server = vertx.createNetServer();
          FaultProxy p = new FaultProxy(ctx, server, vertx.createNetClient(), targetPort);
          server
              .connectHandler(p::accept)
              .listen(0, "127.0.0.1")
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      cf.complete(p);
                    } else {
                      cf.completeExceptionally(ar.cause());
                    }
                  });
        });
    return cf.get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  int accepted() {
    return accepted.get();
  }

  private void accept(NetSocket in) {
    if (blocked) {
      in.close();
      return;
    }
    accepted.incrementAndGet();
    in.pause();
    client
        .connect(targetPort, "127.0.0.1")
        .onComplete(
            ar -> {
              if (ar.failed()) {
                in.close();
                return;
              }
              NetSocket out = ar.result();
              sockets.add(in);
              sockets.add(out);
              in.handler(out::write);
              out.handler(in::write);
              in.closeHandler(v -> out.close());
              out.closeHandler(v -> in.close());
              in.resume();
            });
  }

  /** Closes every proxied connection at the TCP level. */
  void cut() throws Exception {
    CompletableFuture<Void> cf = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          for (NetSocket s : sockets) {
            s.close();
          }
          sockets.clear();
          cf.complete(null);
        });
    cf.get(10, TimeUnit.SECONDS);
  }

  /** While blocked, new connections are closed as soon as they are accepted. */
  void block(boolean b) {
    blocked = b;
  }

  void close() {
    server.close();
    client.close();
  }
}
