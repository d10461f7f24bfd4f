package candlecast.aggregator;

import candlecast.common.DecodeException;
import candlecast.common.TapeTrade;
import candlecast.common.Topics;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Rebuilds the trade rings ({@link TradeRing}) of a {@code trades} partition the aggregator takes
 * over, the way history is rebuilt: by reading the partition back from the offset folding resumes
 * at, in chunks towards its beginning, until every symbol's ring is full, the beginning is reached,
 * or a bound on the records read ({@code 2 × ring size × (symbols + 1)}) is hit. Each ring then
 * knows from where it is complete, so a request for trades it cannot answer in full is told so.
 * Duplicates (a trade id repeated in the symbol's log) are kept once. Blocking; runs on the fold
 * loop's thread inside the rebalance listener.
 */
final class TapeLoader {
  private static final Duration POLL = Duration.ofMillis(200);

  /** The rebuilt rings of one partition and the records read back. */
  record Result(Map<String, TradeRing> rings, long read) {}

  private final int ringSize;

  TapeLoader(int ringSize) {
    this.ringSize = ringSize;
  }

  /**
   * @param begin the partition's beginning offset
   * @param end the offset folding resumes at: trades before it are read back
   * @param symbols the symbols the partition's fold state knows (each gets a ring, maybe empty)
   */
  Result load(
      KafkaConsumer<String, byte[]> r,
      int partition,
      long begin,
      long end,
      Collection<String> symbols) {
    TopicPartition tp = new TopicPartition(Topics.TRADES, partition);
    Collector c = new Collector(ringSize, symbols);
    long chunk = (long) ringSize * (symbols.size() + 1);
    long budget = 2 * chunk;
    long start = end;
    long read = 0;
    while (start > begin && read < budget && !c.full()) {
      long from = Math.max(begin, start - Math.min(chunk, budget - read));
      c.prepend(readRange(r, tp, from, start));
      read += start - from;
      start = from;
    }
    return new Result(c.rings(start - 1), read);
  }

  /** The records of {@code tp} in {@code [from, to)}. */
  private static List<ConsumerRecord<String, byte[]>> readRange(
      KafkaConsumer<String, byte[]> r, TopicPartition tp, long from, long to) {
    r.assign(List.of(tp));
    r.seek(tp, from);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    while (r.position(tp) < to) {
      for (ConsumerRecord<String, byte[]> rec : r.poll(POLL)) {
        if (rec.offset() < to) {
          out.add(rec);
        }
      }
    }
    return out;
  }

  /** Collects each symbol's newest trades from chunks of the log given newest chunk first. Pure. */
  static final class Collector {
    private final int ringSize;
    private final Map<String, ArrayDeque<TapeTrade>> newest = new LinkedHashMap<>();

    /** Per symbol: the seq of the newest trade left out because its ring was full. */
    private final Map<String, Long> leftOut = new HashMap<>();

    Collector(int ringSize, Collection<String> symbols) {
      this.ringSize = ringSize;
      for (String s : symbols) {
        newest.put(s, new ArrayDeque<>());
      }
    }

    /**
     * Adds the trades of a chunk that lies before every chunk added so far (records in offset
     * order).
     */
    void prepend(List<ConsumerRecord<String, byte[]>> chunk) {
      for (int i = chunk.size() - 1; i >= 0; i--) {
        ConsumerRecord<String, byte[]> rec = chunk.get(i);
        TradeLogRecord d;
        try {
          d = rec.value() == null ? null : TradeCodec.decode(rec.value());
        } catch (DecodeException e) {
          continue; // the fold sent it to trades.dlq
        }
        if (d instanceof TradeRecord t) {
          ArrayDeque<TapeTrade> q = newest.computeIfAbsent(d.symbol(), s -> new ArrayDeque<>());
          if (q.size() < ringSize) {
            q.addFirst(TapeTrade.of(rec.offset(), t.trade()));
          } else {
            leftOut.putIfAbsent(d.symbol(), rec.offset());
          }
        }
      }
    }

    /** Whether every symbol's ring would be full. */
    boolean full() {
      for (ArrayDeque<TapeTrade> q : newest.values()) {
        if (q.size() < ringSize) {
          return false;
        }
      }
      return true;
    }

    /**
     * The rings, each complete after {@code floor} (the offset before the oldest one read) or after
     * its newest trade left out, whichever is later.
     */
    Map<String, TradeRing> rings(long floor) {
      Map<String, TradeRing> out = new LinkedHashMap<>();
      for (Map.Entry<String, ArrayDeque<TapeTrade>> e : newest.entrySet()) {
        TradeRing ring =
            new TradeRing(
                ringSize, Math.max(floor, leftOut.getOrDefault(e.getKey(), Long.MIN_VALUE)));
        Set<Long> ids = new HashSet<>();
        for (Iterator<TapeTrade> it = e.getValue().iterator(); it.hasNext(); ) {
          TapeTrade t = it.next();
          if (ids.add(t.id())) {
            ring.append(t);
          }
        }
        out.put(e.getKey(), ring);
      }
      return out;
    }
  }
}
