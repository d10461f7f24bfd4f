package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CandleFolderTest {
  private final List<Candle> out = new ArrayList<>();
  private final CandleSink sink =
      (s, tf, t, o, h, l, c, v, n, x, p) -> out.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p));

  private List<Candle> of(Timeframe tf) {
    return out.stream().filter(c -> c.tf() == tf).collect(Collectors.toList());
  }

  @Test
  void foldsOhlcvIntoAlignedWindowsOfEveryTimeframe() {
    CandleFolder f = new CandleFolder("BTCUSD", 0, 1024);
    long base = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
    f.fold(1, base + 100, 10.0, 1.0, sink);
    f.fold(2, base + 200, 12.0, 0.5, sink);
    f.fold(3, base + 300, 9.0, 0.25, sink);
    f.fold(4, base + 400, 11.0, 2.0, sink);
    assertThat(out).isEmpty(); // open candles go out on flush only
    f.flush(sink);
    assertThat(out).hasSize(Timeframe.COUNT);
    for (Candle c : out) {
      assertThat(c.openTime()).isEqualTo(c.tf().windowStart(base + 100));
      assertThat(c.openTime()).isEqualTo(OracleWindows.start(c.tf(), base + 100));
      assertThat(c.open()).isEqualTo(10.0);
      assertThat(c.high()).isEqualTo(12.0);
      assertThat(c.low()).isEqualTo(9.0);
      assertThat(c.close()).isEqualTo(11.0);
      assertThat(c.volume()).isEqualTo(3.75);
      assertThat(c.trades()).isEqualTo(4);
      assertThat(c.closed()).isFalse();
    }
    assertThat(of(Timeframe.D1).get(0).openTime())
        .isEqualTo(1_699_920_000_000L); // 2023-11-14T00:00Z
    out.clear();
    f.flush(sink);
    assertThat(out).as("nothing changed, nothing emitted").isEmpty();
  }

  @Test
  void closesWindowOnCrossingWithGraceZero() {
    CandleFolder f = new CandleFolder("X1", 0, 1024);
    f.fold(1, 10_000, 5.0, 1.0, sink);
    f.fold(2, 10_999, 6.0, 1.0, sink);
    assertThat(out).isEmpty();
    f.fold(3, 11_000, 7.0, 1.0, sink);
    assertThat(out)
        .containsExactly(new Candle("X1", Timeframe.S1, 10_000, 5.0, 6.0, 5.0, 6.0, 2.0, 2, true));
    out.clear();
    f.flush(sink);
    assertThat(of(Timeframe.S1))
        .containsExactly(new Candle("X1", Timeframe.S1, 11_000, 7.0, 7.0, 7.0, 7.0, 1.0, 1, false));
    assertThat(of(Timeframe.M1))
        .containsExactly(new Candle("X1", Timeframe.M1, 0, 5.0, 7.0, 5.0, 7.0, 3.0, 3, false));
  }

  /**
   * A jump over quiet windows emits the windows held and the implied ones of the last minute
   * (closed, flat at the previous close); history readers synthesize any older ones.
   */
  @Test
  void fillsQuietWindowsWithFlatCandlesAtThePreviousClose() {
    CandleFolder f = new CandleFolder("X1", 0, 1024);
    HistoryStore history = new HistoryStore(new long[Timeframe.COUNT]);
    f.fold(1, 1_000, 5.0, 1.0, sink);
    f.fold(2, 1_500, 4.0, 1.0, sink);
    f.fold(3, 4_200, 8.0, 3.0, sink);
    assertThat(of(Timeframe.S1))
        .containsExactly(
            new Candle("X1", Timeframe.S1, 1_000, 5.0, 5.0, 4.0, 4.0, 2.0, 2, true),
            new Candle("X1", Timeframe.S1, 2_000, 4.0, 4.0, 4.0, 4.0, 0.0, 0, true),
            new Candle("X1", Timeframe.S1, 3_000, 4.0, 4.0, 4.0, 4.0, 0.0, 0, true));
    f.flush(sink);
    out.forEach(history::put);
    assertThat(history.query("X1", Timeframe.S1, Long.MIN_VALUE, Long.MAX_VALUE, 10))
        .containsExactly(
            new Candle("X1", Timeframe.S1, 1_000, 5.0, 5.0, 4.0, 4.0, 2.0, 2, true),
            new Candle("X1", Timeframe.S1, 2_000, 4.0, 4.0, 4.0, 4.0, 0.0, 0, true),
            new Candle("X1", Timeframe.S1, 3_000, 4.0, 4.0, 4.0, 4.0, 0.0, 0, true),
            new Candle("X1", Timeframe.S1, 4_000, 8.0, 8.0, 8.0, 8.0, 3.0, 1, false));
  }

  /**
   * A jump costs the same whatever its length: a year without trades emits the windows held, the
   * implied ones of the last minute before the new time (60 at 1s, one at 1m and above) and the new
   * open ones.
   */
  @Test
  void aYearWithoutTradesIsJumpedInConstantWork() {
    CandleFolder f = new CandleFolder("X1", 250, 1024);
    f.fold(1, 1_000, 5.0, 1.0, sink);
    out.clear();
    long year = 365L * 86_400_000L;
    f.advance(year, sink);
    f.flush(sink);
    assertThat(of(Timeframe.S1).stream().filter(c -> c.closed() && c.openTime() > 1_000))
        .extracting(Candle::openTime)
        .as("the last minute's implied 1s windows")
        .hasSize(60)
        .startsWith(year - 61_000)
        .endsWith(year - 2_000);
    assertThat(out.size()).as("emitted on the jump").isLessThan(60 + 4 * Timeframe.COUNT);
    assertThat(of(Timeframe.S1)).allMatch(c -> c.close() == 5.0 && c.trades() <= 1);
  }

  @Test
  void watermarkClosesWindowsInAQuietMarketAndOpensFlatOnes() {
    CandleFolder f = new CandleFolder("X1", 200, 1024);
    f.fold(1, 1_100, 5.0, 1.0, sink);
    f.advance(2_100, sink); // within grace of [1000,2000): still open
    assertThat(out).isEmpty();
    f.advance(2_200, sink);
    assertThat(out)
        .containsExactly(new Candle("X1", Timeframe.S1, 1_000, 5.0, 5.0, 5.0, 5.0, 1.0, 1, true));
    out.clear();
    f.flush(sink);
    assertThat(of(Timeframe.S1))
        .containsExactly(new Candle("X1", Timeframe.S1, 2_000, 5.0, 5.0, 5.0, 5.0, 0.0, 0, false));
    f.advance(1_000, sink); // never backwards
    assertThat(f.watermark()).isEqualTo(2_200);
  }

  @Test
  void outOfOrderTradeWithinGraceFoldsIntoItsWindowAndFlatSuccessorsFollowItsClose() {
    CandleFolder f = new CandleFolder("X1", 2_500, 1024);
    f.fold(1, 1_100, 5.0, 1.0, sink);
    f.fold(2, 3_100, 7.0, 1.0, sink); // opens [2000,3000) flat at 5.0 and [3000,4000)
    assertThat(f.fold(3, 1_900, 6.0, 1.0, sink)).isEqualTo(CandleFolder.FOLDED);
    f.flush(sink);
    assertThat(of(Timeframe.S1))
        .containsExactly(
            new Candle("X1", Timeframe.S1, 1_000, 5.0, 6.0, 5.0, 6.0, 2.0, 2, false),
            new Candle("X1", Timeframe.S1, 2_000, 6.0, 6.0, 6.0, 6.0, 0.0, 0, false),
            new Candle("X1", Timeframe.S1, 3_000, 7.0, 7.0, 7.0, 7.0, 1.0, 1, false));
  }

  @Test
  void lateTradeChangesNothing() {
    CandleFolder f = new CandleFolder("X1", 100, 1024);
    f.fold(1, 5_000, 5.0, 1.0, sink);
    f.fold(2, 6_200, 6.0, 1.0, sink); // closes [5000,6000)
    out.clear();
    assertThat(f.fold(3, 5_500, 1.0, 9.0, sink)).isEqualTo(CandleFolder.LATE);
    assertThat(f.fold(4, 4_000, 1.0, 9.0, sink)).isEqualTo(CandleFolder.LATE);
    f.flush(sink);
    assertThat(of(Timeframe.M1))
        .containsExactly(new Candle("X1", Timeframe.M1, 0, 5.0, 6.0, 5.0, 6.0, 2.0, 2, false));
    assertThat(f.fold(3, 6_300, 6.5, 1.0, sink))
        .as("a late trade's id is not remembered")
        .isEqualTo(CandleFolder.FOLDED);
  }

  @Test
  void duplicateTradeIdIsIgnored() {
    CandleFolder f = new CandleFolder("X1", 0, 1024);
    f.fold(7, 1_000, 5.0, 1.0, sink);
    assertThat(f.fold(7, 1_001, 50.0, 1.0, sink)).isEqualTo(CandleFolder.DUPLICATE);
    f.flush(sink);
    assertThat(of(Timeframe.S1).get(0).volume()).isEqualTo(1.0);
    assertThat(of(Timeframe.S1).get(0).high()).isEqualTo(5.0);
  }

  @Test
  void everyClosedWindowIsEmittedExactlyOnceAndInOrder() {
    CandleFolder f = new CandleFolder("X1", 300, 1024);
    Random rnd = new Random(1);
    long t = 0;
    for (int i = 0; i < 20_000; i++) {
      t += rnd.nextInt(400);
      long jitter = rnd.nextInt(250);
      f.fold(i, Math.max(0, t - jitter), 100 + rnd.nextGaussian(), rnd.nextDouble(), sink);
      if (i % 7 == 0) {
        f.flush(sink);
      }
    }
    for (Timeframe tf : Timeframe.values()) {
      List<Long> closed =
          of(tf).stream().filter(Candle::closed).map(Candle::openTime).collect(Collectors.toList());
      assertThat(closed).doesNotHaveDuplicates().isSorted();
      for (int i = 1; i < closed.size(); i++) {
        assertThat(closed.get(i))
            .as("no holes")
            .isEqualTo(OracleWindows.end(tf, closed.get(i - 1)));
      }
    }
    Set<String> closedKeys = new HashSet<>();
    for (Candle c : out) {
      assertThat(closedKeys)
          .as("nothing emitted for a window after its close")
          .doesNotContain(c.key());
      if (c.closed()) {
        closedKeys.add(c.key());
      }
    }
  }
}
