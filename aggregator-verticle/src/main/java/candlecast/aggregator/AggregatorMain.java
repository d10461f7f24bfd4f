package candlecast.aggregator;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.ConfigLoader;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Runs one stand-alone (non-clustered) aggregator against {@code
 * CANDLECAST_KAFKA_BOOTSTRAP_SERVERS}: used by the crash-recovery tests and benchmarks, which start
 * it as a separate JVM and kill it. Prints {@code READY} once deployed. The clustered role lives in
 * the launcher ({@code java -jar candlecast.jar aggregator --cluster}).
 */
public final class AggregatorMain {
  private AggregatorMain() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    CandlecastConfig config = ConfigLoader.load(vertx, null).await(30, TimeUnit.SECONDS);
    String bootstrap = config.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
    if (bootstrap.isBlank()) {
      System.err.println("candlecast aggregator: CANDLECAST_KAFKA_BOOTSTRAP_SERVERS is required");
      System.exit(2);
    }
    vertx.deployVerticle(new AggregatorVerticle(config, bootstrap)).await(60, TimeUnit.SECONDS);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx.close().await(30, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // exiting anyway
                  }
                }));
    System.out.println("READY");
    System.out.flush();
  }
}
