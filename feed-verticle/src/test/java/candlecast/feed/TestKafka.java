package candlecast.feed;

import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * Test helpers: one embedded broker shared by the test classes of this module, and reading topics
 * back.
 */
final class TestKafka {
  private static EmbeddedKafka shared;

  private TestKafka() {}

  /**
   * The shared broker (started on first use with 2 partitions per topic, stopped when the JVM
   * exits).
   */
  static synchronized EmbeddedKafka shared() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("feed-test-kafka");
      shared = start(dir, 0);
      EmbeddedKafka k = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    k.stop();
                    deleteQuietly(dir);
                  }));
    }
    return shared;
  }

  /** A broker of its own on {@code dir} with the Candlecast topics. */
  static EmbeddedKafka start(Path dir, int port) {
    EmbeddedKafka k = EmbeddedKafka.start(dir, port);
    KafkaTopics.ensureTopicsBlocking(k.bootstrapServers(), 2);
    return k;
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** Reads a topic from the beginning, keeping every record in log order per key. */
  static final class TopicLog implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    final Map<String, List<byte[]>> byKey = new LinkedHashMap<>();
    final List<byte[]> all = new ArrayList<>();
    private final Map<String, Integer> tradeCounts = new HashMap<>();

    /** Settings of a consumer that sees the high watermark (for {@link #readToEnd}). */
    private final Map<String, Object> uncommitted;

    TopicLog(String bootstrap, String topic) {
      consumer = new KafkaConsumer<>(new HashMap<>(KafkaTopics.consumerProps(bootstrap, null)));
      uncommitted = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
      uncommitted.put("isolation.level", "read_uncommitted");
      partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /**
     * Polls (waiting up to {@code ms} for the first records), then goes on while records come
     * without waiting, so a reader keeps up with a fast writer however often it is called.
     */
    TopicLog poll(long ms) {
      var records = consumer.poll(Duration.ofMillis(ms));
      for (int i = 0; i < 200 && !records.isEmpty(); i++) {
        for (ConsumerRecord<String, byte[]> r : records) {
          byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
          all.add(r.value());
          if (!new String(r.value(), StandardCharsets.UTF_8).contains("\"watermark\"")) {
            tradeCounts.merge(r.key(), 1, Integer::sum);
          }
        }
        records = consumer.poll(Duration.ZERO);
      }
      return this;
    }

    /**
     * Reads until every partition's end offset as of now: the high watermark, not this
     * (read_committed) consumer's end, which is the last stable offset. A transaction whose commit
     * returned may still have its markers on the way, and the stable offset lags behind it until
     * they land; the reader waits for them instead of stopping short of the last batch.
     */
    TopicLog readToEnd() {
      Map<TopicPartition, Long> end;
      try (KafkaConsumer<String, byte[]> hw = new KafkaConsumer<>(uncommitted)) {
        end = hw.endOffsets(partitions);
      }
      // In this thread: the consumer is not thread-safe.
      Awaitility.await("topic read to its end")
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> atEnd(end) || poll(100).atEnd(end));
      return this;
    }

    private boolean atEnd(Map<TopicPartition, Long> end) {
      return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    List<TradeLogRecord> records(String symbol) {
      List<TradeLogRecord> out = new ArrayList<>();
      for (byte[] v : byKey.getOrDefault(symbol, List.of())) {
        out.add(TradeCodec.decode(v));
      }
      return out;
    }

    List<Trade> trades(String symbol) {
      return records(symbol).stream()
          .filter(r -> r instanceof TradeRecord)
          .map(r -> ((TradeRecord) r).trade())
          .toList();
    }

    /** Trade records (not watermarks) of {@code symbol} read so far. */
    int tradeCount(String symbol) {
      return tradeCounts.getOrDefault(symbol, 0);
    }

    List<Long> watermarks(String symbol) {
      return records(symbol).stream()
          .filter(r -> r instanceof WatermarkRecord)
          .map(r -> ((WatermarkRecord) r).time())
          .toList();
    }

    /** All values as JSON (for trades.dlq). */
    List<JsonObject> json() {
      return all.stream().map(v -> new JsonObject(new String(v, StandardCharsets.UTF_8))).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /**
   * The watermark contract in one symbol's log: watermarks never go backwards, and no trade after a
   * watermark has a time before it. Returns the number of watermarks.
   */
  static int assertWatermarkContract(String symbol, List<TradeLogRecord> records) {
    long wm = Long.MIN_VALUE;
    int n = 0;
    for (TradeLogRecord r : records) {
      if (r instanceof WatermarkRecord w) {
        if (w.time() < wm) {
          throw new AssertionError(
              symbol + ": watermark went backwards from " + wm + " to " + w.time());
        }
        wm = w.time();
        n++;
      } else if (r instanceof TradeRecord tr) {
        Trade t = tr.trade();
        if (t.time() < wm) {
          throw new AssertionError(symbol + ": trade " + t + " after watermark " + wm);
        }
      }
    }
    return n;
  }
}
