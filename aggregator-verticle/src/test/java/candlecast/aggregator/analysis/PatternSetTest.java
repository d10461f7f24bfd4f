package candlecast.aggregator.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked candles that just hit and just miss each threshold of the pattern set (prices are
 * binary-exact, so the boundaries are exact), the crosses on a constructed close series worked out
 * by hand, the detection JSON, and that {@code commit = false} changes nothing.
 */
class PatternSetTest {
  private long t = 1_700_000_000_000L;
  private final double[] out = new double[1];

  /** Commits one candle and returns its mask. */
  private int commit(PatternSet p, double o, double h, double l, double c) {
    t += 60_000;
    boolean any = p.apply(t, o, h, l, c, 1, true, out);
    assertEquals(out[0] != 0, any);
    return (int) out[0];
  }

  private int shape(double o, double h, double l, double c) {
    return commit(new PatternSet(20), o, h, l, c);
  }

  @Test
  void dojiBodyAtMostATenthOfTheRange() {
    // range 10, body 1 = 0.1 x 10: a doji; body 1.125: not
    assertEquals(PatternSet.DOJI, shape(104, 110, 100, 105) & PatternSet.DOJI);
    assertEquals(0, shape(104, 110, 100, 105.125) & PatternSet.DOJI);
    assertEquals(PatternSet.DOJI, shape(105, 110, 100, 105) & PatternSet.DOJI); // no body at all
    assertEquals(0, shape(100, 100, 100, 100)); // a flat candle has no range: nothing
  }

  @Test
  void hammerLongLowerShadowAndLittleUpperShadow() {
    // body 108 -> 110 = 2: lower shadow 4 = 2 x body, upper shadow 0.5 = 0.25 x body
    assertEquals(PatternSet.HAMMER, shape(108, 110.5, 104, 110));
    assertEquals(PatternSet.HAMMER, shape(110, 110.5, 104, 108)); // either colour
    assertEquals(0, shape(108, 110.5, 104.25, 110)); // lower shadow 3.75 < 4
    assertEquals(0, shape(108, 110.625, 104, 110)); // upper shadow 0.625 > 0.5
    // no body: a doji (dragonfly), not a hammer
    assertEquals(PatternSet.DOJI, shape(110, 110, 100, 110));
  }

  @Test
  void shootingStarMirrorsTheHammer() {
    // body 102 -> 100 = 2: upper shadow 4, lower shadow 0.5
    assertEquals(PatternSet.SHOOTING_STAR, shape(102, 106, 99.5, 100));
    assertEquals(PatternSet.SHOOTING_STAR, shape(100, 106, 99.5, 102));
    assertEquals(0, shape(102, 105.75, 99.5, 100)); // upper shadow 3.75
    assertEquals(0, shape(102, 106, 99.375, 100)); // lower shadow 0.625
  }

  @Test
  void bullishEngulfingNeedsABearishThenABullishBodyStrictlyAround() {
    assertEquals(PatternSet.BULLISH_ENGULFING, pair(101, 100, 99.75, 101.25));
    assertEquals(0, pair(101, 100, 100, 101.25)); // opens at the previous close: not strictly below
    assertEquals(0, pair(101, 100, 99.75, 101)); // closes at the previous open
    assertEquals(0, pair(100, 100, 99.75, 101.25)); // the previous candle has no colour
    assertEquals(0, pair(100, 101, 99.75, 101.25)); // the previous candle is bullish too
  }

  @Test
  void bearishEngulfingMirrors() {
    assertEquals(PatternSet.BEARISH_ENGULFING, pair(100, 101, 101.25, 99.75));
    assertEquals(0, pair(100, 101, 101, 99.75));
    assertEquals(0, pair(100, 101, 101.25, 100));
    assertEquals(0, pair(101, 100, 101.25, 99.75));
  }

  /** The engulfing bits of a candle after another (high/low wide, so no shape pattern fires). */
  private int pair(double po, double pc, double o, double c) {
    PatternSet p = new PatternSet(20);
    commit(p, po, 120, 80, pc);
    return commit(p, o, 120, 80, c) & (PatternSet.BULLISH_ENGULFING | PatternSet.BEARISH_ENGULFING);
  }

