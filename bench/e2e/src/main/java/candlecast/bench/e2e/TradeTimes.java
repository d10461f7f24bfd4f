package candlecast.bench.e2e;

import candlecast.common.DecodeException;
import candlecast.common.Topics;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.kafka.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The bench-only consumer of {@code trades}: per symbol and 1 s window, in log order, each trade's
 * record timestamp (ms) and when this consumer's poll returned it (wall clock, µs; meaningful once
 * the reader is live). Read {@code read_committed} (as the aggregator reads) or {@code
 * read_uncommitted} (a record is visible as soon as the broker appended it, before its transaction
 * commits): the two readers' clocks split the Kafka leg into append and commit.
 */
final class TradeTimes implements Runnable {
  private final String bootstrap;
  private final boolean committed;
  private final Map<String, long[]> times = new HashMap<>();
  private final Map<String, long[]> seen = new HashMap<>();
  private final Map<String, Integer> sizes = new HashMap<>();
  private final List<Long> all = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile Map<TopicPartition, Long> target;
  private volatile boolean caughtUp;
  private Thread thread;

  TradeTimes(String bootstrap, boolean committed) {
    this.bootstrap = bootstrap;
    this.committed = committed;
  }

  void start() {
    thread = new Thread(this, committed ? "trades-reader" : "trades-reader-uncommitted");
    thread.start();
  }

  @Override
  public void run() {
    Map<String, Object> props = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
    if (!committed) {
      props.put("isolation.level", "read_uncommitted");
    }
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(Topics.TRADES)
          .forEach(pi -> tps.add(new TopicPartition(Topics.TRADES, pi.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      while (running.get()) {
        var polled = c.poll(Duration.ofMillis(100));
        long now = EndToEnd.micros();
        for (ConsumerRecord<String, byte[]> r : polled) {
          TradeLogRecord rec;
          try {
            rec = TradeCodec.decode(r.value());
          } catch (DecodeException e) {
            continue;
          }
          if (rec instanceof TradeRecord tr) {
            synchronized (this) {
              String key = tr.symbol() + "|" + Math.floorDiv(tr.trade().time(), 1000);
              int size = sizes.getOrDefault(key, 0);
              long[] arr = times.get(key);
              long[] when = seen.get(key);
              if (arr == null || arr.length == size) {
                arr = arr == null ? new long[64] : Arrays.copyOf(arr, arr.length * 2);
                when = when == null ? new long[64] : Arrays.copyOf(when, when.length * 2);
                times.put(key, arr);
                seen.put(key, when);
              }
              arr[size] = r.timestamp();
              when[size] = now;
              sizes.put(key, size + 1);
              all.add(r.timestamp());
            }
          }
        }
        Map<TopicPartition, Long> t = target;
        if (t != null && !caughtUp) {
          boolean done = true;
          for (Map.Entry<TopicPartition, Long> e : t.entrySet()) {
            done &= c.position(e.getKey()) >= e.getValue();
          }
          caughtUp = done;
        }
        if (wantEnd) {
          target = c.endOffsets(tps);
          wantEnd = false;
        }
      }
    }
  }

  private volatile boolean wantEnd;

  /** Waits until everything written so far has been read. */
  void catchUp(long timeoutMs) throws InterruptedException {
    wantEnd = true;
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!caughtUp && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
  }

  void stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }

  /** Record timestamp of the n-th (1-based) trade of symbol's window, or -1. */
  synchronized long timestampOf(String symbol, long windowSec, long n) {
    return nth(times, symbol, windowSec, n);
  }

  /** When this reader's poll returned the n-th (1-based) trade of symbol's window (µs), or -1. */
  synchronized long seenOf(String symbol, long windowSec, long n) {
    return nth(seen, symbol, windowSec, n);
  }

  private long nth(Map<String, long[]> of, String symbol, long windowSec, long n) {
    String key = symbol + "|" + windowSec;
    Integer size = sizes.get(key);
    return size == null || n < 1 || n > size ? -1 : of.get(key)[(int) n - 1];
  }

  synchronized long countBetween(long fromMs, long toMs) {
    long c = 0;
    for (long t : all) {
      if (t >= fromMs && t < toMs) {
        c++;
      }
    }
    return c;
  }
}
