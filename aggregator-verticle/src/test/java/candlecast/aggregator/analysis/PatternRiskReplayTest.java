package candlecast.aggregator.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import candlecast.aggregator.analysis.PatternRiskReplay.Bar;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.candles.BearishEngulfingIndicator;
import org.ta4j.core.indicators.candles.BullishEngulfingIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.num.DecimalNum;
import org.ta4j.core.rules.CrossedDownIndicatorRule;
import org.ta4j.core.rules.CrossedUpIndicatorRule;

/**
 * The pattern set and the risk metrics on a replayed trade file, folded by the real {@link
 * candlecast.aggregator.CandleFolder} at 1m, 5m and 1h: every closed candle's detections equal the
 * oracle's (ta4j where its definitions are ours: engulfing, highest high / lowest low, SMA and
 * crossing rules; the written definitions recomputed for doji, hammer and shooting star), in both
 * directions; the risk metrics at every candle, closed and provisional, equal an independent
 * two-pass recomputation.
 */
class PatternRiskReplayTest {
  private static final List<Timeframe> TFS = List.of(Timeframe.M1, Timeframe.M5, Timeframe.H1);

  @TempDir static Path dir;

  private static Map<Timeframe, List<Bar>> series;

  @BeforeAll
  static void replay() throws IOException {
    Path file = dir.resolve("trades.jsonl");
    PatternRiskReplay.write(file, 16_2026L, 60_000, 20_000);
    series = PatternRiskReplay.fold(file, TFS, 25);
  }

  @ParameterizedTest
  @ValueSource(ints = {20, 5})
  void everyDetectionOnEveryClosedCandleMatchesTheOracle(int lookback) {
    int[] seen = new int[PatternSet.COUNT];
    for (Timeframe tf : TFS) {
      checkPatterns(tf, lookback, seen);
    }
    StringBuilder counts = new StringBuilder("patterns:" + lookback + " detections:");
    for (int i = 0; i < PatternSet.COUNT; i++) {
      assertTrue(seen[i] > 0, "the replay never shows " + PatternSet.name(1 << i));
      counts.append(' ').append(PatternSet.name(1 << i)).append('=').append(seen[i]);
    }
    System.out.println(counts);
  }

  private static void checkPatterns(Timeframe tf, int lookback, int[] seen) {
    List<Bar> bars = series.get(tf);
    List<Bar> closed = bars.stream().filter(Bar::closed).toList();
    assertTrue(closed.size() > 250, tf + ": too few candles for the crosses: " + closed.size());
    Ta4jOracle oracle = new Ta4jOracle(tf, closed, lookback);
    PatternSet set = new PatternSet(lookback);
    double[] out = new double[1];
    int k = 0;
    for (Bar b : bars) {
      if (!b.closed()) {
        int before = set.mask();
        double smaBefore = set.sma200();
        out[0] = 7;
        assertFalse(set.apply(b.t(), b.o(), b.h(), b.l(), b.c(), b.v(), false, out));
        assertEquals(0, out[0]);
        assertEquals(before, set.mask());
        assertEquals(smaBefore, set.sma200());
        continue;
      }
      boolean any = set.apply(b.t(), b.o(), b.h(), b.l(), b.c(), b.v(), true, out);
      int expected = shapeOracle(b) | oracle.mask(k);
      String where = tf + " candle " + k + " " + b;
      assertEquals(expected, (int) out[0], where);
      assertEquals(expected != 0, any, where);
      checkInputs(set, oracle, closed, k, where);
      if (expected != 0) {
        checkJson(set, (int) out[0], b, seen);
      }
      k++;
    }
  }

  /** Doji, hammer and shooting star, straight from their written definitions. */
  static int shapeOracle(Bar b) {
    double top = Math.max(b.o(), b.c());
    double bottom = Math.min(b.o(), b.c());
    double body = top - bottom;
    double range = b.h() - b.l();
    int m = 0;
    if (b.h() > b.l() && body <= 0.1 * range) {
      m |= PatternSet.DOJI;
    }
    if (body > 0 && bottom - b.l() >= 2 * body && b.h() - top <= 0.25 * body) {
      m |= PatternSet.HAMMER;
    }
    if (body > 0 && b.h() - top >= 2 * body && bottom - b.l() <= 0.25 * body) {
      m |= PatternSet.SHOOTING_STAR;
    }
    return m;
  }

  private static void checkInputs(
      PatternSet set, Ta4jOracle oracle, List<Bar> closed, int k, String where) {
    assertEquals(closed.get(k).t(), set.openTime(), where);
    if (k > 0) {
      Bar p = closed.get(k - 1);
      assertArrayEquals(
          new double[] {p.o(), p.h(), p.l(), p.c()},
          new double[] {
            set.previousOpen(), set.previousHigh(), set.previousLow(), set.previousClose()
          },
          where);
    }
    if (k >= set.lookback()) {
      assertEquals(oracle.highest(k - 1), set.breakoutHighLevel(), where);
      assertEquals(oracle.lowest(k - 1), set.breakoutLowLevel(), where);
    } else {
      assertTrue(Double.isNaN(set.breakoutHighLevel()), where);
    }
    if (k >= PatternSet.SMA_SLOW - 1) {
      close(oracle.sma50(k), set.sma50(), where);
      close(oracle.sma200(k), set.sma200(), where);
    } else {
      assertTrue(Double.isNaN(set.sma200()), where);
    }
    if (k >= PatternSet.SMA_SLOW) {
      close(oracle.sma50(k - 1), set.sma50Before(), where);
      close(oracle.sma200(k - 1), set.sma200Before(), where);
    }
  }

