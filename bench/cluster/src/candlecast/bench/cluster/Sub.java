package candlecast.bench.cluster;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The driver's handle on one {@link BusSub} JVM. */
final class Sub implements AutoCloseable {
  final String id;
  final Jvm jvm;
  final long spawnNanos;
  private final BusBench bench;

  private Sub(BusBench bench, String id, Jvm jvm, long spawnNanos) {
    this.bench = bench;
    this.id = id;
    this.jvm = jvm;
    this.spawnNanos = spawnNanos;
  }

  static Sub start(BusBench b, String id) throws Exception {
    List<String> jvmArgs = new ArrayList<>(BusBench.SUB_JVM);
    jvmArgs.add("-cp");
    jvmArgs.add(System.getProperty("java.class.path"));
    jvmArgs.add("-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""));
    long t = System.nanoTime();
    Jvm j =
        Jvm.start(
            id,
            jvmArgs,
            List.of(BusSub.class.getName(), id, String.valueOf(b.nextPort++), b.seed,
                String.valueOf(b.symbols)),
            Map.of(),
            b.out.resolve(id + ".log"));
    return new Sub(b, id, j, t);
  }

  /** The READY line's figures (join, registration, heap per series). */
  JsonObject awaitReady() throws Exception {
    String l = jvm.await("READY", 120_000);
    long series = (long) bench.symbols * candlecast.common.Timeframe.COUNT;
    return new JsonObject()
        .put("id", id)
        .put("spawnToReadyMs", (System.nanoTime() - spawnNanos) / 1_000_000)
        .put("joinMs", Jvm.field(l, "joinMs"))
        .put("registerMs", Jvm.field(l, "registerMs"))
        .put("series", series)
        .put("heapJoinCostBytes", Jvm.field(l, "heapJoined") - Jvm.field(l, "heapBase"))
        .put("heapPerSeriesBytes", (double) (Jvm.field(l, "heapSeries") - Jvm.field(l, "heapJoined")) / series);
  }

  /** Figures since the previous report (the node resets them). */
  JsonObject report() throws Exception {
    Message<JsonObject> m =
        BusBench.await(
            bench.node.vertx().eventBus()
                .<JsonObject>request("limits.sub." + id, new JsonObject(),
                    new DeliveryOptions().setSendTimeout(10_000)));
    return m.body().put("id", id);
  }

  /** Leaves the cluster gracefully (Vert.x close, Hazelcast leave) and exits. */
  void leave() throws Exception {
    BusBench.await(
        bench.node.vertx().eventBus()
            .request("limits.sub." + id, new JsonObject().put("op", "exit"),
                new DeliveryOptions().setSendTimeout(10_000)));
  }

  @Override
  public void close() throws InterruptedException {
    jvm.close();
  }
}
