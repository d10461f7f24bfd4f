package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.TradeCodec;
import candlecast.common.kafka.KafkaTopics;
import candlecast.common.kafka.StableEnds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reading and writing topics for the aggregator's exactness tests. */
final class KafkaFixture {
  private KafkaFixture() {}

  /**
   * Produces trade-log values keyed by their symbol, in order, at most {@code perSecond} records a
   * second.
   */
  static void produce(String bootstrap, List<byte[]> log, int perSecond)
      throws InterruptedException {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            new HashMap<>(KafkaTopics.producerProps(bootstrap)),
            new StringSerializer(),
            new ByteArraySerializer())) {
      long t0 = System.nanoTime();
      for (int i = 0; i < log.size(); i++) {
        byte[] v = log.get(i);
        String key = symbolOf(v);
        var unused =
            p.send(new ProducerRecord<>(Topics.TRADES, key, v)); // fire and forget: flushed below
        if (perSecond > 0 && i % 1000 == 0) {
          long due = t0 + (long) i * 1_000_000_000L / perSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(
                wait / 1_000_000,
                (int) (wait % 1_000_000)); // pacing a load generator, not awaiting
          }
        }
      }
      p.flush();
    }
  }

  static String symbolOf(byte[] v) {
    try {
      return TradeCodec.decode(v).symbol();
    } catch (DecodeException e) {
      return "SYM0"; // the malformed record goes with SYM0's partition
    }
  }

  /** Every record of a topic from the beginning to its end now. */
  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    Map<String, Object> props = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
    props.put("max.poll.records", 20_000);
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(10))) {
        parts.add(new TopicPartition(topic, pi.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = StableEnds.await(bootstrap, parts, Duration.ofSeconds(60));
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** True when the aggregator group has committed every trades partition up to its end. */
  static boolean groupCaughtUp(String bootstrap, String group) throws Exception {
    Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(conf)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> req = new HashMap<>();
      for (var d :
          admin
              .describeTopics(List.of(Topics.TRADES))
              .allTopicNames()
              .get()
              .get(Topics.TRADES)
              .partitions()) {
        req.put(new TopicPartition(Topics.TRADES, d.partition()), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(req).all().get();
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Checks the candles topic: returns the latest value per key, and fails if a key was ever closed
   * twice with different values. Only the partial flag may differ (a gap record re-emits a closed
   * candle as partial, and a replay after a crash may write the whole version again before the
   * partial one), and if a window without trades was stored. Gap records are skipped.
   */
  static Map<String, byte[]> latestCandles(String bootstrap, List<String> problems) {
    Map<String, byte[]> latest = new HashMap<>();
    Map<String, Candle> closed = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, Topics.CANDLES)) {
      if (HistoryRecords.isGapKey(r.key())) {
        continue; // a gap span (see historyDiff)
      }
      latest.put(r.key(), r.value());
      Candle c = CandleCodec.decode(r.value());
      if (c.trades() == 0) {
        problems.add("a window without trades was stored: " + c);
      }
      if (c.closed()) {
        Candle whole =
            new Candle(
                c.symbol(),
                c.tf(),
                c.openTime(),
                c.open(),
                c.high(),
                c.low(),
                c.close(),
                c.volume(),
                c.trades(),
                true);
        Candle before = closed.putIfAbsent(r.key(), whole);
        if (before != null && !before.equals(whole)) {
          problems.add("closed twice with different values: " + before + " vs " + c);
        }
      }
    }
    return latest;
  }

  /**
   * Differences between the topic's latest values and the oracle (both ways), at most 20 listed.
   */
  static List<String> diff(Map<String, byte[]> topic, Oracle oracle) {
    List<String> d = new ArrayList<>();
    Map<String, Candle> expectedStored = new HashMap<>();
    oracle
        .latest()
        .forEach(
            (k, c) -> {
              if (c.trades() > 0) {
                expectedStored.put(k, c);
              }
            });
    for (var e : expectedStored.entrySet()) {
      byte[] expected = CandleCodec.encode(e.getValue());
      byte[] got = topic.get(e.getKey());
      if (got == null) {
        d.add("missing " + e.getKey());
      } else if (!Arrays.equals(expected, got)) {
        d.add(
            "differs "
                + e.getKey()
                + ": expected "
                + new String(expected, StandardCharsets.UTF_8)
                + " got "
                + new String(got, StandardCharsets.UTF_8));
      }
      if (d.size() >= 20) {
        return d;
      }
    }
    for (String k : topic.keySet()) {
      if (!expectedStored.containsKey(k)) {
        d.add("unexpected " + k);
        if (d.size() >= 20) {
          break;
        }
      }
    }
    return d;
  }

  /**
   * Differences between the history rebuilt from the whole {@code candles} topic (candles and gap
   * spans, as an aggregator does at start) and the oracle's full series, flat windows included,
   * over every window up to each series' newest closed stored candle; at most 20 listed.
   */
  static List<String> historyDiff(String bootstrap, Oracle oracle) {
    HistoryStore store = new HistoryStore(new long[Timeframe.COUNT]);
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, Topics.CANDLES)) {
      HistoryRecords.load(r.key(), r.value(), store);
    }
    Map<String, Long> closedUpTo = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, Topics.CANDLES)) {
      if (!HistoryRecords.isGapKey(r.key())) {
        Candle c = CandleCodec.decode(r.value());
        if (c.closed()) {
          closedUpTo.merge(c.symbol() + '|' + c.tf().label(), c.openTime(), Math::max);
        }
      }
    }
    List<String> d = new ArrayList<>();
    long compared = 0;
    for (Candle want : oracle.latest().values()) {
      Long upTo = closedUpTo.get(want.symbol() + '|' + want.tf().label());
      if (upTo == null || want.openTime() > upTo) {
        continue;
      }
      compared++;
      List<Candle> got = store.query(want.symbol(), want.tf(), want.openTime(), want.openTime(), 1);
      if (got == null || got.size() != 1 || !got.get(0).equals(want)) {
        d.add("history differs at " + want.key() + ": expected " + want + " got " + got);
        if (d.size() >= 20) {
          return d;
        }
      }
    }
    if (compared == 0) {
      d.add("nothing compared");
    }
    return d;
  }
}
