package candlecast.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleFoldTest {
  private static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD");

  /** Against a brute-force recomputation per window: filter the window's trades, then reduce. */
  @Test
  void everyWindowEqualsABruteForceReductionOfItsTrades() {
    GroundTruth gt = GroundTruth.generate(7, SYMBOLS, 20, 200, 1_700_000_000_000L);
    for (String sym : SYMBOLS) {
      List<GroundTruth.Trade> trades = gt.of(sym);
      for (Map.Entry<String, Long> tf : OracleFold.TIMEFRAMES.entrySet()) {
        long ms = tf.getValue();
        OracleFold fold = new OracleFold(trades, ms);
        long first = Math.floorDiv(trades.get(0).time(), ms) * ms;
        long last = trades.get(trades.size() - 1).time();
        for (long t = first; t <= last; t += ms) {
          long w = t;
          List<GroundTruth.Trade> in =
              trades.stream().filter(x -> x.time() >= w && x.time() < w + ms).toList();
          OracleFold.Bar b = fold.expected(t);
          if (in.isEmpty()) {
            double prevClose =
                trades.stream().filter(x -> x.time() < w).reduce((a, c) -> c).orElseThrow().price();
            assertThat(b)
                .isEqualTo(
                    new OracleFold.Bar(t, prevClose, prevClose, prevClose, prevClose, 0.0, 0));
            assertThat(fold.traded(t)).isFalse();
            continue;
          }
          double v = 0;
          for (GroundTruth.Trade x : in) {
            v += x.amount();
          }
          assertThat(b)
              .isEqualTo(
                  new OracleFold.Bar(
                      t,
                      in.get(0).price(),
                      in.stream().mapToDouble(GroundTruth.Trade::price).max().orElseThrow(),
                      in.stream().mapToDouble(GroundTruth.Trade::price).min().orElseThrow(),
                      in.get(in.size() - 1).price(),
                      v,
                      in.size()));
        }
      }
    }
  }

  @Test
  void nothingBeforeTheFirstTrade() {
    GroundTruth gt = GroundTruth.generate(7, SYMBOLS, 5, 10, 1_700_000_000_000L);
    OracleFold fold = new OracleFold(gt.of("BTCUSD"), 1_000);
    assertThat(fold.expected(1_699_999_999_000L)).isNull();
  }

  @Test
  void groundTruthTimesStrictlyIncreaseAndIdsAreContiguousPerSymbol() {
    GroundTruth gt = GroundTruth.generate(3, SYMBOLS, 50, 60, 1_700_000_000_000L);
    long prev = Long.MIN_VALUE;
    for (GroundTruth.Trade t : gt.trades()) {
      assertThat(t.time()).isGreaterThan(prev);
      prev = t.time();
    }
    for (String s : SYMBOLS) {
      List<GroundTruth.Trade> l = gt.of(s);
      for (int i = 0; i < l.size(); i++) {
        assertThat(l.get(i).id()).isEqualTo(GroundTruth.FIRST_ID + i);
      }
    }
    // the same seed, the same truth
    assertThat(GroundTruth.generate(3, SYMBOLS, 50, 60, 1_700_000_000_000L).trades())
        .isEqualTo(gt.trades());
  }
}
