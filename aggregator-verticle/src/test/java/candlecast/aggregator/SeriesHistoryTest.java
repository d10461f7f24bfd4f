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
    h.put(5_000, 1, 1, 1, 1, 0, 0, true);
    h.put(3_000, 1, 1, 1, 1, 0, 0, true);
    h.put(4_000, 1, 1, 1, 1, 0, 0, true);
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .extracting(Candle::openTime)
        .containsExactly(3_000L, 4_000L, 5_000L);
    for (long t = 6_000; t <= 100_000; t += 1_000) {
      h.put(t, 1, 1, 1, 1, 0, 0, true);
    }
    assertThat(h.oldestOpenTime()).isEqualTo(90_000L);
    assertThat(h.count()).isEqualTo(11);
    h.put(1_000, 1, 1, 1, 1, 0, 0, true); // older than retention
    assertThat(h.oldestOpenTime()).isEqualTo(90_000L);
  }

  @Test
  void keepsThePartialFlagAndAReplacementChangesIt() {
    SeriesHistory h = new SeriesHistory("BTCUSD", Timeframe.M1, 0);
    h.put(0, 1, 2, 0.5, 1.5, 3, 4, true);
    h.put(60_000, 1, 1, 1, 1, 0, 0, false, true);
    assertThat(h.query(Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .containsExactly(
            new Candle("BTCUSD", Timeframe.M1, 0, 1, 2, 0.5, 1.5, 3, 4, true, false),
            new Candle("BTCUSD", Timeframe.M1, 60_000, 1, 1, 1, 1, 0, 0, false, true));
    h.put(0, 1, 2, 0.5, 1.5, 3, 4, true, true); // a closed candle re-emitted partial
    assertThat(h.query(0, 0, 1))
        .containsExactly(new Candle("BTCUSD", Timeframe.M1, 0, 1, 2, 0.5, 1.5, 3, 4, true, true));
    HistoryStore store = new HistoryStore(HistoryStore.defaultRetention());
    Candle c = new Candle("ETHUSD", Timeframe.S1, 5_000, 1, 1, 1, 1, 0, 0, true, true);
    store.put(c);
    assertThat(store.query("ETHUSD", Timeframe.S1, Long.MIN_VALUE, Long.MAX_VALUE, 5))
        .containsExactly(c);
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

  private static Candle bar(long t, CandleSource src) {
    return new Candle("BTCUSD", Timeframe.M1, t, 9, 9, 9, 9, 9, 0, true, false, src);
  }
}
