package candlecast.feed;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed's order books (issue 14), beside its trades: a book source per trade source that has
 * books — the Bitstamp symbols get {@link BitstampBookSource}, the mock symbols {@link
 * MockBookSource}; a replay has no books — all writing through one {@link KafkaBookWriter} to
 * {@code books}. Off with {@code feed.books=false}.
 *
 * <p>{@link #writer()} is the seam for deciding which feed instance writes ({@link
 * KafkaBookWriter#setActive}). Runs on the feed's context.
 */
final class BookFeed {
  private static final Logger LOG = LoggerFactory.getLogger(BookFeed.class);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final CandlecastConfig config;
  private final List<BookSource> sources = new ArrayList<>();
  private KafkaBookWriter writer;

  BookFeed(Vertx vertx, CandlecastConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts a book source for each trade source that has books, and the writer they share. */
  Future<Void> start(String bootstrap, List<TradeSource> tradeSources) {
    if (!config.get(Settings.FEED_BOOKS)) {
      LOG.info("feed: order books off (feed.books=false)");
      return Future.succeededFuture();
    }
    // The producer's constructor resolves the bootstrap addresses: build it off the event loop.
    return vertx
        .executeBlocking(
            () ->
                new KafkaProducer<>(
                    KafkaBookWriter.producerConfig(bootstrap),
                    new StringSerializer(),
                    new ByteArraySerializer()))
        .compose(
            producer -> {
              writer = new KafkaBookWriter(producer);
              long interval = config.get(Settings.FEED_BOOK_INTERVAL_MS);
              for (TradeSource t : tradeSources) {
                BookSource b = bookSource(t, interval);
                if (b != null) {
                  sources.add(b);
                }
              }
              List<Future<Void>> started = new ArrayList<>();
              sources.forEach(s -> started.add(s.start()));
              return Future.all(started).<Void>mapEmpty();
            })
        .onSuccess(
            v ->
                LOG.info(
                    "feed: order books of {} every {} ms at most per symbol",
                    sources.stream().map(s -> s.name() + " " + s.symbols()).toList(),
                    config.get(Settings.FEED_BOOK_INTERVAL_MS)));
  }

  private BookSource bookSource(TradeSource t, long interval) {
    if (t instanceof BitstampSource) {
      return new BitstampBookSource(
          vertx, t.symbols(), BitstampSource.Options.from(config), interval, writer, new Random());
    }
    if (t instanceof MockSource m) {
      long seed = config.get(Settings.FEED_SEED);
      return new MockBookSource(vertx, m, interval, writer, seed == 0 ? System.nanoTime() : seed);
    }
    return null;
  }

  /** Stops the sources, then writes what the writer holds and closes it. */
  Future<Void> stop() {
    List<Future<Void>> stopping = new ArrayList<>();
    for (BookSource s : sources) {
      stopping.add(
          s.stop()
              .recover(
                  e -> {
                    LOG.warn("feed: stopping the {} books failed: {}", s.name(), e.toString());
                    return Future.succeededFuture();
                  }));
    }
    KafkaBookWriter w = writer;
    return Future.join(stopping)
        .transform(
            ar ->
                w == null
                    ? Future.succeededFuture()
                    : vertx
                        .executeBlocking(
                            () -> {
                              w.close(CLOSE_TIMEOUT);
                              return null;
                            },
                            false)
                        .mapEmpty());
  }

  /**
   * The writer: {@link KafkaBookWriter#setActive} decides whether this feed instance writes books.
   */
  KafkaBookWriter writer() {
    return writer;
  }

  List<BookSource> sources() {
    return List.copyOf(sources);
  }

  /** {@code {"sources":{name:{...}},"kafka":{...}}}, or {@code {"enabled":false}}. */
  JsonObject state() {
    if (writer == null) {
      return new JsonObject().put("enabled", false);
    }
    JsonObject bySource = new JsonObject();
    sources.forEach(s -> bySource.put(s.name(), s.state()));
    return new JsonObject()
        .put("enabled", true)
        .put("sources", bySource)
        .put("kafka", writer.stats());
  }
}
