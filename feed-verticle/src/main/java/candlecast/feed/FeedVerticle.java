package candlecast.feed;

import candlecast.common.Addresses;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed tier: runs the configured trade sources ({@link MockSource}, {@link BitstampSource}, {@link ReplaySource})
 * and writes what they produce through one ordered, bounded {@link KafkaTradeLog} to {@code trades} (and rejects to
 * {@code trades.dlq}). Each source has its own {@link TradeGate} (validation, de-duplication, watermark guarantee,
 * counters).
 *
 * <ul>
 *   <li>Sources: {@code feed.source} with {@code feed.symbols}; with bitstamp or replay, a non-empty
 *   {@code mock.symbols} runs the mock alongside for other symbols ({@link #plan}).</li>
 *   <li>Watermarks: every {@code feed.watermark-ms} (0 = off), each source that can promise one writes
 *   {@code {"symbol","watermark"}} for its symbols that wrote no trade in that interval.</li>
 *   <li>State: {@code candlecast.health.feed} answers {@link #health()}; the same JSON is published every second on
 *   {@code candlecast.status.feed}.</li>
 *   <li>Stop: sources stop first, then the log waits (at most {@link #STOP_TIMEOUT_MS}) for Kafka to acknowledge
 *   everything it took.</li>
 * </ul>
 */
public final class FeedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedVerticle.class);
  public static final String HEALTH_ADDRESS = Addresses.health("feed");
  public static final String STATUS_ADDRESS = Addresses.STATUS + ".feed";
  static final long STATUS_INTERVAL_MS = 1_000;
  static final long STOP_TIMEOUT_MS = 15_000;

  private final CandlecastConfig config;
  private final String bootstrapServers;
  private final List<TradeSource> sources = new ArrayList<>();
  private KafkaTradeLog log;
  /** Order books beside the trades, with their own writer ({@link BookFeed}). */
  private BookFeed books;
  private long watermarkTimer = -1;
  private long statusTimer = -1;

  public FeedVerticle(CandlecastConfig config, String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Which source produces which symbols: {@code feed.source} gets {@code feed.symbols}; the mock gets
   * {@code mock.symbols} if set (alongside bitstamp or replay), else {@code feed.symbols} when it is the source.
   *
   * @throws IllegalArgumentException for a configuration that cannot work, with the reason
   */
  static Map<String, List<String>> plan(CandlecastConfig config) {
    String main = config.get(Settings.FEED_SOURCE);
    List<String> symbols = config.get(Settings.FEED_SYMBOLS);
    List<String> mockSymbols = config.get(Settings.MOCK_SYMBOLS);
    Map<String, List<String>> plan = new LinkedHashMap<>();
    if ("mock".equals(main)) {
      plan.put("mock", mockSymbols.isEmpty() ? symbols : mockSymbols);
    } else {
      plan.put(main, symbols);
      if (!mockSymbols.isEmpty()) {
        Set<String> overlap = new LinkedHashSet<>(mockSymbols);
        overlap.retainAll(symbols);
        if (!overlap.isEmpty()) {
          throw new IllegalArgumentException("feed: " + overlap + " in both feed.symbols (" + main + ") and "
              + "mock.symbols; each symbol must come from one source");
        }
        plan.put("mock", mockSymbols);
      }
    }
    if ("replay".equals(main) && config.get(Settings.REPLAY_FILE).isBlank()) {
      throw new IllegalArgumentException("feed: feed.source is replay but no file is set "
          + "(CANDLECAST_REPLAY_FILE / replay.file)");
    }
    if ("bitstamp".equals(main) && symbols.size() > BitstampProtocol.MAX_CHANNELS) {
      throw new IllegalArgumentException("feed: " + symbols.size() + " symbols for bitstamp, but one connection "
          + "carries at most " + BitstampProtocol.MAX_CHANNELS + " channels");
    }
    if (config.get(Settings.BITSTAMP_BACKOFF_MAX_MS) < config.get(Settings.BITSTAMP_BACKOFF_MIN_MS)) {
      throw new IllegalArgumentException("feed: bitstamp.backoff-max-ms must be >= bitstamp.backoff-min-ms");
    }
    return plan;
  }

  @Override
  public Future<?> start() {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      return Future.failedFuture(new IllegalStateException("feed: Kafka bootstrap servers are empty"));
    }
    Map<String, List<String>> plan;
    try {
      plan = plan(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException(e.getMessage(), e));
    }
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrapServers));
    props.putAll(KafkaTradeLog.producerOverrides());
    props.put("client.id", "candlecast-feed");
    // The Kafka producer's constructor resolves the bootstrap addresses: build it off the event loop.
    return vertx.<Producer<String, byte[]>>executeBlocking(
            () -> new org.apache.kafka.clients.producer.KafkaProducer<>(props))
        .recover(e -> Future.failedFuture(new IllegalStateException("feed: cannot create a Kafka producer for "
            + bootstrapServers + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e)))
        .compose(p -> startSources(p, plan))
        .compose(v -> startBooks())
        .compose(v -> {
          MessageConsumer<JsonObject> health = vertx.eventBus().consumer(HEALTH_ADDRESS, msg -> msg.reply(health()));
          return health.completion();
        })
        .onSuccess(v -> startTimers(plan))
        .recover(e -> stopAll().transform(x -> Future.failedFuture(e)));
  }

  private Future<CompositeFuture> startSources(Producer<String, byte[]> producer, Map<String, List<String>> plan) {
    log = new KafkaTradeLog(context, producer, config.get(Settings.FEED_BUFFER_RECORDS));
    plan.forEach((name, symbols) -> sources.add(createSource(name, symbols)));
    List<Future<Void>> started = new ArrayList<>();
    for (TradeSource s : sources) {
      try {
        started.add(s.start());
      } catch (RuntimeException | LinkageError e) {
        // A source that throws instead of failing its future (e.g. a class missing from the runtime) must still fail
        // the deployment with a message that names it.
        started.add(Future.failedFuture(new IllegalStateException("feed: cannot start the " + s.name() + " source: "
            + e, e)));
      }
    }
    return Future.all(started);
  }

  /** The order books of the sources that have them ({@code feed.books}). */
  private Future<Void> startBooks() {
    books = new BookFeed(vertx, config);
    return books.start(bootstrapServers, sources);
  }

  /** Watermarks every {@code feed.watermark-ms} (if positive) and the state on the status address every second. */
  private void startTimers(Map<String, List<String>> plan) {
    long wm = config.get(Settings.FEED_WATERMARK_MS);
    if (wm > 0) {
      long quietNanos = TimeUnit.MILLISECONDS.toNanos(wm);
      watermarkTimer = vertx.setPeriodic(wm, id -> emitWatermarks(quietNanos));
    }
    statusTimer = vertx.setPeriodic(STATUS_INTERVAL_MS, id -> vertx.eventBus().publish(STATUS_ADDRESS, health()));
    LOG.info("feed started: {} to {} (buffer {} records, watermarks every {} ms)", plan, bootstrapServers,
        config.get(Settings.FEED_BUFFER_RECORDS), wm);
  }

  private TradeSource createSource(String name, List<String> symbols) {
    TradeGate gate = new TradeGate(name, log, config.get(Settings.FEED_DEDUPE_WINDOW),
        config.get(Settings.FEED_MAX_CLOCK_SKEW_MS));
    return switch (name) {
      case "mock" -> {
        long seed = config.get(Settings.FEED_SEED);
        if (seed == 0) {
          seed = System.nanoTime() ^ System.currentTimeMillis();
        }
        yield new MockSource(vertx, gate, symbols, Set.copyOf(config.get(Settings.MOCK_CURVE_SYMBOLS)),
            config.get(Settings.FEED_RATE), seed);
      }
      case "bitstamp" -> new BitstampSource(vertx, gate, symbols, new BitstampSource.Options(
          config.get(Settings.BITSTAMP_WS_URL), config.get(Settings.BITSTAMP_REST_URL),
          config.get(Settings.BITSTAMP_HEARTBEAT_MS), config.get(Settings.BITSTAMP_SILENCE_MS),
          config.get(Settings.BITSTAMP_BACKOFF_MIN_MS), config.get(Settings.BITSTAMP_BACKOFF_MAX_MS),
          config.get(Settings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS), config.get(Settings.BITSTAMP_WATERMARK_LAG_MS)),
          new Random());
      case "replay" -> new ReplaySource(vertx, gate, symbols, Path.of(config.get(Settings.REPLAY_FILE)),
          config.get(Settings.REPLAY_SPEED), config.get(Settings.REPLAY_LOOP), config.get(Settings.REPLAY_PROGRESS_MS));
      default -> throw new IllegalArgumentException("unknown feed source " + name);
    };
  }

  private void emitWatermarks(long quietNanos) {
    for (TradeSource s : sources) {
      long clock = s.watermarkClock();
      if (clock != TradeSource.NO_CLOCK) {
        s.gate().emitWatermarks(clock, quietNanos, s.symbols());
      }
    }
  }

  /** The feed's state: {@code {"status","source","sources":{name:{...}},"kafka":{...}}}. */
  public JsonObject health() {
    JsonObject bySource = new JsonObject();
    boolean up = log != null && !log.stalled();
    StringBuilder names = new StringBuilder();
    for (TradeSource s : sources) {
      bySource.put(s.name(), s.state());
      up &= s.healthy();
      names.append(names.length() == 0 ? "" : ",").append(s.name());
    }
    JsonObject j = new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("source", names.length() == 0 ? config.get(Settings.FEED_SOURCE) : names.toString())
        .put("sources", bySource);
    if (log != null) {
      j.put("kafka", log.stats());
    }
    if (books != null) {
      j.put("books", books.state());
    }
    return j;
  }

  /** Trades Kafka acknowledged on {@code trades} (tests and benchmarks). */
  long tradesSent() {
    return log == null ? 0 : log.tradesSent();
  }

  /** The order books (tests): its writer is the seam for deciding which feed instance writes books. */
  BookFeed books() {
    return books;
  }

  /** The running sources (tests and benchmarks). */
  List<TradeSource> sources() {
    return List.copyOf(sources);
  }

  @Override
  public Future<?> stop() {
    return stopAll().onComplete(ar -> LOG.info("feed stopped: {}", health().encode()));
  }

  private Future<Void> stopAll() {
    for (long t : new long[] {watermarkTimer, statusTimer}) {
      if (t >= 0) {
        vertx.cancelTimer(t);
      }
    }
    watermarkTimer = -1;
    statusTimer = -1;
    List<Future<Void>> stopping = new ArrayList<>();
    for (TradeSource s : sources) {
      stopping.add(s.stop().recover(e -> {
        LOG.warn("feed: stopping {} failed: {}", s.name(), e.toString());
        return Future.succeededFuture();
      }));
    }
    Future<Void> booksStopped = books == null ? Future.succeededFuture() : books.stop();
    return Future.join(stopping).transform(ar -> booksStopped)
        .transform(ar -> log == null ? Future.succeededFuture() : log.close(STOP_TIMEOUT_MS));
  }
}
