package candlecast.aggregator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Provisional evaluations ({@code commit = false}) leave the state alone; {@code reset()} returns
 * to the start; the hot path allocates nothing; Studies builds what it should.
 */
class ProvisionalTest {
  private static final long START = Instant.parse("2025-12-31T22:00:00Z").toEpochMilli();

  /** Random candles of a random walk at 50,000, with flat runs; times cross midnight / new year. */
  private static double[][] candles(long seed, int count) {
    Random rnd = new Random(seed);
    double[][] out = new double[count][];
    double close = 50_000;
    for (int i = 0; i < count; i++) {
      if (rnd.nextInt(8) == 0) {
        out[i] = new double[] {close, close, close, close, 0};
        continue;
      }
      double open = close;
      close = Math.round((open + rnd.nextGaussian() * 5) * 100) / 100.0;
      double high = Math.max(open, close) + rnd.nextInt(300) / 100.0;
      double low = Math.min(open, close) - rnd.nextInt(300) / 100.0;
      out[i] = new double[] {open, high, low, close, rnd.nextInt(1_000_000) / 1e4};
    }
    return out;
  }

  @Test
  void provisionalEvaluationsDoNotChangeTheState() {
    for (Timeframe tf : new Timeframe[] {Timeframe.M1, Timeframe.D1}) {
      double[][] cs = candles(3, 600);
      for (AnalysisSpec spec : IndicatorOracleTest.SPECS) {
        Indicator probed = Studies.create(spec, tf);
        Indicator plain = Studies.create(spec, tf);
        double[] a = new double[3];
        double[] b = new double[3];
        double[] scratch = new double[3];
        Random rnd = new Random(spec.key().hashCode());
        for (int i = 0; i < cs.length; i++) {
          long t = tf.windowStartOfIndex(tf.windowIndex(START) + i);
          int probes = rnd.nextInt(4); // 0 to 3 provisional looks at other candles first
          for (int p = 0; p < probes; p++) {
            double[] x = cs[rnd.nextInt(cs.length)];
            probed.apply(t, x[0], x[1], x[2], x[3], x[4], false, scratch);
          }
          double[] x = cs[i];
          Arrays.fill(a, Double.NaN);
          Arrays.fill(b, Double.NaN);
          boolean da = probed.apply(t, x[0], x[1], x[2], x[3], x[4], true, a);
          boolean db = plain.apply(t, x[0], x[1], x[2], x[3], x[4], true, b);
          assertThat(da).as("%s %s defined at %d", tf, spec.key(), i).isEqualTo(db);
          assertThat(a).as("%s %s at %d", tf, spec.key(), i).containsExactly(b);
        }
      }
    }
  }

  /** A provisional look at the candle gives exactly the point its commit gives. */
  @Test
  void provisionalOfTheFinalCandleEqualsTheFinalPoint() {
    double[][] cs = candles(4, 400);
    for (AnalysisSpec spec : IndicatorOracleTest.SPECS) {
      Indicator ind = Studies.create(spec, Timeframe.M5);
      double[] p = new double[3];
      double[] f = new double[3];
      for (int i = 0; i < cs.length; i++) {
        long t = START + i * 300_000L;
        double[] x = cs[i];
        boolean dp = ind.apply(t, x[0], x[1], x[2], x[3], x[4], false, p);
        boolean df = ind.apply(t, x[0], x[1], x[2], x[3], x[4], true, f);
        assertThat(dp).isEqualTo(df);
        if (df) {
          assertThat(p).as("%s at %d", spec.key(), i).containsExactly(f);
        }
      }
    }
  }

  @Test
  void resetStartsOver() {
    double[][] cs = candles(5, 300);
    for (AnalysisSpec spec : IndicatorOracleTest.SPECS) {
      Indicator used = Studies.create(spec, Timeframe.M1);
      feed(used, candles(6, 250));
      used.reset();
      Indicator fresh = Studies.create(spec, Timeframe.M1);
      double[] a = new double[3];
      double[] b = new double[3];
      for (int i = 0; i < cs.length; i++) {
        long t = START + i * 60_000L;
        double[] x = cs[i];
        boolean da = used.apply(t, x[0], x[1], x[2], x[3], x[4], true, a);
        boolean db = fresh.apply(t, x[0], x[1], x[2], x[3], x[4], true, b);
        assertThat(da).isEqualTo(db);
        assertThat(a).as("%s at %d", spec.key(), i).containsExactly(b);
      }
    }
  }

  @Test
  void updatesAllocateNothing() {
    double[][] cs = candles(7, 4096);
    Indicator[] all = new Indicator[IndicatorOracleTest.SPECS.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = Studies.create(IndicatorOracleTest.SPECS.get(i), Timeframe.M1);
    }
    double[] out = new double[3];
    run(all, cs, out, 0, 20_000); // warm up
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    long defined = run(all, cs, out, 20_000, 120_000);
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertThat(defined).isPositive();
    assertThat(allocated)
        .as("bytes allocated by %d indicators over 100,000 candles", all.length)
        .isLessThan(16 * 1024);
  }

  @Test
  void patternsAndRiskAreThePatternSetAndTheRiskWindow() {
    assertThat(Studies.create(AnalysisSpec.parse("patterns", Map.of()), Timeframe.M1))
        .isInstanceOf(PatternSet.class);
    assertThat(Studies.create(AnalysisSpec.parse("risk", Map.of()), Timeframe.M1))
        .isInstanceOf(RiskWindow.class);
    assertThatThrownBy(() -> Studies.create(AnalysisSpec.parse("sma", Map.of()), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long run(Indicator[] all, double[][] cs, double[] out, int from, int to) {
    long defined = 0;
    for (int i = from; i < to; i++) {
      double[] x = cs[i & (cs.length - 1)];
      long t = START + i * 60_000L;
      for (Indicator ind : all) {
        if (ind.apply(t, x[0], x[1], x[2], x[3], x[4], false, out)) {
          defined++;
        }
        if (ind.apply(t, x[0], x[1], x[2], x[3], x[4], true, out)) {
          defined++;
        }
      }
    }
    return defined;
  }

  private static void feed(Indicator ind, double[][] cs) {
    double[] out = new double[3];
    for (int i = 0; i < cs.length; i++) {
      double[] x = cs[i];
      ind.apply(START + i * 60_000L, x[0], x[1], x[2], x[3], x[4], true, out);
    }
  }
}
