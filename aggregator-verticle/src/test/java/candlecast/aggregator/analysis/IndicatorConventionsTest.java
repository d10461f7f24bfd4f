package candlecast.aggregator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked examples of the conventions where ta4j differs from the contract (docs/DECISIONS.md,
 * "Issue 16 — indicator conventions"): the arithmetic is in the comments, the expected values are
 * the fractions it ends with.
 */
class IndicatorConventionsTest {
  private static final double EPS = 1e-12;
  private static final long T0 = Instant.parse("2026-01-05T23:57:00Z").toEpochMilli();

  /** Candles (h, l, c) or (o, h, l, c, v); returns every point, null where undefined. */
  private static List<double[]> run(String key, Timeframe tf, long start, double[]... candles) {
    Indicator ind = Studies.create(AnalysisSpec.fromKey(key), tf);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < candles.length; i++) {
      double[] x = candles[i];
      double o = x.length == 5 ? x[0] : x[x.length - 1];
      double h = x.length == 1 ? x[0] : x[x.length == 5 ? 1 : 0];
      double l = x.length == 1 ? x[0] : x[x.length == 5 ? 2 : 1];
      double c = x.length == 5 ? x[3] : x[x.length - 1];
      double v = x.length == 5 ? x[4] : 1;
      double[] out = new double[3];
      long t = tf.windowStartOfIndex(tf.windowIndex(start) + i);
      points.add(ind.apply(t, o, h, l, c, v, true, out) ? out : null);
    }
    return points;
  }

  private static double[] c(double... x) {
    return x;
  }

  @Test
  void emaIsSeededWithTheSmaOfTheFirstPeriodCloses() {
    // ema:3, alpha = 2/(3+1) = 1/2; closes 2, 4, 6, 3, 9
    // index 2: SMA(2, 4, 6) = 12/3 = 4        (ta4j starts at the first close: 2, 3, 4.5, …)
    // index 3: 4 + 1/2·(3 − 4) = 3.5
    // index 4: 3.5 + 1/2·(9 − 3.5) = 6.25
    List<double[]> p = run("ema:3", Timeframe.M1, T0, c(2), c(4), c(6), c(3), c(9));
    assertThat(p.subList(0, 2)).containsOnlyNulls();
    assertThat(p.get(2)[0]).isCloseTo(4, within(EPS));
    assertThat(p.get(3)[0]).isCloseTo(3.5, within(EPS));
    assertThat(p.get(4)[0]).isCloseTo(6.25, within(EPS));
  }

  @Test
  void rsiIsWilderSeededWithTheMeanOfTheFirstPeriodChanges() {
    // rsi:3; closes 10, 11, 10.5, 12, 11, 11 → changes +1, −0.5, +1.5, −1, 0
    // index 3: G = (1 + 0 + 1.5)/3 = 5/6, L = (0 + 0.5 + 0)/3 = 1/6; RSI = 100·G/(G+L) = 250/3
    // index 4: G = (5/6·2 + 0)/3 = 5/9, L = (1/6·2 + 1)/3 = 4/9;       RSI = 100·5/9 = 500/9
    // index 5: G = (5/9·2)/3 = 10/27, L = (4/9·2)/3 = 8/27;            RSI = 100·10/18 = 500/9
    List<double[]> p = run("rsi:3", Timeframe.M1, T0, c(10), c(11), c(10.5), c(12), c(11), c(11));
    assertThat(p.subList(0, 3)).containsOnlyNulls();
    assertThat(p.get(3)[0]).isCloseTo(250.0 / 3, within(EPS));
    assertThat(p.get(4)[0]).isCloseTo(500.0 / 9, within(EPS));
    assertThat(p.get(5)[0]).isCloseTo(500.0 / 9, within(EPS));
  }

  @Test
  void rsiWithoutAnyMovementIs50() {
    // rsi:3; closes 5, 5, 5, 5: G = L = 0 → 50 (TradingView says 100, ta4j 0)
    List<double[]> p = run("rsi:3", Timeframe.M1, T0, c(5), c(5), c(5), c(5));
    assertThat(p.get(3)[0]).isEqualTo(50);
  }

  @Test
  void macdSignalIsSeededWithTheSmaOfTheFirstSignalMacdValues() {
    // macd:2:3:2; closes 1, 2, 4, 8, 16; fast alpha 2/3, slow 1/2, signal 2/3
    // fast: i1 (1+2)/2 = 3/2; i2 3/2 + 2/3·(4 − 3/2) = 19/6; i3 19/6 + 2/3·(8 − 19/6) = 115/18;
    //       i4 115/18 + 2/3·(16 − 115/18) = 691/54
    // slow: i2 (1+2+4)/3 = 7/3; i3 7/3 + 1/2·(8 − 7/3) = 31/6; i4 31/6 + 1/2·(16 − 31/6) = 127/12
    // macd: i2 19/6 − 7/3 = 5/6; i3 115/18 − 31/6 = 11/9; i4 691/54 − 127/12 = 239/108
    // signal: i3 (5/6 + 11/9)/2 = 37/36; i4 37/36 + 2/3·(239/108 − 37/36) = 589/324
    // hist: i3 11/9 − 37/36 = 7/36; i4 239/108 − 589/324 = 32/81
    List<double[]> p = run("macd:2:3:2", Timeframe.M1, T0, c(1), c(2), c(4), c(8), c(16));
    assertThat(p.subList(0, 3)).containsOnlyNulls();
    assertThat(p.get(3)).containsExactly(new double[] {11.0 / 9, 37.0 / 36, 7.0 / 36}, within(EPS));
    assertThat(p.get(4))
        .containsExactly(new double[] {239.0 / 108, 589.0 / 324, 32.0 / 81}, within(EPS));
  }

  @Test
  void atrIsWilderSeededWithTheSmaOfTheFirstPeriodTrueRanges() {
    // atr:3; (h, l, c): (10,8,9) (12,9,11) (11,10,10) (15,11,14) (14,13,13)
    // TR: 10−8 = 2 (first: h − l); max(3, |12−9|, |9−9|) = 3; max(1, |11−11|, |10−11|) = 1;
    //     max(4, |15−10|, |11−10|) = 5; max(1, |14−14|, |13−14|) = 1
    // ATR: i2 (2+3+1)/3 = 2; i3 (2·2 + 5)/3 = 3; i4 (3·2 + 1)/3 = 7/3
    List<double[]> p =
        run(
            "atr:3",
            Timeframe.M1,
            T0,
            c(10, 8, 9),
            c(12, 9, 11),
            c(11, 10, 10),
            c(15, 11, 14),
            c(14, 13, 13));
    assertThat(p.subList(0, 2)).containsOnlyNulls();
    assertThat(p.get(2)[0]).isCloseTo(2, within(EPS));
    assertThat(p.get(3)[0]).isCloseTo(3, within(EPS));
    assertThat(p.get(4)[0]).isCloseTo(7.0 / 3, within(EPS));
  }

  @Test
  void bollingerUsesThePopulationDeviation() {
    // bb:2:2; closes 1, 3: mean 2, σ = sqrt(((1−2)² + (3−2)²)/2) = 1 (sample σ would be √2)
    //   → upper 2 + 2·1 = 4, middle 2, lower 0
    // then 7: window 3, 7: mean 5, σ = sqrt((4 + 4)/2) = 2 → 9, 5, 1
    List<double[]> p = run("bb:2:2", Timeframe.M1, T0, c(1), c(3), c(7));
    assertThat(p.get(0)).isNull();
    assertThat(p.get(1)).containsExactly(new double[] {4, 2, 0}, within(EPS));
    assertThat(p.get(2)).containsExactly(new double[] {9, 5, 1}, within(EPS));
  }

  @Test
  void stochasticIs50WhenTheRangeIsFlatAndDIsTheSmaOfK() {
    // stoch:3:2; (h, l, c): (10,8,9) (12,9,11) (11,10,10) (15,11,14) (14,14,14)
    // i2: HH 12, LL 8: K = 100·(10−8)/(12−8) = 50
    // i3: HH 15, LL 9: K = 100·(14−9)/6 = 250/3; D = (50 + 250/3)/2 = 200/3
    // i4: HH 15, LL 10: K = 100·(14−10)/5 = 80;  D = (250/3 + 80)/2 = 245/3
    List<double[]> p =
        run(
            "stoch:3:2",
            Timeframe.M1,
            T0,
            c(10, 8, 9),
            c(12, 9, 11),
            c(11, 10, 10),
            c(15, 11, 14),
            c(14, 14, 14));
    assertThat(p.subList(0, 3)).containsOnlyNulls();
    assertThat(p.get(3)).startsWith(new double[] {250.0 / 3, 200.0 / 3}, within(EPS));
    assertThat(p.get(4)).startsWith(new double[] {80, 245.0 / 3}, within(EPS));
    // flat: HH = LL = 5 → K = 50 (ta4j: 0/0)
    List<double[]> flat = run("stoch:3:1", Timeframe.M1, T0, c(5), c(5), c(5));
    assertThat(flat.get(2)).startsWith(50, 50);
  }

  @Test
  void vwapRestartsAtUtcMidnightAndIsUndefinedWithoutVolume() {
    // 1m candles 23:57 … 00:00 (o, h, l, c, v); typical = (h + l + c)/3
    // 23:57: flat, v 0 → undefined; 23:58: tp (12+9+9)/3 = 10, v 2 → 10
    // 23:59: tp (14+11+11)/3 = 12, v 1 → (10·2 + 12·1)/3 = 32/3
    // 00:00: new session: tp (21+18+21)/3 = 20, v 4 → 20;  00:01: flat at 21, v 0 → still 20
    List<double[]> p =
        run(
            "vwap",
            Timeframe.M1,
            T0,
            c(9, 9, 9, 9, 0),
            c(9, 12, 9, 9, 2),
            c(9, 14, 11, 11, 1),
            c(11, 21, 18, 21, 4),
            c(21, 21, 21, 21, 0));
    assertThat(p.get(0)).isNull();
    assertThat(p.get(1)[0]).isCloseTo(10, within(EPS));
    assertThat(p.get(2)[0]).isCloseTo(32.0 / 3, within(EPS));
    assertThat(p.get(3)[0]).isCloseTo(20, within(EPS));
    assertThat(p.get(4)[0]).isCloseTo(20, within(EPS));
    // 1d: each candle is its own session: its typical price, undefined without volume
    List<double[]> d = run("vwap", Timeframe.D1, T0, c(9, 12, 9, 9, 2), c(9, 9, 9, 9, 0));
    assertThat(d.get(0)[0]).isCloseTo(10, within(EPS));
    assertThat(d.get(1)).isNull();
  }

  @Test
  void obvRestartsAtEachSession() {
    // 1m from 23:57: closes 10 (v 1), 11 (v 2), 11 (v 5) | 00:00: 9 (v 3), 8 (v 4), 7 (v 1)
    // OBV: 0, +2 = 2, = 2 | new day: 0, −4 = −4, −1 = −5
    List<double[]> p =
        run(
            "obv",
            Timeframe.M1,
            T0,
            c(10, 10, 10, 10, 1),
            c(10, 11, 10, 11, 2),
            c(11, 11, 11, 11, 5),
            c(11, 11, 9, 9, 3),
            c(9, 9, 8, 8, 4),
            c(8, 8, 7, 7, 1));
    assertThat(p).extracting(x -> x[0]).containsExactly(0.0, 2.0, 2.0, 0.0, -4.0, -5.0);
    // 1d from 2025-12-30: the session is the UTC year: 30 Dec 0, 31 Dec +2 | 1 Jan 0, 2 Jan −3
    List<double[]> d =
        run(
            "obv",
            Timeframe.D1,
            Instant.parse("2025-12-30T00:00:00Z").toEpochMilli(),
            c(10, 10, 10, 10, 1),
            c(10, 11, 10, 11, 2),
            c(11, 12, 11, 12, 7),
            c(12, 12, 9, 9, 3));
    assertThat(d).extracting(x -> x[0]).containsExactly(0.0, 2.0, 0.0, -3.0);
  }

  @Test
  void utcYearsOfSessions() {
    assertThat(Sessions.year(Instant.parse("2025-12-31T23:59:59.999Z").toEpochMilli()))
        .isEqualTo(2025);
    assertThat(Sessions.year(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli())).isEqualTo(2026);
    assertThat(Sessions.year(Instant.parse("2024-02-29T12:00:00Z").toEpochMilli())).isEqualTo(2024);
    assertThat(Sessions.year(Instant.parse("1969-12-31T23:59:59Z").toEpochMilli())).isEqualTo(1969);
    Random rnd = new Random(9);
    for (int i = 0; i < 10_000; i++) {
      long t = (long) (rnd.nextDouble() * 8e12) - 2_000_000_000_000L;
      assertThat(Sessions.year(t))
          .as("%d", t)
          .isEqualTo(Instant.ofEpochMilli(t).atZone(java.time.ZoneOffset.UTC).getYear());
    }
  }

  /**
   * σ keeps its precision at 50,000 over a long series: 100,000 closes moving by cents, every band
   * against an exact two-pass σ of the window (naive Σx² would be off by about 1e-3 relative here).
   */
  @Test
  void bollingerSigmaIsPreciseAtFiftyThousand() {
    Indicator bb = Studies.create(AnalysisSpec.fromKey("bb:20:2"), Timeframe.M1);
    Random rnd = new Random(11);
    double[] window = new double[20];
    double[] out = new double[3];
    long cents = 5_000_000;
    for (int i = 0; i < 100_000; i++) {
      cents += rnd.nextInt(5) - 2;
      double close = cents / 100.0;
      window[i % 20] = close;
      boolean defined = bb.apply(T0 + i * 60_000L, close, close, close, close, 1, true, out);
      assertThat(defined).isEqualTo(i >= 19);
      if (defined) {
        double sigma = exactSigma(window);
        double got = (out[0] - out[2]) / 4;
        double err = Math.abs(got - sigma);
        assertThat(err).as("σ at %d: %s vs %s", i, got, sigma).isLessThan(1e-10);
      }
    }
  }

  private static double exactSigma(double[] w) {
    MathContext mc = MathContext.DECIMAL128;
    BigDecimal sum = BigDecimal.ZERO;
    for (double x : w) {
      sum = sum.add(BigDecimal.valueOf(x), mc);
    }
    BigDecimal mean = sum.divide(BigDecimal.valueOf(w.length), mc);
    BigDecimal sq = BigDecimal.ZERO;
    for (double x : w) {
      BigDecimal d = BigDecimal.valueOf(x).subtract(mean, mc);
      sq = sq.add(d.multiply(d, mc), mc);
    }
    return sq.divide(BigDecimal.valueOf(w.length), mc).sqrt(mc).doubleValue();
  }
}
