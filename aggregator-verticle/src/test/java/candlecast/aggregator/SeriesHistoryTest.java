package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesHistoryTest {
  @Test
  void upsertsByOpenTimeAndAnswersRangesNewestLimitOldestFirst() {
    SeriesHistory h = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    for (int i = 0; i < 100; i++) {
      h.put(i * 60_000L, i, i, i, i, 1, 1, true);
    }
    h.put(99 * 60_000L, 5, 6, 4, 5.5, 2, 3, false); // replace newest
    h.put(50 * 60_000L + 0, 1, 1, 1, 1, 1, 1, true); // replace in the middle
    assertThat(h.count()).isEqualTo(100);
    List<Candle> last3 = h.query(Long.MIN_VALUE, Long.MAX_VALUE, 3);
    assertThat(last3)
        .extracting(Candle::openTime)
        .containsExactly(97 * 60_000L, 98 * 60_000L, 99 * 60_000L);
    assertThat(last3.get(2))
        .isEqualTo(new Candle("BTCUSD", Timeframe.M1, 99 * 60_000L, 5, 6, 4, 5.5, 2, 3, false));
    assertThat(h.query(10 * 60_000L, 12 * 60_000L, 100))
        .extracting(Candle::openTime)
        .containsExactly(10 * 60_000L, 11 * 60_000L, 12 * 60_000L);
    assertThat(h.query(50 * 60_000L, 50 * 60_000L, 1).get(0).open()).isEqualTo(1.0);
  }

  @Test
  void outOfOrderInsertKeepsOrderAndRetentionDropsOld() {
    SeriesHistory h = new SeriesHistory("BTCUSD", Timeframe.S1, 10_000);
    h.put(5_000, 1, 1, 1, 1, 1, 1, true);
    h.put(3_000, 1, 1, 1, 1, 1, 1, true);
    h.put(4_000, 1, 1, 1, 1, 1, 1, true);
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .extracting(Candle::openTime)
        .containsExactly(3_000L, 4_000L, 5_000L);
    for (long t = 6_000; t <= 100_000; t += 1_000) {
      h.put(t, 1, 1, 1, 1, 1, 1, true);
    }
    assertThat(h.oldestOpenTime()).isEqualTo(90_000L);
    assertThat(h.count()).isEqualTo(11);
    h.put(1_000, 1, 1, 1, 1, 1, 1, true); // older than retention
    assertThat(h.oldestOpenTime()).isEqualTo(90_000L);
  }

  @Test
  void keepsThePartialFlagAndAReplacementChangesIt() {
    SeriesHistory h = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    h.put(0, 1, 2, 0.5, 1.5, 3, 4, true);
    h.put(60_000, 1, 1, 1, 1, 1, 1, false, true);
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .containsExactly(
            new Candle("BTCUSD", Timeframe.M1, 0, 1, 2, 0.5, 1.5, 3, 4, true, false),
            new Candle("BTCUSD", Timeframe.M1, 60_000, 1, 1, 1, 1, 1, 1, false, true));
    h.put(0, 1, 2, 0.5, 1.5, 3, 4, true, true); // a closed candle re-emitted partial
    assertThat(h.query(0, 0, 1))
        .containsExactly(new Candle("BTCUSD", Timeframe.M1, 0, 1, 2, 0.5, 1.5, 3, 4, true, true));
    HistoryStore store = new HistoryStore(HistoryStore.defaultRetention());
    Candle c = new Candle("ETHUSD", Timeframe.S1, 5_000, 1, 1, 1, 1, 2, 1, true, true);
    store.put(c);
    assertThat(store.query("ETHUSD", Timeframe.S1, Long.MIN_VALUE, Long.MAX_VALUE, 5))
        .containsExactly(c);
  }

  /**
   * By default weeks and months (with trades) are kept without limit: ten years of them, none
   * dropped.
   */
  @Test
  void weeksAndMonthsAreKeptWithoutLimitByDefault() {
    HistoryStore store = new HistoryStore(HistoryStore.defaultRetention());
    java.time.LocalDate first = java.time.LocalDate.of(2016, 1, 1);
    int months = 120;
    for (int i = 0; i < months; i++) {
      long t = first.plusMonths(i).toEpochDay() * 86_400_000L;
      store.put(new Candle("BTCUSD", Timeframe.MN1, t, 1, 1, 1, 1, 1, 1, true));
    }
    java.time.LocalDate monday = java.time.LocalDate.of(2016, 1, 4);
    for (int i = 0; i < 520; i++) {
      long t = monday.plusWeeks(i).toEpochDay() * 86_400_000L;
      store.put(new Candle("BTCUSD", Timeframe.W1, t, 1, 1, 1, 1, 1, 1, true));
    }
    assertThat(store.query("BTCUSD", Timeframe.MN1, Long.MIN_VALUE, Long.MAX_VALUE, 1_000))
        .hasSize(months)
        .first()
        .extracting(Candle::openTime)
        .isEqualTo(first.toEpochDay() * 86_400_000L);
    assertThat(store.query("BTCUSD", Timeframe.W1, Long.MIN_VALUE, Long.MAX_VALUE, 1_000))
        .hasSize(520);
  }

  /**
   * Windows without trades are not stored; a query synthesizes them flat at the previous close,
   * closed up to the newest closed window seen, partial over a known gap span, up to the newest
   * window seen.
   */
  @Test
  void synthesizesImpliedFlatWindowsBetweenStoredOnesAndUpToTheNewestWindow() {
    HistoryStore store = new HistoryStore(new long[Timeframe.COUNT]);
    store.put(new Candle("X1", Timeframe.M1, 0, 5, 6, 4, 4.5, 1, 2, true));
    store.put(new Candle("X1", Timeframe.M1, 180_000, 7, 7, 7, 7, 1, 1, true));
    store.put(new Candle("X1", Timeframe.M1, 240_000, 7, 7, 7, 7, 0, 0, true)); // implied
    store.put(new Candle("X1", Timeframe.M1, 300_000, 7, 7, 7, 7, 0, 0, false)); // implied, open
    store.gap("X1", 70_000, 80_000);
    SeriesHistory h = store.series("X1", Timeframe.M1);
    assertThat(h.count()).as("stored").isEqualTo(2);
    assertThat(h.newestOpenTime()).isEqualTo(300_000L);
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 100))
        .containsExactly(
            new Candle("X1", Timeframe.M1, 0, 5, 6, 4, 4.5, 1, 2, true),
            new Candle("X1", Timeframe.M1, 60_000, 4.5, 4.5, 4.5, 4.5, 0, 0, true, true),
            new Candle("X1", Timeframe.M1, 120_000, 4.5, 4.5, 4.5, 4.5, 0, 0, true),
            new Candle("X1", Timeframe.M1, 180_000, 7, 7, 7, 7, 1, 1, true),
            new Candle("X1", Timeframe.M1, 240_000, 7, 7, 7, 7, 0, 0, true),
            new Candle("X1", Timeframe.M1, 300_000, 7, 7, 7, 7, 0, 0, false));
    assertThat(h.query(60_000, 130_000, 100))
        .extracting(Candle::openTime)
        .containsExactly(60_000L, 120_000L);
    assertThat(h.query(Long.MIN_VALUE, 250_000, 2))
        .extracting(Candle::openTime)
        .containsExactly(180_000L, 240_000L);
    assertThat(h.query(Long.MIN_VALUE, -1, 10)).isEmpty();
  }

  /** A query walks back from its end with its limit: a year without trades costs nothing. */
  @Test
  void aQueryOverAYearWithoutTradesCostsItsLimit() {
    HistoryStore store = new HistoryStore(new long[Timeframe.COUNT]);
    long year = 365L * 86_400_000L;
    store.put(new Candle("X1", Timeframe.S1, 0, 5, 5, 5, 5, 1, 1, true));
    // what a jump emits: the last implied window (closed, flat), then the new one
    store.put(new Candle("X1", Timeframe.S1, year - 1_000, 5, 5, 5, 5, 0, 0, true));
    store.put(new Candle("X1", Timeframe.S1, year, 6, 6, 6, 6, 1, 1, false));
    SeriesHistory h = store.series("X1", Timeframe.S1);
    List<Candle> last = h.query(Long.MIN_VALUE, year - 1, 500);
    assertThat(last).hasSize(500);
    assertThat(last.get(0).openTime()).isEqualTo(year - 500_000);
    assertThat(last).allMatch(c -> c.close() == 5 && c.trades() == 0 && c.closed());
    assertThat(h.query(1_000, 3_000, 500))
        .extracting(Candle::openTime)
        .containsExactly(1_000L, 2_000L, 3_000L);
    assertThat(h.memoryBytes()).isLessThan(2_000);
  }

  /**
   * Segments: candles in and out of order, across segment boundaries (splits), answer as a plain
   * sorted map with flat windows filled in does.
   */
  @Test
  void segmentedStorageAnswersAsASortedMapWithFlatsFilledIn() {
    java.util.Random rnd = new java.util.Random(7);
    SeriesHistory h = new SeriesHistory("X1", Timeframe.M1, 0);
    java.util.TreeMap<Long, Candle> model = new java.util.TreeMap<>();
    long m = 60_000;
    for (int i = 0; i < 40_000; i++) {
      long t = (rnd.nextInt(10) < 8 ? 3L * i : rnd.nextInt(3 * (i + 1))) * m;
      double p = 1 + rnd.nextInt(1000);
      h.put(t, p, p + 1, p - 1, p, 1, 1 + rnd.nextInt(9), true);
      model.put(t, h.query(t, t, 1).get(0));
    }
    assertThat(h.count()).isEqualTo(model.size());
    assertThat(h.memoryBytes()).isLessThan(model.size() * 53L * 3);
    List<Candle> all = h.query(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
    List<Candle> expected = new java.util.ArrayList<>();
    Candle prev = null;
    for (long t = model.firstKey(); t <= model.lastKey(); t += m) {
      Candle c = model.get(t);
      if (c == null) {
        double f = prev.close();
        c = new Candle("X1", Timeframe.M1, t, f, f, f, f, 0, 0, true);
      } else {
        prev = c;
      }
      expected.add(c);
    }
    assertThat(all).isEqualTo(expected);
    long mid = model.firstKey() + (model.lastKey() - model.firstKey()) / 2;
    assertThat(h.query(Long.MIN_VALUE, mid, 1_000))
        .isEqualTo(
            expected.subList(
                (int) ((mid - model.firstKey()) / m) - 999,
                (int) ((mid - model.firstKey()) / m) + 1));
  }

  /** Retention drops whole segments as the series moves on. */
  @Test
  void retentionDropsOldSegments() {
    SeriesHistory h = new SeriesHistory("X1", Timeframe.S1, 10_000_000L);
    for (long t = 0; t < 100_000_000L; t += 1_000) {
      h.put(t, 1, 1, 1, 1, 1, 1, true);
    }
    assertThat(h.count()).isEqualTo(10_001);
    assertThat(h.oldestOpenTime()).isEqualTo(100_000_000L - 1_000 - 10_000_000L);
    assertThat(h.memoryBytes()).isLessThan(4L * HistorySegment.MAX * HistorySegment.SLOT_BYTES);
  }

  /**
   * Exchange/import bars keep their origin and never replace a trades candle; trades replace them.
   */
  @Test
  void barsNeverReplaceTradesCandlesAndKeepTheirSource() {
    SeriesHistory h = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    Candle traded = new Candle("BTCUSD", Timeframe.M1, 120_000L, 5, 6, 4, 5.5, 2, 3, true);
    h.putCandle(traded);
    Candle over = bar(120_000L, CandleSource.EXCHANGE);
    Candle before = bar(60_000L, CandleSource.EXCHANGE);
    Candle imported = bar(0L, CandleSource.IMPORT);
    assertThat(h.putCandle(over)).isFalse();
    assertThat(h.putCandle(before)).isTrue();
    assertThat(h.putCandle(imported)).isTrue();
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .containsExactly(imported, before, traded);
    assertThat(h.holdsTrades(120_000L)).isTrue();
    assertThat(h.holdsTrades(60_000L)).isFalse();
    assertThat(h.oldestTradesOpenTime()).isEqualTo(120_000L);
    Candle laterTrades = new Candle("BTCUSD", Timeframe.M1, 60_000L, 1, 1, 1, 1, 1, 1, true);
    assertThat(h.putCandle(laterTrades)).isTrue();
    assertThat(h.query(60_000L, 60_000L, 1)).containsExactly(laterTrades);
    assertThat(h.oldestTradesOpenTime()).isEqualTo(60_000L);
  }

  /** Nothing is implied after an imported bar: a stock's weekend stays without a candle. */
  @Test
  void importedBarsGetNoImpliedFlatWindowsBetweenThem() {
    SeriesHistory h = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    Candle friday = bar(0L, CandleSource.IMPORT);
    Candle monday = bar(3 * 60_000L, CandleSource.IMPORT);
    h.putCandle(friday);
    h.putCandle(monday);
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10)).containsExactly(friday, monday);
    Candle traded = new Candle("BTCUSD", Timeframe.M1, 6 * 60_000L, 5, 6, 4, 5.5, 2, 3, true);
    h.putCandle(traded);
    h.put(8 * 60_000L, 5.5, 5.5, 5.5, 5.5, 0, 0, false); // the open window, implied
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .extracting(Candle::openTime)
        .as("flats follow the trades candle only")
        .containsExactly(0L, 3 * 60_000L, 6 * 60_000L, 7 * 60_000L, 8 * 60_000L);
  }

  private static Candle bar(long t, CandleSource src) {
    return new Candle("BTCUSD", Timeframe.M1, t, 9, 9, 9, 9, 9, 0, true, false, src);
  }
}
