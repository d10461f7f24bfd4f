package candlecast.bench;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.gateway.GatewayDeployment;
import candlecast.gateway.GatewayMetrics;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the fan-out benchmark: one gateway node (production settings except the
 * connection limits) plus a publisher standing in for the aggregator, which publishes {@code
 * candles.BTCUSD.1s} updates at a set rate with the send time (epoch µs) in the candle's trade
 * count. An admin HTTP port (gateway port + 1) lets the load generator set the rate and read the
 * heap after a GC and the process CPU time. {@code /trades?n=&burst=} and {@code /book?n=} drive
 * the trades and book channels instead ({@link TapePublisher}).
 *
 * <pre>java -cp bench-fanout.jar candlecast.bench.BenchServer [port]</pre>
 */
public final class BenchServer {
  private static volatile double rate; // updates per second
  private static long seq;

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
    Vertx vertx = Vertx.builder().with(GatewayMetrics.vertxOptions()).build();
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.HTTP_HOST, "0.0.0.0")
            .with(Settings.HTTP_PORT, port)
            .with(Settings.GATEWAY_MAX_CONNECTIONS, 19_000)
            .with(Settings.GATEWAY_CONNECTIONS_PER_SECOND, 1e6)
            .with(Settings.GATEWAY_CONNECTIONS_BURST, 1_000_000)
            .with(Settings.GATEWAY_INSTANCES, Integer.getInteger("instances", 0));
    // gateway.instances event loops sharing the port (here one per core unless -Dinstances=N)
    GatewayDeployment.deploy(vertx, config, g -> g).await(30, TimeUnit.SECONDS);
    // the publisher: one tick per ms publishes as many updates as the rate owes
    TapePublisher tape = new TapePublisher(vertx);
    long[] started = {System.nanoTime(), 0};
    vertx.setPeriodic(
        1,
        id -> {
          double r = rate;
          if (r <= 0) {
            started[0] = System.nanoTime();
            started[1] = 0;
            return;
          }
          long owed = (long) ((System.nanoTime() - started[0]) / 1e9 * r) - started[1];
          for (long i = 0; i < Math.min(owed, 1000); i++) {
            Instant now = Instant.now();
            long us = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
            long t =
                (seq++ / 10)
                    * 1000L; // a new 1 s window every 10 updates, each closed when the next opens
            Candle c =
                new Candle(
                    "BTCUSD",
                    Timeframe.S1,
                    1_700_000_000_000L + t,
                    100,
                    101,
                    99,
                    100.5,
                    1.0,
                    us,
                    false);
            vertx
                .eventBus()
                .publish(Addresses.candles("BTCUSD", Timeframe.S1), CandleCodec.toJson(c));
            started[1]++;
          }
        });
    vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              switch (req.path()) {
                case "/rate" -> {
                  rate = Double.parseDouble(req.getParam("n"));
                  req.response().end("rate " + rate + "\n");
                }
                case "/trades" -> {
                  double n = Double.parseDouble(req.getParam("n"));
                  long burst =
                      Long.parseLong(
                          req.params().get("burst") == null ? "10" : req.getParam("burst"));
                  tape.trades(n, burst);
                  req.response().end("trades " + n + "/s every " + burst + " ms\n");
                }
                case "/book" -> {
                  double n = Double.parseDouble(req.getParam("n"));
                  tape.books(n);
                  req.response().end("books " + n + "/s\n");
                }
                case "/heap" ->
                    vertx
                        .executeBlocking(
                            () -> {
                              for (int i = 0; i < 4; i++) {
                                System.gc();
                              }
                              return ManagementFactory.getMemoryMXBean()
                                  .getHeapMemoryUsage()
                                  .getUsed();
                            })
                        .onSuccess(used -> req.response().end(String.valueOf(used)));
                case "/cpu" ->
                    req.response()
                        .end(
                            String.valueOf(
                                ((com.sun.management.OperatingSystemMXBean)
                                        ManagementFactory.getOperatingSystemMXBean())
                                    .getProcessCpuTime()));
                default -> req.response().setStatusCode(404).end();
              }
            })
        .listen(port + 1, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    System.out.println("bench server ready on " + port + " (admin " + (port + 1) + ")");
  }
}
