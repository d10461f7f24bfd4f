package candlecast.aggregator;

import candlecast.common.DecodeException;
import candlecast.common.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores {@code trades} partitions the aggregator takes over: the fold state from each
 * partition's newest checkpoint (or a fresh state from the partition's beginning), the candle
 * history from the {@code candles} partition of the same index, and the recent trades of each
 * symbol from the partition itself ({@link TapeLoader}). Blocking, with a reader consumer of its
 * own per call; runs on the fold loop's thread.
 */
final class PartitionLoader {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLoader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** How long a checkpoint that the end offsets promise may take to arrive. */
  private static final long CHECKPOINT_WAIT_MS = 30_000;

  /**
   * Restored partitions: their fold states, histories and trade rings, the history records read,
   * the unreadable ones and the trades records read back.
   */
  record Loaded(
      Map<Integer, PartitionState> states,
      Map<Integer, HistoryStore> histories,
      Map<Integer, Map<String, TradeRing>> rings,
      long records,
      long malformed,
      long tradesRead) {}

  private record HistoryCounts(long records, long malformed) {}

  private final FoldOptions opt;
  private final TapeLoader tape;
  private final AlertLoader alerts;

  PartitionLoader(FoldOptions opt) {
    this.opt = opt;
    this.tape = new TapeLoader(opt.tradesRingSize());
    this.alerts = new AlertLoader(opt.graceMs());
  }

  /** Restores the fold state and reads the history and the recent trades of each partition. */
  Loaded load(List<Integer> ps) {
    long t0 = System.nanoTime();
    try (KafkaConsumer<String, byte[]> r = reader()) {
      long t1 = System.nanoTime();
      Map<Integer, PartitionState> states = restoreStates(r, ps);
      alerts.load(r, states);
      long t2 = System.nanoTime();
      Map<Integer, HistoryStore> histories = new HashMap<>();
      HistoryCounts counts = readHistory(r, ps, histories);
      states.forEach((p, st) -> st.folders.values().forEach(f -> histories.get(p).seed(f)));
      long t3 = System.nanoTime();
      Map<Integer, Map<String, TradeRing>> rings = new HashMap<>();
      long tradesRead = readTape(r, states, rings);
      LOG.info(
          "restore of {}: reader {} ms, checkpoints and alerts {} ms, history {} ms, trades {} ms",
          ps,
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          (System.nanoTime() - t3) / 1_000_000);
      return new Loaded(states, histories, rings, counts.records(), counts.malformed(), tradesRead);
    }
  }

