package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the owner keeps bars that did not come from trades (downloaded or imported): the {@code
 * candles} topic (partition of the symbol's {@code trades} partition, key as every candle), then
 * the history store, and for downloads the series' fetched ranges ({@code candles.fetched}). A bar
 * whose window holds a trades candle is dropped, in memory and in the topic. Kafka calls block, so
 * they run on a worker; the rest on the aggregator's context.
 */
final class DeepStore {
  private static final Logger LOG = LoggerFactory.getLogger(DeepStore.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long SEND_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final HistoryStore history;
  private final Map<String, Object> producerConfig;
  private final Map<String, Object> readerConfig;
  private KafkaProducer<String, byte[]> producer;
  private volatile int partitions;

  /** Fetched ranges per series ({@code SYMBOL|tf}); null until read from the topic. */
  private Map<String, FetchedRanges> fetched;

  private Future<Void> loading;

  DeepStore(
      Vertx vertx,
      HistoryStore history,
      Map<String, Object> producerConfig,
      Map<String, Object> readerConfig) {
    this.vertx = vertx;
    this.history = history;
    this.producerConfig = producerConfig;
    this.readerConfig = readerConfig;
  }

  /** Completes once the fetched ranges are read from {@code candles.fetched} (once a process). */
  Future<Void> loaded() {
    if (fetched != null) {
      return Future.succeededFuture();
    }
    if (loading == null) {
      loading =
          vertx
              .executeBlocking(this::readFetched, false)
              .map(
                  m -> {
                    fetched = m;
                    return (Void) null;
                  })
              .onFailure(e -> loading = null);
    }
    return loading;
  }

  /** Forgets the fetched ranges (a partition moved: another owner may have added some). */
  void forget() {
    if (fetched != null) {
      fetched = null;
      loading = null;
    }
  }

  /** The fetched ranges of a series (after {@link #loaded}). */
  FetchedRanges ranges(String key) {
    return fetched.computeIfAbsent(key, k -> new FetchedRanges());
  }

  /**
   * Stores downloaded bars of [{@code range[0]}, {@code range[1]}] and records the range as
   * fetched; returns the bars stored.
   */
  Future<Integer> save(String key, String symbol, Timeframe tf, List<Candle> bars, long[] range) {
    FetchedRanges r = ranges(key);
    FetchedRanges next = FetchedRanges.fromJson(r.toJson(symbol, tf.label()));
    next.add(range[0], range[1], t -> DeepHistory.windowEnd(tf, t));
    ProducerRecord<String, byte[]> marker =
        new ProducerRecord<>(
            Topics.CANDLES_FETCHED,
            0,
            key,
            next.toJson(symbol, tf.label()).encode().getBytes(StandardCharsets.UTF_8));
    return store(symbol, tf, bars, marker)
        .map(
            n -> {
              r.add(range[0], range[1], t -> DeepHistory.windowEnd(tf, t));
              return n;
            });
  }

  /**
   * Stores bars (not from trades) of one series: those whose window holds no trades candle go to
   * {@code candles}, then {@code extra} (if any), then into memory; returns how many.
   */
  Future<Integer> store(
      String symbol, Timeframe tf, List<Candle> bars, ProducerRecord<String, byte[]> extra) {
    SeriesHistory s = history.seriesOrCreate(symbol, tf);
    List<Candle> kept = new ArrayList<>(bars.size());
    for (Candle c : bars) {
      if (!c.fromTrades()
          && !s.holdsTrades(c.openTime())
          && c.openTime() < s.oldestTradesOpenTime()) {
        kept.add(c);
      }
    }
    return vertx
        .executeBlocking(() -> write(symbol, kept, extra), false)
        .map(
            v -> {
              for (Candle c : kept) {
                var unused = s.putCandle(c); // false: a trades candle folded meanwhile wins
              }
              return kept.size();
            });
  }

  /** The number of {@code trades} partitions (asked of Kafka once). */
  Future<Integer> partitionCount() {
    if (partitions > 0) {
      return Future.succeededFuture(partitions);
    }
    return vertx.executeBlocking(
        () -> {
          open();
          return partitions;
        },
        false);
  }

  private synchronized void open() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
      partitions = producer.partitionsFor(Topics.TRADES).size();
    }
  }

  private Void write(String symbol, List<Candle> bars, ProducerRecord<String, byte[]> extra)
      throws Exception {
    open();
    int p = partitionOf(symbol, partitions);
    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
    for (Candle c : bars) {
      acks.add(
          producer.send(new ProducerRecord<>(Topics.CANDLES, p, c.key(), CandleCodec.encode(c))));
    }
    producer.flush();
    for (var a : acks) {
      a.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    if (extra != null) {
      producer.send(extra).get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    return null;
  }

  /** The partition of {@code trades} (and {@code candles}) Kafka's default partitioner gives. */
  static int partitionOf(String symbol, int partitions) {
    return Utils.toPositive(Utils.murmur2(symbol.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private Map<String, FetchedRanges> readFetched() {
    Map<String, FetchedRanges> out = new HashMap<>();
    TopicPartition tp = new TopicPartition(Topics.CANDLES_FETCHED, 0);
    try (KafkaConsumer<String, byte[]> r =
        new KafkaConsumer<>(readerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
      r.assign(List.of(tp));
      r.seekToBeginning(List.of(tp));
      long end = r.endOffsets(List.of(tp)).get(tp);
      while (r.position(tp) < end) {
        for (ConsumerRecord<String, byte[]> rec : r.poll(POLL)) {
          read(out, rec);
        }
      }
    }
    return out;
  }

  private static void read(Map<String, FetchedRanges> out, ConsumerRecord<String, byte[]> rec) {
    if (rec.value() == null) {
      out.remove(rec.key());
      return;
    }
    try {
      out.put(
          rec.key(),
          FetchedRanges.fromJson(new JsonObject(new String(rec.value(), StandardCharsets.UTF_8))));
    } catch (DecodeException | io.vertx.core.json.DecodeException e) {
      LOG.warn("{} record {} unreadable: {}", Topics.CANDLES_FETCHED, rec.key(), e.getMessage());
    }
  }

  /** Closes the producer (blocking: on a worker). */
  synchronized void closeBlocking() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
