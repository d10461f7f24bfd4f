package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.GapRecord;
import candlecast.common.Side;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A replay of 9,000 trades spread over a year (issue 15: it used to emit 31.5 M flat 1s candles)
 * through the real fold path ({@link PartitionFolds}, batches as polled): the records stored are
 * bounded by the trades, and the history — live, and rebuilt from the stored records and the fold
 * states as after a restart — equals the oracle's full series, flat windows included.
 */
class YearReplayTest {
  private static final long T0 = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
  private static final long YEAR = 365L * 86_400_000L;
  private static final long TWO_DAYS = 2 * 86_400_000L;
  private static final int TRADES = 9_000;
  private static final long GRACE = 250;

  /** The log: trades at seeded random times in order, one gap record, a final watermark. */
  static List<byte[]> log(long seed) {
    Random rnd = new Random(seed);
    long[] times = new long[TRADES];
    for (int i = 0; i < TRADES; i++) {
      times[i] = T0 + (long) (rnd.nextDouble() * YEAR);
    }
    Arrays.sort(times);
    List<byte[]> log = new ArrayList<>(TRADES + 2);
    double price = 40_000;
    for (int i = 0; i < TRADES; i++) {
      price = Math.max(1, price * (1 + rnd.nextGaussian() * 0.01));
      double rounded = Math.round(price * 100) / 100.0;
      log.add(TradeCodec.encode(new Trade("BTCUSD", i + 1, times[i], rounded, 0.5, Side.BUY)));
      if (i == TRADES / 2) {
        // an outage over the previous hundred trades, reported late
        log.add(TradeCodec.encodeGap("BTCUSD", times[i - 100] + 1, times[i - 50]));
      }
    }
    log.add(TradeCodec.encodeWatermark("BTCUSD", T0 + YEAR));
    return log;
  }

  @Test
  void aYearOfSparseTradesStoresWhatItsTradesCostAndHistoryEqualsTheOracle() {
    List<byte[]> log = log(15);
    PartitionFolds folds = new PartitionFolds(GRACE, 8_192);
    folds.put(new PartitionState(0, 0));
    HistoryStore history = new HistoryStore(new long[Timeframe.COUNT]);
    Map<String, Candle> stored = new HashMap<>();
    List<GapRecord> gaps = new ArrayList<>();
    long emitted = 0;
    long writes = 0;
    long t0 = System.nanoTime();
    for (int from = 0; from < log.size(); from += 500) {
      PartitionFolds.Batch b = folds.fold(batch(log, from, Math.min(log.size(), from + 500)));
      for (GapRecord g : b.gapRecords()) { // as the verticle does: spans, then candles
        history.gap(g.symbol(), g.from(), g.to());
        gaps.add(g);
      }
      for (Candle c : b.candles()) {
        history.put(c);
        emitted++;
        if (HistoryRecords.stored(c)) {
          writes++;
          stored.put(c.key(), c);
        }
      }
    }
    long foldMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "year replay: %,d trades folded in %d ms, %,d candles emitted, %,d written, %,d keys%n",
        TRADES, foldMs, emitted, writes, stored.size());
    assertThat(gaps).hasSize(1);
    assertThat(stored.size()).isLessThanOrEqualTo(TRADES * Timeframe.COUNT);
    assertThat(writes).isLessThanOrEqualTo(2L * TRADES * Timeframe.COUNT);
    assertThat(emitted)
        .as("live stream: the last minute's windows per jump")
        .isLessThan((60L + 8L * Timeframe.COUNT) * TRADES);
    assertThat(history.memoryBytes("BTCUSD")).isLessThan(64L * 2 * TRADES * Timeframe.COUNT);

    Timeframe[] coarse = Arrays.copyOfRange(Timeframe.values(), 1, Timeframe.COUNT);
    Oracle oracle = new Oracle(GRACE, 8_192, ClosedWindows.KEPT, coarse);
    log.forEach(oracle::accept);
    assertThat(oracle.trades).isEqualTo(TRADES);
    assertThat(oracle.late).isZero();
    assertThat(series(history, coarse)).containsExactlyInAnyOrderEntriesOf(oracle.latest());
    assertThat(series(history, coarse))
        .as("flat windows over the gap are partial")
        .anySatisfy((k, c) -> assertThat(c.partial() && c.trades() == 0).isTrue());

    // 1s: the oracle over the first two days (172,800 windows; a year would be 31.5 M)
    Oracle seconds = new Oracle(GRACE, 8_192, ClosedWindows.KEPT, Timeframe.S1);
    long lastPrefix = Long.MIN_VALUE;
    for (byte[] rec : log) {
      if (TradeCodec.decode(rec) instanceof candlecast.common.TradeRecord r) {
        if (r.trade().time() >= T0 + TWO_DAYS) {
          break;
        }
        lastPrefix = r.trade().time();
      }
      seconds.accept(rec);
    }
    long cutoff = lastPrefix - 2_000; // closed in the prefix, so final
    Map<String, Candle> expected = new HashMap<>();
    seconds
        .latest()
        .forEach(
            (k, c) -> {
              if (c.openTime() <= cutoff) {
                expected.put(k, c);
              }
            });
    Map<String, Candle> actual = new HashMap<>();
    for (Candle c : history.query("BTCUSD", Timeframe.S1, T0, cutoff, Integer.MAX_VALUE)) {
      actual.put(c.key(), c);
    }
    assertThat(expected).hasSizeGreaterThan(100_000);
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);

    // a restart: the history rebuilt from the stored records, the gap records and the fold state
    HistoryStore rebuilt = new HistoryStore(new long[Timeframe.COUNT]);
    stored.values().forEach(rebuilt::put);
    gaps.forEach(g -> rebuilt.gap(g.symbol(), g.from(), g.to()));
    folds.get(0).folders.values().forEach(rebuilt::seed);
    assertThat(series(rebuilt, coarse)).containsExactlyInAnyOrderEntriesOf(oracle.latest());
  }

  private static Map<String, Candle> series(HistoryStore store, Timeframe[] tfs) {
    Map<String, Candle> out = new HashMap<>();
    Set<Timeframe> want = new HashSet<>(Arrays.asList(tfs));
    for (Timeframe tf : want) {
      for (Candle c :
          store.query("BTCUSD", tf, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE)) {
        out.put(c.key(), c);
      }
    }
    return out;
  }

  private static ConsumerRecords<byte[], byte[]> batch(List<byte[]> log, int from, int to) {
    List<ConsumerRecord<byte[], byte[]>> recs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      recs.add(
          new ConsumerRecord<>(
              Topics.TRADES, 0, i, "BTCUSD".getBytes(StandardCharsets.UTF_8), log.get(i)));
    }
    return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.TRADES, 0), recs));
  }
}
