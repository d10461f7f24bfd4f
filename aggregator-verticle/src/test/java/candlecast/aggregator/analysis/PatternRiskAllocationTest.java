package candlecast.aggregator.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import candlecast.common.Timeframe;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-candle path of the pattern set and the risk metrics allocates nothing: the bytes the
 * thread allocates over 200,000 candles (closed and provisional) stay below what one detection's
 * JSON would take.
 */
class PatternRiskAllocationTest {
  private static final int CANDLES = 200_000;

  @Test
  void applyDoesNotAllocate() {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    double[] o = new double[CANDLES];
    double[] h = new double[CANDLES];
    double[] l = new double[CANDLES];
    double[] c = new double[CANDLES];
    Random rnd = new Random(5);
    double p = 100;
    for (int k = 0; k < CANDLES; k++) {
      o[k] = p;
      p = Math.max(1, Math.round((p + rnd.nextGaussian() * 0.3) * 100) / 100.0);
      c[k] = p;
      h[k] = Math.max(o[k], c[k]) + Math.round(rnd.nextDouble() * 30) / 100.0;
      l[k] = Math.min(o[k], c[k]) - Math.round(rnd.nextDouble() * 30) / 100.0;
    }
    PatternSet patterns = new PatternSet(20);
    RiskWindow risk = new RiskWindow(30, Timeframe.M1);
    double[] out = new double[3];
    run(patterns, risk, o, h, l, c, out); // warm up
    patterns.reset();
    risk.reset();
    long before = mx.getThreadAllocatedBytes(thread);
    long t0 = System.nanoTime();
    int detections = run(patterns, risk, o, h, l, c, out);
    long ns = System.nanoTime() - t0;
    long allocated = mx.getThreadAllocatedBytes(thread) - before;
    System.out.printf(
        "patterns:20 + risk:30: %d candles (each also provisional), %d with detections, %.0f ns a"
            + " candle, %d bytes allocated%n",
        CANDLES, detections, (double) ns / CANDLES, allocated);
    assertTrue(detections > 1000, "detections: " + detections);
    assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
  }

  private static int run(
      PatternSet patterns,
      RiskWindow risk,
      double[] o,
      double[] h,
      double[] l,
      double[] c,
      double[] out) {
    int detections = 0;
    for (int k = 0; k < o.length; k++) {
      risk.apply(k, o[k], h[k], l[k], (o[k] + c[k]) / 2, 1, false, out);
      patterns.apply(k, o[k], h[k], l[k], c[k], 1, false, out);
      risk.apply(k, o[k], h[k], l[k], c[k], 1, true, out);
      if (patterns.apply(k, o[k], h[k], l[k], c[k], 1, true, out)) {
        detections++;
      }
    }
    return detections;
  }
}
