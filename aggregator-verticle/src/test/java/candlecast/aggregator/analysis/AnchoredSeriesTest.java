package candlecast.aggregator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link AnchoredSeries} against its definition: for random candle sequences with gaps (some longer
 * than the anchoring needs), re-emitted closed candles, open candles and explicitly emitted flat
 * windows, every point equals a fresh indicator fed the windows (implied flats included) from the
 * anchor, computed here independently, to the point's window — also for series restarted from
 * history in the middle of a block or session.
 */
class AnchoredSeriesTest {
  private static final long DAY = 86_400_000L;
  private static final long T0 = 1_704_067_200_000L; // 2024-01-01T00:00Z

  @Test
  void blockAnchoredValuesEqualAFreshIndicatorFromTheAnchor() {
    AnalysisSpec spec = AnalysisSpec.parse("macd", Map.of()); // W = 1000
    long w = spec.warmup();
    for (long seed = 1; seed <= 2; seed++) {
      new Run(
              spec,
              Timeframe.M1,
              seed,
              (first, i) -> Math.max(first, (Math.floorDiv(i, w) - 1) * w))
          .play(6_000, true);
    }
  }

  @Test
  void vwapIntradayRestartsAtEachUtcDay() {
    AnalysisSpec spec = AnalysisSpec.parse("vwap", Map.of());
    Timeframe tf = Timeframe.M15;
    new Run(
            spec,
            tf,
            7,
            (first, i) ->
                Math.max(first, tf.windowIndex(Math.floorDiv(tf.windowStartOfIndex(i), DAY) * DAY)))
        .play(3_000, false);
  }

  @Test
  void obvOfWeeksRestartsAtTheFirstWeekOfEachYearAndDailyVwapIsPerCandle() {
    Timeframe w1 = Timeframe.W1;
    new Run(
            AnalysisSpec.parse("obv", Map.of()),
            w1,
            11,
            (first, i) -> Math.max(first, yearStart(w1, i)))
        .play(800, false);
    Timeframe d1 = Timeframe.D1;
    new Run(
            AnalysisSpec.parse("obv", Map.of()),
            d1,
            12,
            (first, i) -> Math.max(first, yearStart(d1, i)))
        .play(1_500, false);
    new Run(AnalysisSpec.parse("vwap", Map.of()), d1, 13, (first, i) -> i).play(500, false);
  }

  /** First window of tf starting in the UTC year of window i. */
  private static long yearStart(Timeframe tf, long i) {
    int year = LocalDate.ofEpochDay(Math.floorDiv(tf.windowStartOfIndex(i), DAY)).getYear();
    long jan1 = LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    long k = tf.windowIndex(jan1);
    return tf.windowStartOfIndex(k) < jan1 ? k + 1 : k;
  }

  @Test
  void aNewerOpenWindowWaitsUntilTheOlderOneCloses() {
    AnalysisSpec spec = AnalysisSpec.parse("sma", Map.of("period", 5));
    Timeframe tf = Timeframe.S1;
    AnchoredSeries s = new AnchoredSeries(spec, tf, OrderedMix::create);
    long t = T0;
    for (int k = 0; k < 5; k++) {
      s.update(t + k * 1000L, 10, 12, 9, 11 + k, 1, true);
    }
    long i5 = t + 5_000;
    long i6 = t + 6_000;
    assertThat(s.update(i5, 11, 13, 10, 12, 2, false)).isEqualTo(AnchoredSeries.OPEN);
    assertThat(s.update(i6, 12, 12, 12, 12, 1, false)).isEqualTo(AnchoredSeries.NONE);
    assertThat(s.update(i6, 12, 14, 12, 13, 3, false)).isEqualTo(AnchoredSeries.NONE);
    assertThat(s.update(i5, 11, 13, 10, 12.5, 2, false)).isEqualTo(AnchoredSeries.OPEN);
    assertThat(s.openOut()[0])
        .isEqualTo(oracleMix(spec, t, new double[][] {{11, 13, 10, 12.5, 2}}));
    assertThat(s.update(i5, 11, 13, 10, 12.5, 2, true))
        .isEqualTo(AnchoredSeries.CLOSED | AnchoredSeries.OPEN);
    assertThat(s.openTime()).isEqualTo(i6);
    assertThat(s.openOut()[0])
        .isEqualTo(oracleMix(spec, t, new double[][] {{11, 13, 10, 12.5, 2}, {12, 14, 12, 13, 3}}));
    assertThat(s.update(i5, 1, 1, 1, 1, 1, true)).as("re-emitted").isEqualTo(AnchoredSeries.NONE);
    assertThat(s.update(i5, 1, 1, 1, 1, 1, false)).isEqualTo(AnchoredSeries.NONE);
  }

  /** The five candles of the test above, then {@code more}, fed to a fresh indicator. */
  private static double oracleMix(AnalysisSpec spec, long t, double[][] more) {
    Indicator ind = new OrderedMix(spec);
    double[] out = new double[4];
    for (int k = 0; k < 5; k++) {
      ind.apply(t + k * 1000L, 10, 12, 9, 11 + k, 1, true, out);
    }
    for (int k = 0; k < more.length; k++) {
      double[] c = more[k];
      ind.apply(t + (5 + k) * 1000L, c[0], c[1], c[2], c[3], c[4], k < more.length - 1, out);
    }
    return out[0];
  }

  /** One random sequence played through live series (restarted ones join) and checked. */
  private static final class Run {
    private final AnalysisSpec spec;
    private final Timeframe tf;
    private final Random rnd;
    private final LongBinaryOperator anchor;
    private final int fields;
    private final List<AnchoredSeries> live = new ArrayList<>();

