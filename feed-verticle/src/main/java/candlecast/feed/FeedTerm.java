package candlecast.feed;

import candlecast.common.Addresses;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership term of the feed: the sources of the plan, each behind its {@link TradeGate},
 * writing through one transactional {@link KafkaTradeLog}, from where the log stood when the term
 * began. A term ends when the lease is lost, the producer is fenced or the feed stops; the next
 * term (here or on another instance) starts again from the log's tail. Runs on the feed's context.
 */
final class FeedTerm {
  private static final Logger LOG = LoggerFactory.getLogger(FeedTerm.class);
  static final long REPLAY_STATUS_MS = 1_000;

  private final Vertx vertx;
  private final CandlecastConfig config;
  private final List<TradeSource> sources = new ArrayList<>();
  private final KafkaTradeLog log;
  private final String bootstrap;

  /**
   * Order books beside the trades, written by the leader only, with their own writer ({@link
   * BookFeed}).
   */
  private final BookFeed books;

  private long watermarkTimer = -1;
  private long replayStatusTimer = -1;
  private MessageConsumer<Object> replayControls;

  /**
   * @param producer transactional, {@code initTransactions} done (this term's epoch fences every
   *     earlier one)
   * @param positions where the log stands per symbol
   * @param onFatal runs (on the context) when the producer can write no more
   */
  FeedTerm(
      Vertx vertx,
      Context context,
      CandlecastConfig config,
      String bootstrap,
      Map<String, List<String>> plan,
      Producer<String, byte[]> producer,
      Map<String, LogTail.Position> positions,
      Consumer<Throwable> onFatal) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
    this.books = new BookFeed(vertx, config);
    this.config = config;
    this.log =
        new KafkaTradeLog(context, producer, config.get(Settings.FEED_BUFFER_RECORDS), onFatal);
    plan.forEach((name, symbols) -> sources.add(createSource(name, symbols, positions)));
  }

  /**
   * Starts the sources and the watermark timer; fails (naming the source) when a source cannot
   * start.
   */
  Future<Void> start() {
    List<Future<Void>> started = new ArrayList<>();
    for (TradeSource s : sources) {
      try {
        started.add(s.start());
      } catch (RuntimeException | LinkageError e) {
        // A source that throws instead of failing its future (e.g. a class missing from the
        // runtime) must still fail
        // the start with a message that names it.
        started.add(
            Future.failedFuture(
                new IllegalStateException(
                    "feed: cannot start the " + s.name() + " source: " + e, e)));
      }
    }
    return Future.all(started)
        .onSuccess(v -> startWatermarks())
        .compose(v -> books.start(bootstrap, sources))
        .compose(v -> serveReplayControls());
  }

  /**
   * The leader answers {@link Addresses#FEED_REPLAY} (409 when no replay runs) and, while a replay
   * runs, publishes its status on {@link Addresses#REPLAY_STATUS} every second.
   */
  private Future<Void> serveReplayControls() {
    ReplaySource replay = replaySource();
    replayControls =
        vertx
            .eventBus()
            .consumer(
                Addresses.FEED_REPLAY,
                msg -> {
                  if (replay == null) {
                    msg.fail(ReplayControl.CONFLICT, "the running source is not a replay");
                    return;
                  }
                  try {
                    msg.reply(replay.command(msg.body()));
                  } catch (ReplayControl.Refused e) {
                    msg.fail(e.code, e.getMessage());
                  }
                });
    if (replay != null) {
      replayStatusTimer =
          vertx.setPeriodic(
              REPLAY_STATUS_MS,
              id -> vertx.eventBus().publish(Addresses.REPLAY_STATUS, replay.status()));
    }
    return replayControls.completion();
  }

  /** The replay source of this term, or null. */
  ReplaySource replaySource() {
    for (TradeSource s : sources) {
      if (s instanceof ReplaySource r) {
        return r;
      }
    }
    return null;
  }

  private void startWatermarks() {
    long wm = config.get(Settings.FEED_WATERMARK_MS);
    if (wm > 0) {
      long quietNanos = TimeUnit.MILLISECONDS.toNanos(wm);
      watermarkTimer = vertx.setPeriodic(wm, id -> emitWatermarks(quietNanos));
    }
  }

  private TradeSource createSource(
      String name, List<String> symbols, Map<String, LogTail.Position> positions) {
    TradeGate gate =
        new TradeGate(
            name,
            log,
            config.get(Settings.FEED_DEDUPE_WINDOW),
            config.get(Settings.FEED_MAX_CLOCK_SKEW_MS));
    return switch (name) {
      case "mock" -> {
        long seed = config.get(Settings.FEED_SEED);
        if (seed == 0) {
          seed = System.nanoTime() ^ System.currentTimeMillis();
        }
        resume(gate, symbols, positions);
        yield new MockSource(
            vertx,
            gate,
            symbols,
            Set.copyOf(config.get(Settings.MOCK_CURVE_SYMBOLS)),
            config.get(Settings.FEED_RATE),
            seed,
            firstRun(symbols, positions));
      }
      case "bitstamp" -> {
        BitstampSource b =
            new BitstampSource(vertx, gate, symbols, bitstampOptions(), new Random());
        b.resumeFrom(
            positions, config.get(Settings.FEED_FIRST_BACKFILL), System.currentTimeMillis());
        yield b;
      }
      case "replay" -> {
        resume(gate, symbols, positions);
        yield new ReplaySource(
            vertx,
            gate,
            symbols,
            Path.of(config.get(Settings.REPLAY_FILE)),
            config.get(Settings.REPLAY_SPEED),
            config.get(Settings.REPLAY_LOOP),
            config.get(Settings.REPLAY_PROGRESS_MS));
      }
      default -> throw new IllegalArgumentException("unknown feed source " + name);
    };
  }

  /**
   * The mock's first-run history: {@code mock.history-days} for the symbols the log holds no trade
   * of (a restart finds the history, or later trades, in the log and writes none again).
   */
  private MockSource.History firstRun(
      List<String> symbols, Map<String, LogTail.Position> positions) {
    List<String> fresh =
        symbols.stream()
            .filter(s -> positions.get(s) == null || !positions.get(s).hasTrade())
            .toList();
    return new MockSource.History(
        config.get(Settings.MOCK_HISTORY_DAYS), fresh, config.get(Settings.MOCK_HISTORY_SEED));
  }

  /**
   * Trades up to the log's last id of each symbol count as written (a replay skips what an earlier
   * term wrote).
   */
  private static void resume(
      TradeGate gate, List<String> symbols, Map<String, LogTail.Position> positions) {
    for (String s : symbols) {
      LogTail.Position p = positions.get(s);
      if (p != null) {
        gate.resumeFrom(p);
      }
    }
  }

  private BitstampSource.Options bitstampOptions() {
    return new BitstampSource.Options(
        config.get(Settings.BITSTAMP_WS_URL), config.get(Settings.BITSTAMP_REST_URL),
        config.get(Settings.BITSTAMP_HEARTBEAT_MS), config.get(Settings.BITSTAMP_SILENCE_MS),
        config.get(Settings.BITSTAMP_BACKOFF_MIN_MS), config.get(Settings.BITSTAMP_BACKOFF_MAX_MS),
        config.get(Settings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS),
            config.get(Settings.BITSTAMP_WATERMARK_LAG_MS));
  }

  private void emitWatermarks(long quietNanos) {
    for (TradeSource s : sources) {
      long clock = s.watermarkClock();
      if (clock != TradeSource.NO_CLOCK) {
        s.gate().emitWatermarks(clock, quietNanos, s.symbols());
      }
    }
  }

  /**
   * Stops the sources, then waits (at most {@code timeoutMs}) for Kafka to commit what the log
   * took, then closes the producer. After a fence the log holds nothing more to write.
   */
  Future<Void> stop(long timeoutMs) {
    if (watermarkTimer >= 0) {
      vertx.cancelTimer(watermarkTimer);
      watermarkTimer = -1;
    }
    if (replayStatusTimer >= 0) {
      vertx.cancelTimer(replayStatusTimer);
      replayStatusTimer = -1;
    }
    Future<Void> unregistered =
        replayControls == null ? Future.succeededFuture() : replayControls.unregister();
    List<Future<Void>> stopping = new ArrayList<>();
    for (TradeSource s : sources) {
      stopping.add(
          s.stop()
              .recover(
                  e -> {
                    LOG.warn("feed: stopping {} failed: {}", s.name(), e.toString());
                    return Future.succeededFuture();
                  }));
    }
    stopping.add(unregistered.recover(e -> Future.succeededFuture()));
    return Future.join(stopping)
        .transform(ar -> books.stop())
        .transform(ar -> log.close(timeoutMs));
  }

  boolean healthy() {
    boolean up = !log.stalled();
    for (TradeSource s : sources) {
      up &= s.healthy();
    }
    return up;
  }

  /** Adds {@code sources} (per source) and {@code kafka} to the feed's state. */
  void addState(JsonObject j) {
    JsonObject bySource = new JsonObject();
    for (TradeSource s : sources) {
      bySource.put(s.name(), s.state());
    }
    j.put("sources", bySource).put("kafka", log.stats()).put("books", books.state());
  }

  long tradesSent() {
    return log.tradesSent();
  }

  List<TradeSource> sources() {
    return List.copyOf(sources);
  }

  BookFeed books() {
    return books;
  }
}