  private static void checkJson(PatternSet set, int mask, Bar b, int[] seen) {
    List<JsonObject> ds = PatternSet.detections(mask, set);
    assertEquals(Integer.bitCount(mask), ds.size());
    int i = 0;
    for (int bit = 0; bit < PatternSet.COUNT; bit++) {
      if ((mask & (1 << bit)) == 0) {
        continue;
      }
      seen[bit]++;
      JsonObject d = ds.get(i++);
      assertEquals(b.t(), d.getLong("t"));
      assertEquals(PatternSet.name(1 << bit), d.getString("pattern"));
      assertEquals(PatternSet.direction(1 << bit), d.getString("direction"));
      JsonObject in = d.getJsonObject("inputs");
      assertEquals(b.o(), in.getDouble("open"));
      assertEquals(b.c(), in.getDouble("close"));
      assertEquals(4, d.size());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {30, 3, 2})
  void riskAtEveryCandleClosedAndProvisionalMatchesARecomputation(int window) {
    for (Timeframe tf : TFS) {
      RiskWindow risk = new RiskWindow(window, tf);
      List<Double> closes = new ArrayList<>();
      double[] out = new double[3];
      double[] again = new double[3];
      int provisional = 0;
      for (Bar b : series.get(tf)) {
        String where = tf + " risk:" + window + " " + b;
        boolean defined = risk.apply(b.t(), b.o(), b.h(), b.l(), b.c(), b.v(), b.closed(), out);
        List<Double> win =
            new ArrayList<>(closes.subList(Math.max(0, closes.size() - window), closes.size()));
        win.add(b.c());
        if (b.closed()) {
          closes.add(b.c());
        } else {
          provisional++;
          boolean twice = risk.apply(b.t(), b.o(), b.h(), b.l(), b.c(), b.v(), false, again);
          assertEquals(defined, twice, where);
          if (defined) {
            assertArrayEquals(out, again, where);
          }
        }
        assertEquals(win.size() >= window, defined, where);
        if (defined) {
          double[] expected = RiskOracle.metrics(win.subList(win.size() - window, win.size()), tf);
          for (int f = 0; f < 3; f++) {
            close(expected[f], out[f], where + " field " + f);
          }
        }
      }
      assertTrue(provisional > 100, tf + ": too few provisional candles: " + provisional);
    }
  }

  @Test
  void theReplayHasFlatWindowsAndProvisionalCandles() {
    for (Timeframe tf : List.of(Timeframe.M1, Timeframe.M5)) {
      long flat = series.get(tf).stream().filter(b -> b.closed() && b.v() == 0).count();
      assertTrue(flat > 0, tf + " has no flat window");
    }
  }

  static void close(double expected, double actual, String where) {
    double tol = 1e-9 * Math.max(Math.abs(expected), Math.abs(actual)) + 1e-15;
    assertTrue(
        Math.abs(expected - actual) <= tol,
        where + ": expected " + expected + " but was " + actual);
  }

  /** ta4j over the closed candles, with exact (decimal) numbers. */
  private static final class Ta4jOracle {
    final BullishEngulfingIndicator bullish;
    final BearishEngulfingIndicator bearish;
    final HighestValueIndicator highest;
    final LowestValueIndicator lowest;
    final SMAIndicator fast;
    final SMAIndicator slow;
    final CrossedUpIndicatorRule golden;
    final CrossedDownIndicatorRule death;
    final List<Bar> closed;
    final int lookback;

    Ta4jOracle(Timeframe tf, List<Bar> closed, int lookback) {
      this.closed = closed;
      this.lookback = lookback;
      BarSeries s = new BaseBarSeriesBuilder().withNumTypeOf(DecimalNum.class).build();
      Duration d = Duration.ofMillis(tf.millis());
      for (Bar b : closed) {
        s.addBar(
            d,
            Instant.ofEpochMilli(b.t() + tf.millis()).atZone(ZoneOffset.UTC),
            b.o(),
            b.h(),
            b.l(),
            b.c(),
            b.v());
      }
      bullish = new BullishEngulfingIndicator(s);
      bearish = new BearishEngulfingIndicator(s);
      highest = new HighestValueIndicator(new HighPriceIndicator(s), lookback);
      lowest = new LowestValueIndicator(new LowPriceIndicator(s), lookback);
      ClosePriceIndicator close = new ClosePriceIndicator(s);
      fast = new SMAIndicator(close, PatternSet.SMA_FAST);
      slow = new SMAIndicator(close, PatternSet.SMA_SLOW);
      golden = new CrossedUpIndicatorRule(fast, slow);
      death = new CrossedDownIndicatorRule(fast, slow);
    }

    /** Everything but the candle-alone shapes, at closed candle {@code k}. */
    int mask(int k) {
      int m = 0;
      if (bullish.getValue(k)) {
        m |= PatternSet.BULLISH_ENGULFING;
      }
      if (bearish.getValue(k)) {
        m |= PatternSet.BEARISH_ENGULFING;
      }
      double c = closed.get(k).c();
      if (k >= lookback && c > highest(k - 1)) {
        m |= PatternSet.BREAKOUT_HIGH;
      }
      if (k >= lookback && c < lowest(k - 1)) {
        m |= PatternSet.BREAKOUT_LOW;
      }
      if (k >= PatternSet.SMA_SLOW && golden.isSatisfied(k)) {
        m |= PatternSet.GOLDEN_CROSS;
      }
      if (k >= PatternSet.SMA_SLOW && death.isSatisfied(k)) {
        m |= PatternSet.DEATH_CROSS;
      }
      return m;
    }

    double highest(int k) {
      return highest.getValue(k).doubleValue();
    }

    double lowest(int k) {
      return lowest.getValue(k).doubleValue();
    }

    double sma50(int k) {
      return fast.getValue(k).doubleValue();
    }

    double sma200(int k) {
      return slow.getValue(k).doubleValue();
    }
  }
}