  /**
   * Rebuilds each partition's trade rings from the trades before its restored offset; returns the
   * records read.
   */
  private long readTape(
      KafkaConsumer<String, byte[]> r,
      Map<Integer, PartitionState> states,
      Map<Integer, Map<String, TradeRing>> out) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p : states.keySet()) {
      tps.add(new TopicPartition(Topics.TRADES, p));
    }
    Map<TopicPartition, Long> begin = r.beginningOffsets(tps);
    long read = 0;
    for (TopicPartition tp : tps) {
      PartitionState st = states.get(tp.partition());
      TapeLoader.Result res =
          tape.load(r, tp.partition(), begin.get(tp), st.nextOffset, st.folders.keySet());
      out.put(tp.partition(), res.rings());
      read += res.read();
    }
    return read;
  }

  /** Restores the fold state of one partition (after a failed write). */
  PartitionState restore(int p) {
    try (KafkaConsumer<String, byte[]> r = reader()) {
      Map<Integer, PartitionState> states = restoreStates(r, List.of(p));
      alerts.load(r, states);
      return states.get(p);
    }
  }

  private KafkaConsumer<String, byte[]> reader() {
    return new KafkaConsumer<>(
        opt.readerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The state of each partition from its newest readable checkpoint, or fresh from the partition's
   * beginning.
   */
  private Map<Integer, PartitionState> restoreStates(
      KafkaConsumer<String, byte[]> r, List<Integer> ps) {
    Map<Integer, byte[]> last = newestCheckpoints(r, ps);
    List<TopicPartition> fresh = new ArrayList<>();
    Map<Integer, PartitionState> out = new HashMap<>();
    for (int p : ps) {
      PartitionState st = decode(p, last.get(p));
      if (st != null) {
        out.put(p, st);
      } else {
        fresh.add(new TopicPartition(Topics.TRADES, p));
      }
    }
    if (!fresh.isEmpty()) {
      Map<TopicPartition, Long> starts = r.beginningOffsets(fresh);
      for (TopicPartition tp : fresh) {
        out.put(tp.partition(), new PartitionState(tp.partition(), starts.get(tp)));
      }
    }
    return out;
  }

  /**
   * The state in a checkpoint value, or null when there is none or it is unreadable (also one from
   * before 1w and 1M): the partition is then folded from the start of its log.
   */
  static PartitionState decode(int p, byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      PartitionCheckpoint cp = PartitionCheckpoint.decode(value);
      PartitionState st = new PartitionState(p, cp.nextOffset());
      for (CandleFolder f : cp.folders()) {
        st.folders.put(f.symbol(), f);
      }
      st.checkpointAlerts = cp.alerts();
      return st;
    } catch (IOException e) {
      LOG.warn(
          "checkpoint of trades partition {} unreadable ({}); replaying the partition from its start",
          p,
          e.getMessage());
      return null;
    }
  }

  /**
   * The last committed record of each partition's checkpoint partition (same index), for those that
   * have one. Checkpoints are written in transactions, so the log ends with commit markers (and
   * possibly aborted checkpoints): each partition is read from a window before its end, widened
   * eightfold until it holds a committed record or reaches the partition's start.
   */
  private static Map<Integer, byte[]> newestCheckpoints(
      KafkaConsumer<String, byte[]> r, List<Integer> ps) {
    List<TopicPartition> ctps = new ArrayList<>();
    for (int p : ps) {
      ctps.add(new TopicPartition(Topics.CHECKPOINTS, p));
    }
    r.assign(ctps);
    Map<TopicPartition, Long> end = r.endOffsets(ctps);
    Map<TopicPartition, Long> begin = r.beginningOffsets(ctps);
    Map<TopicPartition, Long> window = new HashMap<>();
    List<TopicPartition> pending = new ArrayList<>();
    for (TopicPartition ctp : ctps) {
      if (end.get(ctp) > begin.get(ctp)) {
        pending.add(ctp);
        window.put(ctp, 4L); // a checkpoint, its commit marker, and room for one aborted try
      }
    }
    Map<Integer, byte[]> last = new HashMap<>();
    long deadline = System.currentTimeMillis() + CHECKPOINT_WAIT_MS;
    while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
      r.assign(pending);
      for (TopicPartition ctp : pending) {
        r.seek(ctp, Math.max(begin.get(ctp), end.get(ctp) - window.get(ctp)));
      }
      while (pending.stream().anyMatch(tp -> r.position(tp) < end.get(tp))
          && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> rec : r.poll(POLL)) {
          last.put(rec.partition(), rec.value()); // in offset order: the newest stays
        }
      }
      List<TopicPartition> wider = new ArrayList<>();
      for (TopicPartition ctp : pending) {
        long w = window.get(ctp);
        if (!last.containsKey(ctp.partition()) && end.get(ctp) - w > begin.get(ctp)) {
          window.put(ctp, w * 8);
          wider.add(ctp);
        }
      }
      pending = wider;
    }
    return last;
  }

  /**
   * Reads candles partitions {@code ps} (same indexes as trades) into one history store per
   * partition.
   *
   * @return the candles read and the unreadable ones
   */
  private HistoryCounts readHistory(
      KafkaConsumer<String, byte[]> r, List<Integer> ps, Map<Integer, HistoryStore> out) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p : ps) {
      tps.add(new TopicPartition(Topics.CANDLES, p));
      out.put(p, new HistoryStore(opt.retentionMs()));
    }
    r.assign(tps);
    r.seekToBeginning(tps);
    Map<TopicPartition, Long> end = r.endOffsets(tps);
    long count = 0;
    long malformed = 0;
    while (tps.stream().anyMatch(tp -> r.position(tp) < end.get(tp))) {
      for (ConsumerRecord<String, byte[]> rec : r.poll(POLL)) {
        if (rec.value() == null) {
          continue;
        }
        try {
          HistoryRecords.load(rec.key(), rec.value(), out.get(rec.partition()));
          count++;
        } catch (DecodeException e) {
          malformed++;
        }
      }
    }
    return new HistoryCounts(count, malformed);
  }
}