    /** Every window from the first on, implied flats included: o, h, l, c, v. */
    private double[][] windows = new double[5][1024];

    private long first;
    private long lastClosed = Long.MIN_VALUE;
    private int count;
    private int checked;

    Run(AnalysisSpec spec, Timeframe tf, long seed, LongBinaryOperator anchor) {
      this.spec = spec;
      this.tf = tf;
      this.rnd = new Random(seed);
      this.anchor = anchor;
      this.fields = spec.fields().size();
    }

    void play(int candles, boolean longGaps) {
      first = tf.windowIndex(T0) + rnd.nextInt(5_000);
      live.add(new AnchoredSeries(spec, tf, OrderedMix::create));
      long i = first;
      double close = 100;
      for (int n = 0; n < candles; n++) {
        if (n > 0) {
          long gap = gap(longGaps);
          if (gap > 1 && gap < 300 && rnd.nextInt(3) == 0) {
            for (long j = i + 1; j < i + gap; j++) {
              set(j, close, close, close, close, 0);
              emit(j, true, null); // flat windows the folder emits closed
            }
          }
          i += gap;
        }
        double open = close;
        close = Math.max(1, close + rnd.nextGaussian());
        double[] c = {
          open,
          Math.max(open, close) + rnd.nextDouble(),
          Math.min(open, close) - rnd.nextDouble(),
          close,
          0.1 + rnd.nextInt(50)
        };
        if (rnd.nextInt(3) == 0) {
          double[] prov = {open, open + 0.5, open - 0.5, open + 0.25, 1};
          set(i, prov);
          emit(i, false, prov);
        }
        set(i, c);
        emit(i, true, c);
        if (rnd.nextInt(10) == 0) {
          for (AnchoredSeries s : live) {
            assertThat(s.update(start(i), 1, 2, 0.5, 1.5, 9, rnd.nextBoolean())).isZero();
          }
        }
        if (rnd.nextInt(candles / 4) == 0) {
          live.add(restarted(i));
        }
      }
      assertThat(live).hasSizeGreaterThan(1);
      assertThat(checked).isGreaterThan(candles / 2);
    }

    private long gap(boolean longGaps) {
      int r = rnd.nextInt(100);
      if (r < 80) {
        return 1;
      }
      if (r < 92) {
        return 2L + rnd.nextInt(9);
      }
      if (r < 98 || !longGaps) {
        return 10L + rnd.nextInt(290);
      }
      return 2_000L + rnd.nextInt(1_500);
    }

    /** A series warmed from "history" (the windows so far) as an owner after a restart does. */
    private AnchoredSeries restarted(long lastIndex) {
      AnchoredSeries s = new AnchoredSeries(spec, tf, OrderedMix::create);
      s.firstWindow(start(first));
      for (long j = s.warmStartIndex(lastIndex); j <= lastIndex; j++) {
        double[] c = window(j);
        s.update(start(j), c[0], c[1], c[2], c[3], c[4], true);
      }
      assertThat(s.lastCommitted()).isEqualTo(lastIndex);
      return s;
    }

    private void emit(long i, boolean closed, double[] c0) {
      double[] c = c0 == null ? window(i) : c0;
      double[] expected = new double[fields];
      // an open window after windows not yet closed waits for them (the folder closes them first)
      boolean waits = !closed && lastClosed != Long.MIN_VALUE && i > lastClosed + 1;
      boolean defined = oracle(i, closed, expected) && !waits;
      if (closed) {
        lastClosed = i;
      }
      for (AnchoredSeries s : live) {
        int got = s.update(start(i), c[0], c[1], c[2], c[3], c[4], closed);
        int want = defined ? (closed ? AnchoredSeries.CLOSED : AnchoredSeries.OPEN) : 0;
        assertThat(got).as("window %d closed %s", i, closed).isEqualTo(want);
        if (defined) {
          double[] out = closed ? s.closedOut() : s.openOut();
          assertThat(closed ? s.closedTime() : s.openTime()).isEqualTo(start(i));
          assertThat(Arrays.copyOf(out, fields)).as("window %d", i).isEqualTo(expected);
          checked++;
        }
      }
    }

    /** A fresh indicator fed the windows from the anchor of i to i. */
    private boolean oracle(long i, boolean closed, double[] out) {
      Indicator ind = OrderedMix.create(spec, tf);
      long a = anchor.applyAsLong(first, i);
      assertThat(a).isBetween(first, i);
      boolean defined = false;
      for (long j = a; j <= i; j++) {
        double[] c = window(j);
        defined = ind.apply(start(j), c[0], c[1], c[2], c[3], c[4], j < i || closed, out);
      }
      return defined;
    }

    private long start(long i) {
      return tf.windowStartOfIndex(i);
    }

    private double[] window(long i) {
      int k = (int) (i - first);
      return new double[] {
        windows[0][k], windows[1][k], windows[2][k], windows[3][k], windows[4][k]
      };
    }

    private void set(long i, double... c) {
      int k = (int) (i - first);
      if (k >= windows[0].length) {
        for (int f = 0; f < 5; f++) {
          windows[f] = Arrays.copyOf(windows[f], Math.max(k + 1, windows[f].length * 2));
        }
      }
      for (int j = count; j < k; j++) { // implied flats at the previous close
        double p = windows[3][j - 1];
        set(first + j, p, p, p, p, 0);
      }
      for (int f = 0; f < 5; f++) {
        windows[f][k] = c[f];
      }
      count = Math.max(count, k + 1);
    }
  }
}
