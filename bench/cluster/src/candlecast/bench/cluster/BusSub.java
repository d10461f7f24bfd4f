package candlecast.bench.cluster;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.deploy.ClusterSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A gateway-like node: joins the cluster like a gateway JVM and registers one event-bus consumer per
 * series it carries (as the gateway's Subscriptions does: one per (symbol, tf) with subscribers).
 * Each update's latency = receipt - the publisher's send time (System.nanoTime, one clock on Linux)
 * carried in the candle's {@code n}. Answers {@code limits.sub.<id>} with its figures.
 *
 * <p>Args: id hazelcastPort seed symbols
 */
public final class BusSub {
  private final Histogram latency = new Histogram(60_000_000_000L, 3);
  private long count;
  private long firstNanos = -1;
  private long cpu0 = BusNodes.cpuNanos();
  private long[] io0 = BusNodes.ioChars();

  public static void main(String[] args) {
    String id = args[0];
    int port = Integer.parseInt(args[1]);
    String seed = args[2];
    int symbols = Integer.parseInt(args[3]);
    new BusSub().run(id, port, seed, symbols);
  }

  private void run(String id, int port, String seed, int symbols) {
    long t0 = System.nanoTime();
    long heap0 = BusNodes.heapAfterGc();
    BusNodes.join(port, seed)
        .compose(
            c -> {
              long joinNs = System.nanoTime() - t0;
              long heapJoined = BusNodes.heapAfterGc();
              long r0 = System.nanoTime();
              return register(c.vertx(), symbols)
                  .compose(v -> control(c, id))
                  .map(
                      v -> {
                        long regNs = System.nanoTime() - r0;
                        long heapSeries = BusNodes.heapAfterGc();
                        System.out.printf(
                            "READY %s joinMs=%d registerMs=%d heapBase=%d heapJoined=%d heapSeries=%d%n",
                            id, joinNs / 1_000_000, regNs / 1_000_000, heap0, heapJoined, heapSeries);
                        System.out.flush();
                        return v;
                      });
            })
        .onFailure(
            e -> {
              System.out.println("FAILED " + id + " " + e);
              System.exit(1);
            });
  }

  /** One consumer per series; completes when every registration has reached the cluster. */
  private Future<Void> register(Vertx vertx, int symbols) {
    List<Future<Void>> done = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      for (Timeframe tf : Timeframe.LIST) {
        done.add(
            vertx
                .eventBus()
                .<JsonObject>consumer(Addresses.candles(BusNodes.symbol(s), tf), this::onUpdate)
                .completion());
      }
    }
    return Future.all(done).mapEmpty();
  }

  private void onUpdate(Message<JsonObject> m) {
    long now = System.nanoTime();
    long sent = m.body().getLong("n");
    latency.recordValue(Math.max(0, now - sent));
    if (count++ == 0) {
      firstNanos = now;
    }
  }

  private Future<Void> control(ClusterSetup.Clustered c, String id) {
    return c.vertx()
        .eventBus()
        .<JsonObject>consumer(
            "limits.sub." + id,
            m -> {
              if ("exit".equals(m.body().getString("op"))) {
                m.reply(new JsonObject());
                c.vertx().close().onComplete(v -> System.exit(0));
                return;
              }
              m.reply(report());
            })
        .completion();
  }

  /** The figures since the previous report, then a reset. */
  private JsonObject report() {
    long cpu = BusNodes.cpuNanos();
    long[] io = BusNodes.ioChars();
    JsonObject r =
        new JsonObject()
            .put("count", count)
            .put("p50us", latency.getValueAtPercentile(50) / 1000)
            .put("p99us", latency.getValueAtPercentile(99) / 1000)
            .put("maxus", latency.getMaxValue() / 1000)
            .put("cpuNs", cpu - cpu0)
            .put("rchar", io[0] - io0[0])
            .put("wchar", io[1] - io0[1])
            .put("firstNanos", firstNanos);
    latency.reset();
    count = 0;
    cpu0 = cpu;
    io0 = io;
    return r;
  }
}
