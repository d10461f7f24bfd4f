package candlecast.feed;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The feed tier: takes trades from a source and writes them to Kafka's {@code trades} topic through a
 * {@link TradePublisher} (validation, DLQ, counters). Only the {@code mock} source exists so far: a
 * {@link MockTradeGenerator} driven by a timer that emits, per tick, every trade due at {@code feed.rate} trades per
 * second per symbol, with event times spread over the tick.
 *
 * <p>Settings: {@code feed.source}, {@code feed.symbols}, {@code feed.rate}, {@code feed.seed} (0 = from the clock).
 * Answers {@code candlecast.health.feed} with {@link FeedStats#toHealthJson}. Stopping flushes and closes the producer,
 * so every trade handed to Kafka is acknowledged (or counted as a send error) before undeploy completes.
 */
public final class FeedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedVerticle.class);
  public static final String HEALTH_ADDRESS = "candlecast.health.feed";
  /** Timer period of the mock source. */
  static final long TICK_MS = 50;

  private final CandlecastConfig config;
  private final String bootstrapServers;
  private String source;
  private KafkaProducer<String, byte[]> producer;
  private TradePublisher publisher;
  private MockTradeGenerator generator;
  private List<String> symbols;
  private double rate;
  private long timerId = -1;
  private long startNanos;
  private long emittedPerSymbol;
  private long lastTickMs;
  private boolean throttled;

  public FeedVerticle(CandlecastConfig config, String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  @Override
  public Future<?> start() {
    source = config.get(Settings.FEED_SOURCE);
    if (!"mock".equals(source)) {
      return Future.failedFuture(new IllegalStateException("feed source " + source + " is not available yet"
          + " (available: mock)"));
    }
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      return Future.failedFuture(new IllegalStateException("feed: Kafka bootstrap servers are empty"));
    }
    symbols = List.copyOf(config.get(Settings.FEED_SYMBOLS));
    if (symbols.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("feed: no symbols configured (feed.symbols)"));
    }
    rate = config.get(Settings.FEED_RATE);
    long seed = config.get(Settings.FEED_SEED);
    if (seed == 0) {
      seed = System.nanoTime() ^ System.currentTimeMillis();
    }
    generator = new MockTradeGenerator(seed, System.currentTimeMillis() * 1000);
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrapServers));
    props.put("client.id", "candlecast-feed");
    long effectiveSeed = seed;
    // The Kafka producer's constructor resolves the bootstrap addresses: build it off the event loop.
    return vertx.<org.apache.kafka.clients.producer.Producer<String, byte[]>>executeBlocking(
            () -> new org.apache.kafka.clients.producer.KafkaProducer<>(props))
        .recover(e -> Future.failedFuture(new IllegalStateException("feed: cannot create a Kafka producer for "
            + bootstrapServers + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e)))
        .compose(p -> {
          producer = KafkaProducer.create(vertx, p);
          publisher = new TradePublisher(producer);
          MessageConsumer<JsonObject> health = vertx.eventBus().consumer(HEALTH_ADDRESS,
              msg -> msg.reply(publisher.stats().toHealthJson(source)));
          return health.completion();
        })
        .onSuccess(v -> {
          startNanos = System.nanoTime();
          lastTickMs = System.currentTimeMillis();
          timerId = vertx.setPeriodic(TICK_MS, id -> tick());
          LOG.info("feed: mock source, " + symbols + " at " + rate + " trades/s each, seed " + effectiveSeed
              + ", to " + bootstrapServers);
        })
        .onFailure(e -> {
          if (producer != null) {
            producer.close();
          }
        });
  }

  /** Emits, for every symbol, the trades due since the last tick (at most one second's worth). */
  private void tick() {
    long now = Math.max(System.currentTimeMillis(), lastTickMs);
    long due = (long) Math.floor(rate * (System.nanoTime() - startNanos) / 1e9) - emittedPerSymbol;
    if (due <= 0) {
      return;
    }
    if (publisher.writeQueueFull()) {
      // Kafka is not keeping up (or is down): drop this tick's trades rather than pile them up in memory.
      if (!throttled) {
        LOG.warn("feed: Kafka producer queue full, pausing the mock source");
        throttled = true;
      }
      emittedPerSymbol += due;
      lastTickMs = now;
      return;
    }
    if (throttled) {
      LOG.info("feed: Kafka producer queue drained, mock source resumed");
      throttled = false;
    }
    long maxBatch = Math.max(1, (long) Math.ceil(rate));
    if (due > maxBatch) {
      emittedPerSymbol += due - maxBatch;
      due = maxBatch;
    }
    long from = lastTickMs;
    for (long i = 1; i <= due; i++) {
      long t = from + (now - from) * i / due;
      for (String symbol : symbols) {
        publisher.publish(generator.next(symbol, t));
      }
    }
    emittedPerSymbol += due;
    lastTickMs = now;
  }

  @Override
  public Future<?> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (producer == null) {
      return Future.succeededFuture();
    }
    // flush() waits for every record already handed to the producer; close() then releases it.
    return producer.flush()
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("feed: flush failed: " + ar.cause());
          }
          return producer.close();
        })
        .onComplete(ar -> LOG.info("feed stopped: " + publisher.stats()));
  }

  /** The counters (also after undeploy); empty before start. */
  public FeedStats stats() {
    TradePublisher p = publisher;
    return p == null ? new FeedStats(0, 0, 0, 0, 0, 0, false, null) : p.stats();
  }
}