  @Test
  void breakoutAgainstThePreviousLookbackCandlesOnly() {
    PatternSet p = new PatternSet(3);
    int both = PatternSet.BREAKOUT_HIGH | PatternSet.BREAKOUT_LOW;
    assertEquals(0, commit(p, 100, 110, 90, 100) & both); // fewer than 3 candles before: undefined
    assertEquals(0, commit(p, 100, 101, 99, 100) & both);
    assertEquals(0, commit(p, 100, 102, 98, 101) & both);
    assertTrue(Double.isNaN(p.breakoutHighLevel()));
    // previous 3: highs 110, 101, 102; lows 90, 99, 98: closing at 110 is no breakout
    assertEquals(0, commit(p, 100, 110, 100, 110) & both);
    assertEquals(110, p.breakoutHighLevel());
    // now 101, 102, 110 -> 110: 110.25 breaks out
    assertEquals(PatternSet.BREAKOUT_HIGH, commit(p, 110, 111, 109, 110.25) & both);
    assertEquals(110, p.breakoutHighLevel());
    assertEquals(98, p.breakoutLowLevel());
    // the 110 high leaves after three more candles
    commit(p, 105, 106, 104, 105);
    commit(p, 105, 106, 104, 105);
    assertEquals(0, commit(p, 105, 106, 104, 105) & both);
    assertEquals(111, p.breakoutHighLevel());
    assertEquals(PatternSet.BREAKOUT_HIGH, commit(p, 105, 107, 104, 106.5) & both);
    assertEquals(106, p.breakoutHighLevel());
    // lows 104, 104, 104: closing at 104 is none, at 103.75 a low breakout
    assertEquals(0, commit(p, 106, 106, 104, 104) & both);
    assertEquals(PatternSet.BREAKOUT_LOW, commit(p, 104, 104.5, 103.5, 103.75) & both);
    assertEquals(104, p.breakoutLowLevel());
  }

  /**
   * 150 closes at 110 and 50 at 100: SMA 50 = 100 below SMA 200 = 107.5. After j closes at 140, SMA
   * 50 = 100 + 0.8 j, SMA 200 = 107.5 + 0.15 j: above from j = 12 (109.6 vs 109.3; j = 11: 108.8 vs
   * 109.15), the golden cross. Then i closes at 60: SMA 50 = 109.6 − 0.8 i, SMA 200 = 109.3 − 0.25
   * i: below at i = 1 (108.8 vs 109.05), the death cross.
   */
  @Test
  void goldenAndDeathCrossWorkedByHand() {
    PatternSet p = new PatternSet(20);
    int crosses = PatternSet.GOLDEN_CROSS | PatternSet.DEATH_CROSS;
    for (int k = 0; k < 200; k++) {
      double c = k < 150 ? 110 : 100;
      assertEquals(0, commit(p, c, c, c, c) & crosses);
    }
    assertEquals(100, p.sma50(), 1e-9);
    assertEquals(107.5, p.sma200(), 1e-9);
    for (int j = 1; j <= 11; j++) {
      assertEquals(0, commit(p, 140, 140, 140, 140) & crosses, "j=" + j);
    }
    assertEquals(PatternSet.GOLDEN_CROSS, commit(p, 140, 140, 140, 140) & crosses);
    assertEquals(108.8, p.sma50Before(), 1e-9);
    assertEquals(109.15, p.sma200Before(), 1e-9);
    assertEquals(109.6, p.sma50(), 1e-9);
    assertEquals(109.3, p.sma200(), 1e-9);
    assertEquals(PatternSet.DEATH_CROSS, commit(p, 60, 60, 60, 60) & crosses);
    assertEquals(108.8, p.sma50(), 1e-9);
    assertEquals(109.05, p.sma200(), 1e-9);
    assertEquals(0, commit(p, 60, 60, 60, 60) & crosses);
  }

  @Test
  void equalAveragesAreNoSideSoLeavingThemIsNoCross() {
    PatternSet p = new PatternSet(20);
    int crosses = PatternSet.GOLDEN_CROSS | PatternSet.DEATH_CROSS;
    for (int k = 0; k < 300; k++) { // SMA 50 = SMA 200 = 100.37 (sums rounded, equal within TIE)
      assertEquals(0, commit(p, 100.37, 100.37, 100.37, 100.37) & crosses);
    }
    assertEquals(0, commit(p, 101, 101, 101, 101) & crosses); // above, but never was below
    for (int k = 0; k < 60; k++) {
      if ((commit(p, 99, 99, 99, 99) & PatternSet.DEATH_CROSS) != 0) {
        assertTrue(p.sma50Before() > p.sma200Before() && p.sma50() < p.sma200());
        return;
      }
    }
    throw new AssertionError("no death cross after falling below");
  }

