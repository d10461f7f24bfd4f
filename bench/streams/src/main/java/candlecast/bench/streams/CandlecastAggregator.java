package candlecast.bench.streams;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.common.config.CandlecastConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Us: one Candlecast aggregator (the real {@link AggregatorVerticle} with default settings: fold
 * loop, candles topic, checkpoints, history, event-bus publishing) on its own Vert.x. Usage: {@code
 * java -cp bench-streams.jar candlecast.bench.streams.CandlecastAggregator BOOTSTRAP}; runs until
 * SIGTERM.
 */
public final class CandlecastAggregator {
  private static final Logger LOG = LoggerFactory.getLogger(CandlecastAggregator.class);

  private CandlecastAggregator() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx.close().await(20, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    LOG.warn("close: {}", e.toString());
                  }
                  done.countDown();
                }));
    vertx
        .deployVerticle(new AggregatorVerticle(CandlecastConfig.defaults(), args[0]))
        .await(60, TimeUnit.SECONDS);
    done.await();
  }
}
