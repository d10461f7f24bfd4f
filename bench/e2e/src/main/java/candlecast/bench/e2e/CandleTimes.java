package candlecast.bench.e2e;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.kafka.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The bench-only consumer of {@code candles} ({@code read_uncommitted}: only the timestamps are
 * wanted): per 1s candle version (symbol, window, trade count), the record timestamp the
 * aggregator's producer gave it. The aggregator sends a poll's candles to {@code candles} before it
 * publishes them on the event bus, so that timestamp splits the path at the fold: trade → candle
 * record is Kafka, the poll and the fold; candle record → client is the bus, the gateway and the
 * WebSocket.
 */
final class CandleTimes implements Runnable {
  private final String bootstrap;
  private final Map<String, Long> times = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private Thread thread;

  CandleTimes(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  void start() {
    thread = new Thread(this, "candles-reader");
    thread.start();
  }

  @Override
  public void run() {
    Map<String, Object> props = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
    props.put("isolation.level", "read_uncommitted");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(Topics.CANDLES)
          .forEach(pi -> tps.add(new TopicPartition(Topics.CANDLES, pi.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
          Candle k;
          try {
            k = CandleCodec.decode(r.value());
          } catch (RuntimeException e) {
            continue; // a gap record or another record kind
          }
          if (k.tf() == Timeframe.S1) {
            String key = k.symbol() + "|" + Math.floorDiv(k.openTime(), 1000) + "|" + k.trades();
            synchronized (this) {
              times.putIfAbsent(key, r.timestamp());
            }
          }
        }
      }
    }
  }

  void stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }

  /** Record timestamp (ms) of the 1s candle of symbol's window with n trades, or -1. */
  synchronized long timestampOf(String symbol, long windowSec, long n) {
    Long t = times.get(symbol + "|" + windowSec + "|" + n);
    return t == null ? -1 : t;
  }
}
