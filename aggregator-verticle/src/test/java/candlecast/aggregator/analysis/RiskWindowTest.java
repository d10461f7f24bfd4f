package candlecast.aggregator.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The risk metrics on hand-worked windows, their edge cases, and against {@link RiskOracle}. */
class RiskWindowTest {
  private final double[] out = new double[3];

  private boolean apply(RiskWindow r, double close, boolean commit) {
    return r.apply(0, close, close, close, close, 1, commit, out);
  }

  /**
   * Window 3 on 1d: closes 100, 110, 99. Returns ln 1.1 and ln 0.9, whose sample deviation is |ln
   * 1.1 − ln 0.9| / √2 = ln(11/9) / √2; 365.25 periods a year. Drawdown (110 − 99) / 110 = 0.1,
   * return 99 / 100 − 1 = −0.01. The open candle at 108.9 replaces 100 as the oldest: returns ln
   * 0.9 and ln 1.1 (same deviation), drawdown 0.1, return 108.9 / 110 − 1 = −0.01.
   */
  @Test
  void workedByHand() {
    RiskWindow r = new RiskWindow(3, Timeframe.D1);
    assertFalse(apply(r, 100, true));
    assertFalse(apply(r, 110, true));
    assertTrue(apply(r, 99, true));
    double vol = Math.log(11.0 / 9.0) / Math.sqrt(2) * Math.sqrt(365.25);
    assertEquals(vol, out[0], 1e-12);
    assertEquals(0.1, out[1], 1e-15);
    assertEquals(-0.01, out[2], 1e-15);
    assertTrue(apply(r, 108.9, false));
    assertEquals(vol, out[0], 1e-12);
    assertEquals(0.1, out[1], 1e-15);
    assertEquals(-0.01, out[2], 1e-15);
  }

  @Test
  void provisionalIsDefinedOnceTheOpenCandleCompletesTheWindow() {
    RiskWindow r = new RiskWindow(3, Timeframe.M1);
    assertFalse(apply(r, 100, false));
    assertFalse(apply(r, 100, true));
    assertFalse(apply(r, 101, false)); // 1 closed + open = 2 < 3
    assertFalse(apply(r, 101, true));
    assertTrue(apply(r, 102, false)); // 2 closed + open
    assertEquals(102 / 100.0 - 1, out[2], 1e-15);
  }

  @Test
  void flatWindowsHaveNoRiskAtAll() {
    RiskWindow r = new RiskWindow(5, Timeframe.M1);
    for (int k = 0; k < 20; k++) {
      apply(r, 100.37 + (k < 10 ? k : 0), true);
    }
    assertArrayEquals(new double[] {0, 0, 0}, out);
  }

  @Test
  void aSingleReturnHasNoSampleDeviation() {
    RiskWindow r = new RiskWindow(2, Timeframe.M1);
    apply(r, 100, true);
    assertTrue(apply(r, 90, true));
    assertEquals(0, out[0]);
    assertEquals(0.1, out[1], 1e-15);
    assertEquals(-0.1, out[2], 1e-15);
  }

  @Test
  void periodsPerYear() {
    assertEquals(525_960, RiskWindow.periodsPerYear(Timeframe.M1), 1e-9);
    assertEquals(8_766, RiskWindow.periodsPerYear(Timeframe.H1), 1e-9);
    assertEquals(365.25, RiskWindow.periodsPerYear(Timeframe.D1), 1e-12);
    assertEquals(365.25 / 7, RiskWindow.periodsPerYear(Timeframe.W1), 1e-12);
    assertEquals(12, RiskWindow.periodsPerYear(Timeframe.MN1));
  }

  /**
   * A steady trend with tiny noise: the returns become nearly equal, the case where sums of squares
   * cancel; still within 1e-9 of the two-pass recomputation, closed and provisional.
   */
  @Test
  void nearlyEqualReturnsStayExact() {
    Random rnd = new Random(3);
    for (int window : new int[] {3, 4, 30, 120}) {
      RiskWindow r = new RiskWindow(window, Timeframe.M5);
      List<Double> closes = new ArrayList<>();
      double c = 100;
      for (int k = 0; k < 3_000; k++) {
        double noise = k % 700 < 350 ? 1e-9 : 1e-3; // calm and rough stretches
        c = c * 1.001 * (1 + noise * rnd.nextGaussian());
        double open = c * (1 + 1e-4 * rnd.nextGaussian());
        check(r, closes, open, false, window);
        closes.add(c);
        check(r, closes, c, true, window);
        if (k % 900 == 899) {
          c = 100; // back down: the returns jump
        }
      }
    }
  }

  private void check(RiskWindow r, List<Double> closes, double close, boolean commit, int window) {
    List<Double> win =
        new ArrayList<>(closes.subList(Math.max(0, closes.size() - window), closes.size()));
    if (!commit) {
      win.add(close);
      win = win.subList(Math.max(0, win.size() - window), win.size());
    }
    boolean defined = apply(r, close, commit);
    assertEquals(win.size() == window, defined);
    if (defined) {
      double[] expected = RiskOracle.metrics(win, Timeframe.M5);
      for (int f = 0; f < 3; f++) {
        PatternRiskReplayTest.close(expected[f], out[f], "window " + window + " field " + f);
      }
    }
  }

  @Test
  void provisionalCandlesChangeNothing() {
    Random rnd = new Random(11);
    RiskWindow plain = new RiskWindow(10, Timeframe.M1);
    RiskWindow probed = new RiskWindow(10, Timeframe.M1);
    double[] a = new double[3];
    double[] b = new double[3];
    double c = 100;
    for (int k = 0; k < 5_000; k++) {
      for (int j = rnd.nextInt(3); j > 0; j--) {
        double x = c * (1 + 0.01 * rnd.nextGaussian());
        probed.apply(k, x, x, x, x, 1, false, b);
      }
      c *= 1 + 0.002 * rnd.nextGaussian();
      assertEquals(plain.apply(k, c, c, c, c, 1, true, a), probed.apply(k, c, c, c, c, 1, true, b));
      assertArrayEquals(a, b, "candle " + k);
    }
  }

  @Test
  void resetStartsOver() {
    RiskWindow r = new RiskWindow(3, Timeframe.D1);
    for (double c : new double[] {50, 60, 70, 80}) {
      apply(r, c, true);
    }
    r.reset();
    assertFalse(apply(r, 100, true));
    assertFalse(apply(r, 110, true));
    assertTrue(apply(r, 99, true));
    assertEquals(Math.log(11.0 / 9.0) / Math.sqrt(2) * Math.sqrt(365.25), out[0], 1e-12);
  }

  @Test
  void createTakesTheWindowAndRejectsOtherKinds() {
    RiskWindow r =
        RiskWindow.create(AnalysisSpec.parse("risk", Map.of("window", "12")), Timeframe.H4);
    assertEquals(12, r.window());
    assertEquals(30, RiskWindow.create(AnalysisSpec.fromKey("risk:30"), Timeframe.M1).window());
    assertThrows(
        IllegalArgumentException.class,
        () -> RiskWindow.create(AnalysisSpec.fromKey("patterns:20"), Timeframe.M1));
    assertThrows(IllegalArgumentException.class, () -> new RiskWindow(1, Timeframe.M1));
  }
}
