package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Trade;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MockHistoryTest {
  private static final long FROM = 1_700_000_000_000L;
  private static final long DAY = 86_400_000L;
  private static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD", "PUMPSOL");

  private static List<Trade> history(long seed, long from, long to) {
    return new MockHistory(
            new MockTradeGenerator(seed, from * 1000, Set.of("PUMPSOL")), SYMBOLS, from, to)
        .rest();
  }

  @Test
  void theSameSeedAndSpanGiveTheSameTradesAnotherSeedOthers() {
    List<Trade> a = history(3, FROM, FROM + DAY);
    assertThat(history(3, FROM, FROM + DAY)).isEqualTo(a);
    assertThat(history(4, FROM, FROM + DAY)).isNotEqualTo(a);
  }

  @Test
  void tradesAreInTimeOrderInsideTheSpanEveryFiveToThirtySecondsPerSymbolWithGrowingIds() {
    long to = FROM + 3 * DAY;
    List<Trade> all = history(9, FROM, to);
    Map<String, Trade> last = new HashMap<>();
    long prevTime = Long.MIN_VALUE;
    for (Trade t : all) {
      assertThat(t.invalidReason()).as("%s", t).isNull();
      assertThat(t.time()).isBetween(FROM, to - 1).isGreaterThanOrEqualTo(prevTime);
      prevTime = t.time();
      Trade p = last.put(t.symbol(), t);
      if (p == null) {
        assertThat(t.time()).isLessThan(FROM + MockHistory.MIN_GAP_MS);
        assertThat(t.id()).isEqualTo(FROM * 1000);
      } else {
        assertThat(t.time() - p.time()).isBetween(MockHistory.MIN_GAP_MS, MockHistory.MAX_GAP_MS);
        assertThat(t.id()).isEqualTo(p.id() + 1);
      }
    }
    assertThat(last).containsOnlyKeys(SYMBOLS);
    for (String s : SYMBOLS) {
      // the last trade leaves less than one gap before the end, the count matches the mean gap
      assertThat(to - last.get(s).time()).isLessThanOrEqualTo(MockHistory.MAX_GAP_MS);
      long n = all.stream().filter(t -> t.symbol().equals(s)).count();
      double mean = (MockHistory.MIN_GAP_MS + MockHistory.MAX_GAP_MS) / 2.0;
      assertThat((double) n).isBetween(3 * DAY / mean * 0.95, 3 * DAY / mean * 1.05);
    }
  }

  @Test
  void theGeneratorGoesOnFromTheHistorysLastTrade() {
    MockTradeGenerator g = new MockTradeGenerator(5, FROM * 1000);
    List<Trade> h = new MockHistory(g, List.of("BTCUSD"), FROM, FROM + DAY).rest();
    Trade after = g.next("BTCUSD", FROM + DAY);
    Trade last = h.get(h.size() - 1);
    assertThat(after.id()).isEqualTo(last.id() + 1);
    // one random-walk step from the last price, not a fresh walk from the base price
    assertThat(Math.abs(Math.log(after.price() / last.price()))).isLessThan(0.01);
    MockTradeGenerator replayed = new MockTradeGenerator(5, FROM * 1000);
    new MockHistory(replayed, List.of("BTCUSD"), FROM, FROM + DAY).rest();
    assertThat(replayed.next("BTCUSD", FROM + DAY)).isEqualTo(after);
  }

  @Test
  void anEmptySpanHasNoTradesAndABackwardSpanIsRefused() {
    MockHistory h = new MockHistory(new MockTradeGenerator(1, 0), SYMBOLS, FROM, FROM);
    assertThat(h.hasNext()).isFalse();
    assertThatThrownBy(h::next).hasMessageContaining("complete");
    assertThatThrownBy(() -> new MockHistory(new MockTradeGenerator(1, 0), SYMBOLS, FROM, FROM - 1))
        .hasMessageContaining("ends before it starts");
  }
}
