package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order books through the aggregator against a real broker: the owner of a symbol's partition
 * relays its books from {@code books} to {@code book.<SYMBOL>} with the record offset as {@code
 * seq}, answers {@code candlecast.book}, puts the best bid and ask in the ticker, and a new owner
 * rebuilds the books from Kafka.
 */
class AggregatorBooksIT {
  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private Vertx vertx;
  private KafkaProducer<String, byte[]> producer;

  @AfterEach
  void tearDown() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  private static Book book(String symbol, long us, double mid) {
    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      bids.add(new Book.Level(mid - i * 0.5, i));
      asks.add(new Book.Level(mid + i * 0.5, i / 10.0));
    }
    return new Book(symbol, Book.NO_SEQ, us, bids, asks);
  }

  /** Writes a record to books as the feed does; returns the book with its offset as seq. */
  private Book write(Book b) throws Exception {
    long offset =
        producer
            .send(new ProducerRecord<>(Topics.BOOKS, b.symbol(), BookCodec.encode(b)))
            .get()
            .offset();
    return b.withSeq(offset);
  }

  private JsonObject request(String address, JsonObject body) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, body).await(5, TimeUnit.SECONDS).body();
  }

  private JsonObject bookOf(String symbol, Integer depth) throws Exception {
    JsonObject req = new JsonObject().put("symbol", symbol);
    if (depth != null) {
      req.put("depth", depth);
    }
    return request("candlecast.book", req);
  }

  private void assertFails(JsonObject body, int code, String message) {
    assertThatThrownBy(() -> request("candlecast.book", body))
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void relaysBooksWithTheirOffsetAnswersBookRequestsAndRebuildsThemOnTakeover() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    long t0 = 1_699_999_980_000L;
    List<byte[]> trades = new ArrayList<>();
    for (String s : List.of("BTCUSD", "ETHUSD")) {
      trades.add(TradeCodec.encode(new Trade(s, 1, t0, 100, 1, Side.BUY)));
      trades.add(TradeCodec.encode(new Trade(s, 2, t0 + 70_000, 101, 1, Side.SELL)));
    }
    KafkaFixture.produce(bootstrap, trades, 0);
    producer =
        new KafkaProducer<>(
            new HashMap<>(KafkaTopics.producerProps(bootstrap)),
            new StringSerializer(),
            new ByteArraySerializer());
    write(book("BTCUSD", 1_000, 100));
    Book before = write(book("BTCUSD", 2_000, 100.25));

    vertx = Vertx.vertx();
    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer("book.BTCUSD", m -> published.add(m.body()))
        .completion()
        .await(5, TimeUnit.SECONDS);
    List<JsonObject> tickers = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("ticker.BTCUSD", m -> tickers.add(m.body()));
    String first =
        vertx
            .deployVerticle(new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap))
            .await(60, TimeUnit.SECONDS);

    // taken over from Kafka: answered, not published
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> bookOf("btcusd", null).equals(BookCodec.toJson(before)));
    assertThat(published).isEmpty();

    // live: published once, with the record's offset
    Book live = write(book("BTCUSD", 3_000, 100.5));
    await().atMost(Duration.ofSeconds(10)).until(() -> !published.isEmpty());
    assertThat(published).containsExactly(BookCodec.toJson(live));
    assertThat(live.seq()).isGreaterThan(before.seq());
    Book cut = BookCodec.fromJson(bookOf("BTCUSD", 10));
    assertThat(cut).isEqualTo(live.top(10));
    assertThat(cut.bids()).hasSize(10);

    // the ticker carries the best bid and ask
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !tickers.isEmpty()
                    && Double.valueOf(live.bestBid())
                        .equals(tickers.get(tickers.size() - 1).getDouble("bid")));
    JsonObject t = tickers.get(tickers.size() - 1);
    assertThat(t.getDouble("ask")).isEqualTo(live.bestAsk());
    assertThat(t.getDouble("spread")).isEqualTo(live.bestAsk() - live.bestBid());

    // a symbol with a book and no trades is owned too; a malformed record is skipped
    producer
        .send(
            new ProducerRecord<>(
                Topics.BOOKS, "BTCUSD", "{\"symbol\":\"BTCUSD\"}".getBytes(StandardCharsets.UTF_8)))
        .get();
    Book sol = write(book("SOLUSD", 5_000, 200));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> bookOf("SOLUSD", null).equals(BookCodec.toJson(sol)));
    assertThat(request("candlecast.symbols", new JsonObject()).getJsonArray("symbols").getList())
        .contains("SOLUSD", "BTCUSD", "ETHUSD");
    JsonObject health = request("candlecast.health.aggregator", new JsonObject());
    assertThat(health.getJsonObject("books").getLong("malformed")).isEqualTo(1);
    assertThat(BookCodec.fromJson(bookOf("BTCUSD", null))).isEqualTo(live);

    assertFails(new JsonObject().put("symbol", "BTCUSD").put("depth", 0), 400, "depth");
    assertFails(new JsonObject().put("symbol", "BTCUSD").put("depth", 101), 400, "depth");
    assertFails(new JsonObject().put("symbol", "BTCUSD").put("depth", "ten"), 400, "depth");
    assertFails(new JsonObject().put("symbol", "ETHUSD"), 503, "no book for ETHUSD");
    assertFails(new JsonObject().put("symbol", "NOPE"), 404, "unknown symbol");
    assertFails(new JsonObject().put("symbol", "no way"), 400, "symbol");

    // a new owner rebuilds every book from Kafka, with the same sequence numbers
    vertx.undeploy(first).await(30, TimeUnit.SECONDS);
    published.clear();
    vertx
        .deployVerticle(new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap))
        .await(60, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                bookOf("BTCUSD", null).equals(BookCodec.toJson(live))
                    && bookOf("SOLUSD", null).equals(BookCodec.toJson(sol)));
    assertThat(published).isEmpty();
  }

  /**
   * Rebalances: a second instance joins (the first gives its partitions up and gets some back) and
   * then leaves; after each, every symbol's newest book is answered, with its sequence number, by
   * whichever instance owns it.
   */
  @Test
  void everyBookSurvivesRebalancesBetweenInstances() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    producer =
        new KafkaProducer<>(
            new HashMap<>(KafkaTopics.producerProps(bootstrap)),
            new StringSerializer(),
            new ByteArraySerializer());
    List<String> symbols = List.of("AAUSD", "BBUSD", "CCUSD", "DDUSD", "EEUSD", "FFUSD");
    Map<String, Book> newest = new HashMap<>();
    for (int i = 0; i < symbols.size(); i++) {
      newest.put(symbols.get(i), write(book(symbols.get(i), 1_000 + i, 500 + i)));
    }
    vertx = Vertx.vertx();
    AggregatorVerticle a = new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap);
    String first = vertx.deployVerticle(a).await(60, TimeUnit.SECONDS);
    awaitAll(newest);
    AggregatorVerticle b = new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap);
    String second = vertx.deployVerticle(b).await(60, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                a.health().getJsonArray("partitions").size() == 1
                    && b.health().getJsonArray("partitions").size() == 1);
    awaitAll(newest); // the books nobody wrote since: read again by whichever instance got their
    // partition
    for (String s : symbols) {
      newest.put(s, write(book(s, 2_000, 600)));
    }
    awaitAll(newest);
    vertx.undeploy(first).await(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> b.health().getJsonArray("partitions").size() == 2);
    awaitAll(newest);
    vertx.undeploy(second).await(30, TimeUnit.SECONDS);
  }

  private void awaitAll(Map<String, Book> newest) {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              for (Book x : newest.values()) {
                if (!bookOf(x.symbol(), null).equals(BookCodec.toJson(x))) {
                  return false;
                }
              }
              return true;
            });
  }
}
