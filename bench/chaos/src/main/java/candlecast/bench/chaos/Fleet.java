package candlecast.bench.chaos;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client fleet and the fault proxies in front of the gateways, on one Vert.x instance of the
 * harness: {@code wsClients} JSON-protocol clients and {@code sockJsClients} bridge clients spread
 * over the gateways (each follows two symbols), every tenth WebSocket client sampling latency.
 */
final class Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  final List<FaultProxy> proxies = new ArrayList<>();
  final List<WsClient> ws = new ArrayList<>();
  final List<SockJsClient> sockJs = new ArrayList<>();
  final FleetRecord record;

  Fleet(
      ChaosCluster cluster, GroundTruth gt, List<String> symbols, int wsClients, int sockJsClients)
      throws InterruptedException {
    record = new FleetRecord(gt);
    List<Integer> ports = new ArrayList<>();
    for (Member g : cluster.gateways) {
      FaultProxy p = new FaultProxy(vertx, g.httpPort + 10, g.host, g.httpPort);
      try {
        p.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("fault proxy cannot listen on " + p.port(), e);
      }
      proxies.add(p);
      ports.add(p.port());
    }
    for (int i = 0; i < wsClients; i++) {
      WsClient c =
          new WsClient("ws-" + i, vertx, ports, i % ports.size(), pick(symbols, i), record);
      if (i % 10 == 0) {
        c.sampleLatency();
      }
      ws.add(c);
    }
    for (int i = 0; i < sockJsClients; i++) {
      sockJs.add(new SockJsClient("sockjs-" + i, vertx, ports, i % ports.size(), pick(symbols, i)));
    }
  }

  private static List<String> pick(List<String> symbols, int i) {
    return List.of(
            symbols.get(i % symbols.size()),
            symbols.get((i + 1 + i / symbols.size()) % symbols.size()))
        .stream()
        .distinct()
        .toList();
  }

  void start() {
    ws.forEach(WsClient::start);
    sockJs.forEach(SockJsClient::start);
  }

  /** The proxy in front of a gateway. */
  FaultProxy proxyOf(Member gateway, ChaosCluster cluster) {
    return proxies.get(cluster.gateways.indexOf(gateway));
  }

  /**
   * Clients of which some 1s series got no closed candle after {@code sinceMs} (empty: every client
   * streams again).
   */
  List<String> stale(long sinceMs) {
    List<String> out = new ArrayList<>();
    for (WsClient c : ws) {
      for (SeriesLog s : c.series.values()) {
        if ("1s".equals(s.tf) && s.lastClosedAt <= sinceMs) {
          out.add(c.name + " " + s.symbol + " " + s.tf);
          break;
        }
      }
    }
    for (SockJsClient c : sockJs) {
      for (SeriesLog s : c.series.values()) {
        if (s.lastClosedAt <= sinceMs) {
          out.add(c.name + " " + s.symbol + " (bridge)");
          break;
        }
      }
    }
    return out;
  }

  private boolean stopped;

  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    ws.forEach(WsClient::close);
    sockJs.forEach(SockJsClient::close);
    List<Future<Void>> closing = new ArrayList<>();
    proxies.forEach(p -> closing.add(p.close()));
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("fleet did not close cleanly: {}", e.toString());
    }
  }
}
