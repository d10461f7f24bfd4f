package candlecast.feed;

import candlecast.common.Topics;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the log stands for each symbol: the newest trade (id, time) and the newest watermark in
 * {@code trades}, read from the topic's tail (never from a local file: a rescheduled pod has none).
 * A feed that becomes leader starts from here, so a restart, a takeover and a first start are one
 * mechanism: continue after the last trade in the log.
 *
 * <p>Reads {@code read_committed} (a fenced leader's aborted writes do not count) backwards in
 * growing steps from the end of each partition that holds one of the symbols, until every symbol's
 * last trade is found or the partition's start is reached. Blocking: run it on a worker thread.
 */
final class LogTail {
  private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long FIRST_STEP = 2_000;

  /** One symbol's place in the log; {@code lastId == NONE} when the log holds no trade of it. */
  record Position(String symbol, long lastId, long lastTime, long watermark) {
    static final long NONE = Long.MIN_VALUE;

    boolean hasTrade() {
      return lastId != NONE;
    }

    @Override
    public String toString() {
      return symbol
          + (hasTrade()
              ? " after trade " + lastId + " at " + java.time.Instant.ofEpochMilli(lastTime)
              : " (no trade in the log)");
    }
  }

  private final Consumer<String, byte[]> consumer;
  private final Duration timeout;

  /**
   * @param consumer a consumer without group (assign only), {@code read_committed}; closed by the
   *     caller
   */
  LogTail(Consumer<String, byte[]> consumer, Duration timeout) {
    this.consumer = consumer;
    this.timeout = timeout;
  }

  /** The partition of {@code trades} that Kafka's default partitioner gives a symbol key. */
  static int partitionOf(String symbol, int partitions) {
    return Utils.toPositive(Utils.murmur2(symbol.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /**
   * The newest trade and watermark of each symbol (symbols absent from the log get {@link
   * Position#NONE}).
   */
  Map<String, Position> read(List<String> symbols) {
    List<PartitionInfo> infos = consumer.partitionsFor(Topics.TRADES, timeout);
    Map<Integer, Set<String>> byPartition = new HashMap<>();
    for (String s : symbols) {
      byPartition.computeIfAbsent(partitionOf(s, infos.size()), p -> new HashSet<>()).add(s);
    }
    Map<String, Position> out = new HashMap<>();
    for (String s : symbols) {
      out.put(s, new Position(s, Position.NONE, Position.NONE, Position.NONE));
    }
    byPartition.forEach(
        (p, syms) -> readPartition(new TopicPartition(Topics.TRADES, p), syms, out));
    return out;
  }

  private void readPartition(TopicPartition tp, Set<String> symbols, Map<String, Position> out) {
    consumer.assign(List.of(tp));
    long begin = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
    long end =
        consumer.endOffsets(List.of(tp), timeout).get(tp); // read_committed: the last stable offset
    Set<String> missing = new HashSet<>(symbols);
    long step = FIRST_STEP;
    long upTo = end;
    while (!missing.isEmpty() && upTo > begin) {
      long from = Math.max(begin, upTo - step);
      scan(tp, from, upTo, missing, out);
      upTo = from;
      step *= 4;
    }
    LOG.debug("feed: read the tail of {} [{}, {}): {}", tp, begin, end, out);
  }

  /**
   * Reads [from, to) and keeps, for the symbols still missing a trade, the newest trade and
   * watermark there.
   */
  private void scan(
      TopicPartition tp, long from, long to, Set<String> missing, Map<String, Position> out) {
    consumer.seek(tp, from);
    Map<String, Position> found = new HashMap<>();
    long next = from;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (next < to) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no answer from Kafka within "
                + timeout.toMillis()
                + " ms while reading the tail of "
                + tp);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        if (r.offset() >= to) {
          next = to;
          break;
        }
        next = r.offset() + 1;
        if (r.key() != null && missing.contains(r.key())) {
          keep(found, r.key(), r.value());
        }
      }
      next = Math.max(next, consumer.position(tp));
    }
    List<String> done = new ArrayList<>();
    for (String s : missing) {
      Position newer = out.get(s);
      Position older = found.get(s);
      if (older == null) {
        continue;
      }
      // a watermark already found in a newer range wins over one found here
      long wm = newer.watermark() != Position.NONE ? newer.watermark() : older.watermark();
      out.put(s, new Position(s, older.lastId(), older.lastTime(), wm));
      if (older.hasTrade()) {
        done.add(s);
      }
    }
    done.forEach(missing::remove);
  }

  private static void keep(Map<String, Position> found, String symbol, byte[] value) {
    TradeLogRecord rec;
    try {
      rec = TradeCodec.decode(value);
    } catch (RuntimeException e) {
      return; // not a record the feed wrote; the aggregator reports those
    }
    Position p =
        found.getOrDefault(
            symbol, new Position(symbol, Position.NONE, Position.NONE, Position.NONE));
    if (rec instanceof TradeRecord t) {
      found.put(symbol, new Position(symbol, t.trade().id(), t.trade().time(), p.watermark()));
    } else if (rec instanceof WatermarkRecord w) {
      found.put(symbol, new Position(symbol, p.lastId(), p.lastTime(), w.time()));
    }
  }
}
