package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertBook;
import candlecast.aggregator.alerts.AlertEffect;
import candlecast.common.Candle;
import candlecast.common.DecodeException;
import candlecast.common.GapRecord;
import candlecast.common.TapeTrade;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fold state of every owned {@code trades} partition, and the folding of a polled batch into
 * candles. Runs on the fold loop's thread only; no Kafka client in here, so a batch folds the same
 * in a unit test.
 *
 * <p>Each record at or after its partition's next offset is folded into its symbol's {@link
 * CandleFolder}; closed candles come out at once, the open candles a batch changed at its end.
 * Malformed records go to {@link Topics#TRADES_DLQ}, late trades to {@link Topics#TRADES_LATE},
 * each with the reason and the raw value. A gap record marks its symbol's candles over the span
 * partial ({@link CandleFolder#gap}). Every trade that is not a duplicate (late ones included: they
 * happened) also goes to its symbol's tape run of the batch, with its offset as its {@code seq}.
 */
final class PartitionFolds {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionFolds.class);

  /**
   * The output of one batch: candles in emission order with their candles partition, then the side
   * records, and the tape: each symbol's non-duplicate trades of the batch in log order; then the
   * gap records of the batch with their candles partition (the history keeps their spans: implied
   * flat windows overlapping one are partial).
   */
  record Batch(
      List<Candle> candles,
      List<Integer> partitions,
      List<ProducerRecord<String, byte[]>> side,
      Map<String, List<TapeTrade>> tape,
      List<GapRecord> gapRecords,
      List<Integer> gapPartitions,
      List<AlertEffect> alerts) {}

  private final long graceMs;
  private final int dedupSize;
  private final Map<Integer, PartitionState> owned = new HashMap<>();
  private final Map<CandleFolder, Integer> folderPartition = new HashMap<>();
  private List<Candle> candles = new ArrayList<>();
  private List<Integer> candlePartitions = new ArrayList<>();
  private Map<String, List<TapeTrade>> tape = new LinkedHashMap<>();
  private List<GapRecord> gapRecords = new ArrayList<>();
  private List<Integer> gapPartitions = new ArrayList<>();
  private List<AlertEffect> alerts = new ArrayList<>();
  private int currentPartition;
  private AlertBook currentBook;
  private final CandleSink collect =
      (s, tf, t, o, h, l, c, v, n, x, partial) -> {
        candles.add(new Candle(s, tf, t, o, h, l, c, v, n, x, partial));
        candlePartitions.add(currentPartition);
        if (x && currentBook != null && currentBook.wantsClosed(s, tf)) {
          currentBook.onClosed(s, tf, t, o, h, l, c, v, n);
        }
      };

  // Counters: plain fields, written by the fold thread only (FoldLoop publishes them once per
  // poll).
  long tradesIn;
  long watermarks;
  long duplicates;
  long late;
  long malformed;
  long gaps;

  /** Gap records that overlapped closed candles the folder no longer kept (those stay unmarked). */
  long gapsIncomplete;

  PartitionFolds(long graceMs, int dedupSize) {
    this.graceMs = graceMs;
    this.dedupSize = dedupSize;
  }

  /**
   * Folds every record of an owned partition at or after its next offset; records of other
   * partitions are skipped.
   */
  Batch fold(ConsumerRecords<byte[], byte[]> recs) {
    List<ProducerRecord<String, byte[]>> side = new ArrayList<>();
    Set<CandleFolder> touched = new HashSet<>();
    for (PartitionState st : owned.values()) {
      st.book(graceMs).beginBatch(alerts);
    }
    for (TopicPartition tp : recs.partitions()) {
      PartitionState st = owned.get(tp.partition());
      if (st == null) {
        continue;
      }
      currentPartition = st.partition;
      currentBook = st.book(graceMs);
      for (ConsumerRecord<byte[], byte[]> r : recs.records(tp)) {
        if (r.offset() < st.nextOffset) {
          continue;
        }
        fold(st, r, side, touched);
        st.nextOffset = r.offset() + 1;
      }
    }
    for (CandleFolder f : touched) {
      currentPartition = folderPartition.get(f);
      PartitionState st = owned.get(currentPartition);
      currentBook = st == null ? null : st.bookOrNull();
      f.flush(collect);
    }
    currentBook = null;
    Batch batch =
        new Batch(candles, candlePartitions, side, tape, gapRecords, gapPartitions, alerts);
    alerts = new ArrayList<>();
    candles = new ArrayList<>();
    candlePartitions = new ArrayList<>();
    tape = new LinkedHashMap<>();
    gapRecords = new ArrayList<>();
    gapPartitions = new ArrayList<>();
    return batch;
  }

  private void fold(
      PartitionState st,
      ConsumerRecord<byte[], byte[]> r,
      List<ProducerRecord<String, byte[]>> side,
      Set<CandleFolder> touched) {
    AlertBook book = st.book(graceMs);
    book.beforeRecord(r.offset());
    TradeLogRecord rec;
    try {
      rec = TradeCodec.decode(r.value());
    } catch (DecodeException e) {
      malformed++;
      side.add(
          new ProducerRecord<>(
              Topics.TRADES_DLQ,
              keyText(r),
              reason(
                  "malformed record at "
                      + r.topic()
                      + "-"
                      + r.partition()
                      + "@"
                      + r.offset()
                      + ": "
                      + e.getMessage(),
                  r.value())));
      return;
    }
    CandleFolder f = st.folders.get(rec.symbol());
    if (f == null) {
      f = new CandleFolder(rec.symbol(), graceMs, dedupSize);
      st.folders.put(rec.symbol(), f);
      folderPartition.put(f, st.partition);
    }
    touched.add(f);
    if (rec instanceof WatermarkRecord w) {
      watermarks++;
      if (w.time() > f.watermark() && book.wantsCauses(rec.symbol())) {
        book.noteCause(rec.symbol(), w.time(), r.offset(), 0, Double.NaN, Double.NaN, false);
      }
      f.advance(w.time(), collect);
      return;
    }
    if (rec instanceof GapRecord g) {
      gap(f, g);
      if (g.from() < g.to()) {
        gapRecords.add(g);
        gapPartitions.add(st.partition);
      }
      return;
    }
    Trade t = ((TradeRecord) rec).trade();
    tradesIn++;
    boolean noted = t.time() > f.watermark() && book.wantsCauses(rec.symbol());
    if (noted) {
      book.noteCause(rec.symbol(), t.time(), r.offset(), t.id(), t.price(), t.amount(), true);
    }
    int res = f.fold(t.id(), t.time(), t.price(), t.amount(), collect);
    if (res == CandleFolder.FOLDED) {
      book.onTrade(rec.symbol(), r.offset(), t.id(), t.time(), t.price(), t.amount());
    } else if (noted) {
      book.dropCause(rec.symbol());
    }
    if (res == CandleFolder.DUPLICATE) {
      duplicates++;
      return;
    }
    tape.computeIfAbsent(rec.symbol(), s -> new ArrayList<>()).add(TapeTrade.of(r.offset(), t));
    if (res == CandleFolder.LATE) {
      late++;
      side.add(
          new ProducerRecord<>(
              Topics.TRADES_LATE,
              keyText(r),
              reason(
                  "late: the trade's 1s window closed"
                      + " (symbol watermark "
                      + f.watermark()
                      + ", grace "
                      + graceMs
                      + " ms)",
                  r.value())));
    }
  }

  private void gap(CandleFolder f, GapRecord g) {
    gaps++;
    int forgotten = f.gap(g.from(), g.to(), collect);
    if (forgotten > 0) {
      gapsIncomplete++;
      LOG.warn(
          "gap of {} from {} to {}: closed candles of {} timeframe(s) it overlaps are older than those kept"
              + " and stay unmarked",
          g.symbol(),
          g.from(),
          g.to(),
          forgotten);
    } else {
      LOG.info(
          "gap of {} from {} to {}: the candles it overlaps are marked partial",
          g.symbol(),
          g.from(),
          g.to());
    }
  }

  private static String keyText(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  private static byte[] reason(String reason, byte[] raw) {
    JsonObject o =
        new JsonObject()
            .put("reason", reason)
            .put("raw", raw == null ? null : new String(raw, StandardCharsets.UTF_8));
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- ownership

  PartitionState get(int partition) {
    return owned.get(partition);
  }

  boolean owns(int partition) {
    return owned.containsKey(partition);
  }

  /** The owned partitions (a copy). */
  List<Integer> partitions() {
    return new ArrayList<>(owned.keySet());
  }

  /** Takes {@code st} as the state of its partition, replacing what was held (after a restore). */
  void put(PartitionState st) {
    st.book(graceMs);
    PartitionState old = owned.put(st.partition, st);
    if (old != null) {
      old.folders.values().forEach(folderPartition::remove);
    }
    st.folders.values().forEach(f -> folderPartition.put(f, st.partition));
  }

  /** Forgets a partition; returns its state, or null when it was not owned. */
  PartitionState remove(int partition) {
    PartitionState st = owned.remove(partition);
    if (st != null) {
      st.folders.values().forEach(folderPartition::remove);
    }
    return st;
  }

  void clear() {
    owned.clear();
    folderPartition.clear();
  }
}
