package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Book;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderBookTest {
  private static Book.Level l(double p, double a) {
    return new Book.Level(p, a);
  }

  @Test
  void snapshotThenDiffsSetAndRemoveLevels() {
    OrderBook b = new OrderBook();
    b.applySnapshot(1_000, List.of(l(99, 1), l(98, 2), l(97, 3)), List.of(l(101, 1), l(102, 2)));
    b.applyDiff(2_000, List.of(l(98, 0), l(99.5, 4)), List.of(l(102, 5), l(103, 1)));
    Book top = b.top("AB", 100);
    assertThat(top.bids()).containsExactly(l(99.5, 4), l(99, 1), l(97, 3));
    assertThat(top.asks()).containsExactly(l(101, 1), l(102, 5), l(103, 1));
    assertThat(top.timeUs()).isEqualTo(2_000);
    assertThat(b.top("AB", 2).bids()).containsExactly(l(99.5, 4), l(99, 1));
    assertThat(b.crossed()).isFalse();
    b.applyDiff(1_500, List.of(), List.of(l(104, 1)));
    assertThat(b.timeUs()).as("time never goes back").isEqualTo(2_000);
  }

  @Test
  void removingAnAbsentLevelChangesNothingAndASnapshotReplacesEverything() {
    OrderBook b = new OrderBook();
    b.applySnapshot(1, List.of(l(10, 1)), List.of(l(11, 1)));
    b.applyDiff(2, List.of(l(9, 0)), List.of());
    assertThat(b.bidLevels()).isEqualTo(1);
    b.applySnapshot(3, List.of(l(5, 1)), List.of());
    assertThat(b.top("AB", 10).bids()).containsExactly(l(5, 1));
    assertThat(b.top("AB", 10).asks()).isEmpty();
    b.clear();
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void crossedWhenTheBestBidReachesTheBestAsk() {
    OrderBook b = new OrderBook();
    b.applySnapshot(1, List.of(l(10, 1)), List.of(l(11, 1)));
    b.applyDiff(2, List.of(l(11, 1)), List.of());
    assertThat(b.crossed()).isTrue();
    assertThat(b.top("AB", 10).crossed()).isTrue();
  }

  /** Against the independent test market: the book follows 5,000 random changes exactly. */
  @Test
  void followsARandomMarketExactly() {
    MarketBook market = new MarketBook("AB", 3, 3_000_000, 1_000_000);
    OrderBook b = new OrderBook();
    BookSync.Levels s = market.snapshot();
    b.applySnapshot(s.timeUs(), s.bids(), s.asks());
    for (int i = 0; i < 5_000; i++) {
      MarketBook.Change c = market.next();
      b.applyDiff(c.timeUs(), c.bids(), c.asks());
      assertThat(b.crossed()).isFalse();
    }
    assertThat(b.top("AB", 100)).isEqualTo(market.top(100));
    assertThat(b.top("AB", 100_000)).isEqualTo(market.top(100_000));
  }
}
