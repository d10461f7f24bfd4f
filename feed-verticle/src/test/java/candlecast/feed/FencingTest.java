package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deposed leader cannot write: two transactional trade logs with the same transactional id, the
 * newer one fences the older, whose later records are refused and never reach a read_committed
 * reader. And {@link LogTail} finds where the log stands afterwards. A record's timestamp is when
 * the feed took it.
 */
class FencingTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.shared();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static Producer<String, byte[]> producer(String txId) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(kafka.bootstrapServers()));
    props.putAll(KafkaTradeLog.producerOverrides());
    props.put("transactional.id", txId);
    KafkaProducer<String, byte[]> p = new KafkaProducer<>(props);
    p.initTransactions();
    return p;
  }

  private static Trade trade(String symbol, long id) {
    return new Trade(
        symbol, id, 1_700_000_000_000L + id, 100.0 + id, 0.5, candlecast.common.Side.BUY);
  }

  @Test
  void aNewerLeaderFencesTheOlderOneWhoseLateWritesNoReaderSees() throws Exception {
    String symbol = "FENCE" + IDS.incrementAndGet();
    String txId = "fencing-test-" + symbol;
    AtomicReference<Throwable> oldFatal = new AtomicReference<>();
    KafkaTradeLog old =
        new KafkaTradeLog(vertx.getOrCreateContext(), producer(txId), 1000, oldFatal::set);
    for (long id = 1; id <= 5; id++) {
      assertThat(old.offer(new LogRecord.TradeRecord(trade(symbol, id)))).isTrue();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> old.tradesSent() == 5);

    // a new leader takes over: initTransactions fences the old producer
    AtomicReference<Throwable> newFatal = new AtomicReference<>();
    KafkaTradeLog current =
        new KafkaTradeLog(vertx.getOrCreateContext(), producer(txId), 1000, newFatal::set);

    // the old leader, not knowing yet, writes on: refused
    old.offer(new LogRecord.TradeRecord(trade(symbol, 6)));
    await().atMost(Duration.ofSeconds(20)).until(() -> oldFatal.get() != null);
    assertThat(oldFatal.get()).isInstanceOf(ProducerFencedException.class);
    assertThat(old.offer(new LogRecord.TradeRecord(trade(symbol, 7))))
        .as("a fenced log takes nothing")
        .isFalse();

    for (long id = 6; id <= 8; id++) {
      assertThat(current.offer(new LogRecord.TradeRecord(trade(symbol, id)))).isTrue();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> current.tradesSent() == 3);
    assertThat(newFatal.get()).isNull();

    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      log.readToEnd();
      assertThat(log.trades(symbol))
          .extracting(Trade::id)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            new HashMap<>(KafkaTopics.consumerProps(kafka.bootstrapServers(), null)))) {
      LogTail.Position p =
          new LogTail(c, Duration.ofSeconds(30)).read(List.of(symbol, "NOSUCH")).get(symbol);
      assertThat(p.lastId()).isEqualTo(8);
      assertThat(p.lastTime()).isEqualTo(trade(symbol, 8).time());
    }
    await(old.close(5_000));
    await(current.close(5_000));
  }

  /**
   * Records offered while earlier transactions commit wait in the log's queue; their Kafka record
   * timestamp is still the time they were offered (the end-to-end latency counts from there), never
   * the later time the sender thread handed them to the producer.
   */
  @Test
  void aRecordsTimestampIsWhenTheFeedTookIt() throws Exception {
    String symbol = "STAMP" + IDS.incrementAndGet();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    KafkaTradeLog log =
        new KafkaTradeLog(
            vertx.getOrCreateContext(), producer("stamp-test-" + symbol), 50_000, fatal::set);
    int n = 20_000; // several transactions of at most 4,096 records: later ones wait for commits
    long[] before = new long[n + 1];
    long[] after = new long[n + 1];
    for (int id = 1; id <= n; id++) {
      before[id] = System.currentTimeMillis();
      assertThat(log.offer(new LogRecord.TradeRecord(trade(symbol, id)))).isTrue();
      after[id] = System.currentTimeMillis();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> log.tradesSent() == n);
    assertThat(fatal.get()).isNull();
    Map<Long, Long> stamps = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            new HashMap<>(KafkaTopics.consumerProps(kafka.bootstrapServers(), null)))) {
      List<TopicPartition> tps =
          c.partitionsFor(Topics.TRADES).stream()
              .map(pi -> new TopicPartition(Topics.TRADES, pi.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      await()
          .atMost(Duration.ofMinutes(2)) // 20,000 records; under load (CI shares its 2 cores)
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                  if (symbol.equals(r.key())) {
                    long id =
                        ((candlecast.common.TradeRecord)
                                candlecast.common.TradeCodec.decode(r.value()))
                            .trade()
                            .id();
                    stamps.put(id, r.timestamp());
                  }
                }
                return tps.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
              });
    }
    assertThat(stamps).hasSize(n);
    for (int id = 1; id <= n; id++) {
      assertThat(stamps.get((long) id))
          .as("record timestamp of trade %d", id)
          .isBetween(before[id], after[id]);
    }
    await(log.close(5_000));
  }
}