  @Test
  void detectionJsonCarriesTheCandleAndWhatTheRuleUsed() {
    PatternSet p = new PatternSet(20);
    commit(p, 101, 102, 99.5, 100);
    int mask = commit(p, 99.75, 102, 99.5, 101.25);
    assertEquals(PatternSet.BULLISH_ENGULFING, mask);
    List<JsonObject> ds = PatternSet.detections(mask, p);
    JsonObject expected =
        new JsonObject()
            .put("t", t)
            .put("pattern", "bullish_engulfing")
            .put("direction", "bullish")
            .put(
                "inputs",
                new JsonObject()
                    .put("open", 99.75)
                    .put("high", 102.0)
                    .put("low", 99.5)
                    .put("close", 101.25)
                    .put("prev_open", 101.0)
                    .put("prev_high", 102.0)
                    .put("prev_low", 99.5)
                    .put("prev_close", 100.0));
    assertEquals(List.of(expected), ds);
    assertEquals(
        "{\"t\":"
            + t
            + ",\"pattern\":\"bullish_engulfing\",\"direction\":\"bullish\",\"inputs\":{\"open\":99.75,"
            + "\"high\":102.0,\"low\":99.5,\"close\":101.25,\"prev_open\":101.0,\"prev_high\":102.0,"
            + "\"prev_low\":99.5,\"prev_close\":100.0}}",
        ds.get(0).encode());
  }

  @Test
  void breakoutAndCrossJsonInputs() {
    PatternSet p = new PatternSet(2);
    commit(p, 100, 101, 99, 100);
    commit(p, 100, 102, 99, 100);
    int mask = commit(p, 100, 103, 100, 102.5);
    assertEquals(PatternSet.BREAKOUT_HIGH, mask & PatternSet.BREAKOUT_HIGH);
    JsonObject d =
        PatternSet.detections(PatternSet.BREAKOUT_HIGH, p).get(0).getJsonObject("inputs");
    assertEquals(102.0, d.getDouble("level"));
    assertEquals(2, d.getInteger("lookback"));
    assertEquals(
        List.of("open", "high", "low", "close", "lookback", "level"), List.copyOf(d.fieldNames()));
    JsonObject cross = PatternSet.detections(PatternSet.GOLDEN_CROSS, p).get(0);
    assertEquals("golden_cross", cross.getString("pattern"));
    assertEquals(
        List.of("open", "high", "low", "close", "sma50_prev", "sma200_prev", "sma50", "sma200"),
        List.copyOf(cross.getJsonObject("inputs").fieldNames()));
    for (int bit = 0; bit < PatternSet.COUNT; bit++) {
      String dir = PatternSet.direction(1 << bit);
      assertTrue(List.of("bullish", "bearish", "neutral").contains(dir));
    }
    assertEquals("neutral", PatternSet.direction(PatternSet.DOJI));
    assertEquals("bearish", PatternSet.direction(PatternSet.SHOOTING_STAR));
  }

  @Test
  void provisionalCandlesChangeNothing() {
    Random rnd = new Random(7);
    PatternSet plain = new PatternSet(5);
    PatternSet probed = new PatternSet(5);
    double[] o1 = new double[1];
    double[] o2 = new double[1];
    double c = 100;
    for (int k = 0; k < 2_000; k++) {
      for (int j = rnd.nextInt(3); j > 0; j--) {
        double x = c + rnd.nextGaussian();
        o2[0] = 42;
        assertFalse(probed.apply(k, x, x + 3, x - 3, x + 1, 1, false, o2));
        assertEquals(0, o2[0]);
      }
      double o = c;
      c = Math.round((c + rnd.nextGaussian()) * 4) / 4.0;
      double h = Math.max(o, c) + Math.round(rnd.nextDouble() * 8) / 4.0;
      double l = Math.min(o, c) - Math.round(rnd.nextDouble() * 8) / 4.0;
      boolean a = plain.apply(k, o, h, l, c, 1, true, o1);
      boolean b = probed.apply(k, o, h, l, c, 1, true, o2);
      assertEquals(a, b);
      assertEquals(o1[0], o2[0], "candle " + k);
      assertEquals(plain.sma50(), probed.sma50());
      assertEquals(plain.breakoutHighLevel(), probed.breakoutHighLevel());
    }
  }

  @Test
  void resetStartsOver() {
    PatternSet p = new PatternSet(2);
    for (int k = 0; k < 250; k++) {
      commit(p, 100 + k, 101 + k, 99 + k, 100.5 + k);
    }
    p.reset();
    assertTrue(Double.isNaN(p.sma200()));
    assertTrue(Double.isNaN(p.previousClose()));
    assertEquals(0, commit(p, 101, 120, 80, 100) & ~PatternSet.DOJI);
    assertTrue(Double.isNaN(p.breakoutHighLevel()));
  }

  @Test
  void createTakesTheLookbackAndRejectsOtherKinds() {
    PatternSet p =
        PatternSet.create(AnalysisSpec.parse("patterns", Map.of("lookback", 7)), Timeframe.M1);
    assertEquals(7, p.lookback());
    assertEquals(
        20, PatternSet.create(AnalysisSpec.fromKey("patterns:20"), Timeframe.H1).lookback());
    assertThrows(
        IllegalArgumentException.class,
        () -> PatternSet.create(AnalysisSpec.fromKey("risk:30"), Timeframe.M1));
  }
}
