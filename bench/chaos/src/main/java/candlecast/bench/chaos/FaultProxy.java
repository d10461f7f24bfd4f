package candlecast.bench.chaos;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on loopback in front of a member's port, for network cuts: while cut, nothing is
 * forwarded in either direction on any connection (the sockets are paused, so bytes wait in the
 * kernel and the peers see silence, as with a pulled cable — no reset), and new connections are
 * accepted but not connected upstream; healing resumes everything. All state lives on the proxy's
 * event loop.
 */
final class FaultProxy {
  private final Vertx vertx;
  private final int listenPort;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Context ctx;
  private NetServer server;
  private boolean cut;
  private final List<NetSocket[]> pairs = new ArrayList<>();
  private final List<NetSocket> waiting = new ArrayList<>();

  FaultProxy(Vertx vertx, int listenPort, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.listenPort = listenPort;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(3_000));
    this.ctx = vertx.getOrCreateContext();
  }

  Future<Void> start() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          server = vertx.createNetServer().connectHandler(this::accept);
          server.listen(listenPort, "127.0.0.1").<Void>mapEmpty().onComplete(p);
        });
    return p.future();
  }

  int port() {
    return listenPort;
  }

  private void accept(NetSocket down) {
    down.pause();
    if (cut) {
      waiting.add(down);
      down.closeHandler(v -> waiting.remove(down));
      return;
    }
    connectUpstream(down);
  }

  private void connectUpstream(NetSocket down) {
    client
        .connect(targetPort, targetHost)
        .onSuccess(
            up -> {
              NetSocket[] pair = {down, up};
              pairs.add(pair);
              down.handler(up::write);
              up.handler(down::write);
              down.closeHandler(v -> close(pair));
              up.closeHandler(v -> close(pair));
              down.exceptionHandler(e -> close(pair));
              up.exceptionHandler(e -> close(pair));
              if (cut) {
                up.pause();
              } else {
                down.resume();
              }
            })
        .onFailure(e -> down.close());
  }

  private void close(NetSocket[] pair) {
    if (pairs.remove(pair)) {
      pair[0].close();
      pair[1].close();
    }
  }

  /** Cuts the link: runs on the proxy's context, completes when in force. */
  Future<Void> cut() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          cut = true;
          for (NetSocket[] pair : pairs) {
            pair[0].pause();
            pair[1].pause();
          }
          p.complete();
        });
    return p.future();
  }

  /** Heals the link: every paused connection flows again, waiting ones are connected. */
  Future<Void> heal() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          cut = false;
          for (NetSocket[] pair : pairs) {
            pair[0].resume();
            pair[1].resume();
          }
          List<NetSocket> w = new ArrayList<>(waiting);
          waiting.clear();
          w.forEach(this::connectUpstream);
          p.complete();
        });
    return p.future();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
