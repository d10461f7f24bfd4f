package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
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

  /** By default weeks and months are kept without limit: ten years of them, none dropped. */
  @Test
  void weeksAndMonthsAreKeptWithoutLimitByDefault() {
    HistoryStore store = new HistoryStore(HistoryStore.defaultRetention());
    java.time.LocalDate first = java.time.LocalDate.of(2016, 1, 1);
    int months = 120;
    for (int i = 0; i < months; i++) {
      long t = first.plusMonths(i).toEpochDay() * 86_400_000L;
      store.put(new Candle("BTCUSD", Timeframe.MN1, t, 1, 1, 1, 1, 0, 0, true));
    }
    java.time.LocalDate monday = java.time.LocalDate.of(2016, 1, 4);
    for (int i = 0; i < 520; i++) {
      long t = monday.plusWeeks(i).toEpochDay() * 86_400_000L;
      store.put(new Candle("BTCUSD", Timeframe.W1, t, 1, 1, 1, 1, 0, 0, true));
    }
    assertThat(store.query("BTCUSD", Timeframe.MN1, Long.MIN_VALUE, Long.MAX_VALUE, 1_000))
        .hasSize(months)
        .first()
        .extracting(Candle::openTime)
        .isEqualTo(first.toEpochDay() * 86_400_000L);
    assertThat(store.query("BTCUSD", Timeframe.W1, Long.MIN_VALUE, Long.MAX_VALUE, 1_000))
        .hasSize(520);
  }
}
