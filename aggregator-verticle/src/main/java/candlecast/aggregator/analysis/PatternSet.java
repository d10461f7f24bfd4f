package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The pattern set {@code patterns:<lookback>}: candlestick and trend patterns on closed candles
 * (docs/PROTOCOL.md, "Analysis: patterns and risk metrics"; thresholds and their reasons in
 * docs/DECISIONS.md, "Issue 16 — patterns and risk metrics"). With body = |c − o|, range = h − l,
 * upper shadow = h − max(o, c), lower shadow = min(o, c) − l:
 *
 * <ul>
 *   <li>{@link #DOJI}: range &gt; 0 and body ≤ 0.1 × range.
 *   <li>{@link #HAMMER}: body &gt; 0, lower shadow ≥ 2 × body, upper shadow ≤ 0.25 × body.
 *   <li>{@link #SHOOTING_STAR}: body &gt; 0, upper shadow ≥ 2 × body, lower shadow ≤ 0.25 × body.
 *   <li>{@link #BULLISH_ENGULFING}: the previous candle is bearish (c &lt; o), this one bullish (c
 *       &gt; o), and its body strictly contains the previous body: o &lt; min(o', c') and c &gt;
 *       max(o', c'). {@link #BEARISH_ENGULFING} mirrors it.
 *   <li>{@link #BREAKOUT_HIGH}: close &gt; the highest high of the previous {@code lookback} closed
 *       candles; {@link #BREAKOUT_LOW}: close &lt; their lowest low.
 *   <li>{@link #GOLDEN_CROSS}: SMA 50 of closes above SMA 200 on this candle, and below it on the
 *       last earlier candle where both are defined and differ; {@link #DEATH_CROSS} mirrors it.
 *       Differences within {@link #TIE} of SMA 200 (rounding noise of the running sums) are ties.
 * </ul>
 *
 * <p>Only {@code commit = true} evaluates (patterns are on closed candles): {@link #apply} writes
 * the detections' bit mask into {@code out[0]} and returns whether it is non-zero; {@code commit =
 * false} writes 0, returns false and changes nothing. The inputs of the last evaluated candle stay
 * readable through the accessors until the next commit, and {@link #detections} turns them into
 * JSON, only when something was detected: the per-candle path does not allocate. O(1) amortised per
 * candle.
 */
public final class PatternSet implements Indicator {
  public static final int DOJI = 1;
  public static final int HAMMER = 1 << 1;
  public static final int SHOOTING_STAR = 1 << 2;
  public static final int BULLISH_ENGULFING = 1 << 3;
  public static final int BEARISH_ENGULFING = 1 << 4;
  public static final int BREAKOUT_HIGH = 1 << 5;
  public static final int BREAKOUT_LOW = 1 << 6;
  public static final int GOLDEN_CROSS = 1 << 7;
  public static final int DEATH_CROSS = 1 << 8;

  /** Number of patterns (bits 0 to COUNT − 1 of a mask). */
  public static final int COUNT = 9;

  private static final String[] NAMES = {
    "doji",
    "hammer",
    "shooting_star",
    "bullish_engulfing",
    "bearish_engulfing",
    "breakout_high",
    "breakout_low",
    "golden_cross",
    "death_cross"
  };
  private static final String[] DIRECTIONS = {
    "neutral", "bullish", "bearish", "bullish", "bearish", "bullish", "bearish", "bullish",
    "bearish"
  };

  /** Doji: body at most this fraction of the range. */
  public static final double DOJI_BODY = 0.1;

  /** Hammer / shooting star: the long shadow at least this multiple of the body. */
  public static final double LONG_SHADOW = 2.0;

  /** Hammer / shooting star: the short shadow at most this multiple of the body. */
  public static final double SHORT_SHADOW = 0.25;

  /** The fast and slow SMA of the crosses. */
  public static final int SMA_FAST = 50;

  public static final int SMA_SLOW = 200;

  /** |SMA 50 − SMA 200| at most this fraction of SMA 200 counts as equal (no side). */
  public static final double TIE = 1e-12;

  private final int lookback;
  private final BreakoutLevels levels;
  private final CrossSums sums = new CrossSums(SMA_FAST, SMA_SLOW);

  private long committed;
  private double prevOpen = Double.NaN;
  private double prevHigh = Double.NaN;
  private double prevLow = Double.NaN;
  private double prevClose = Double.NaN;
  private int side; // sign of SMA 50 − SMA 200 on the last candle where they differed (0: none)

  // inputs of the last evaluated candle
  private long time;
  private double open = Double.NaN;
  private double high = Double.NaN;
  private double low = Double.NaN;
  private double close = Double.NaN;
  private double levelHigh = Double.NaN;
  private double levelLow = Double.NaN;
  private double fastBefore = Double.NaN;
  private double slowBefore = Double.NaN;
  private double fastAfter = Double.NaN;
  private double slowAfter = Double.NaN;
  private int mask;

  public PatternSet(int lookback) {
    this.lookback = lookback;
    this.levels = new BreakoutLevels(lookback);
  }

  /** The pattern set of a {@code patterns} spec (the timeframe does not change its rules). */
  public static PatternSet create(AnalysisSpec spec, Timeframe tf) {
    if (spec.kind() != AnalysisSpec.Kind.PATTERNS || tf == null) {
      throw new IllegalArgumentException("not a patterns spec with a timeframe: " + spec.key());
    }
    return new PatternSet(spec.intParam("lookback"));
  }

  @Override
  public boolean apply(
      long openTime,
      double o,
      double h,
      double l,
      double c,
      double volume,
      boolean commit,
      double[] out) {
    if (!commit) {
      out[0] = 0;
      return false;
    }
    prevOpen = open;
    prevHigh = high;
    prevLow = low;
    prevClose = close;
    time = openTime;
    open = o;
    high = h;
    low = l;
    close = c;
    int m = shape(o, h, l, c) | engulfing(o, c) | breakout(c) | cross(c);
    levels.push(h, l);
    committed++;
    mask = m;
    out[0] = m;
    return m != 0;
  }

  /** Doji, hammer, shooting star: the candle alone. */
  static int shape(double o, double h, double l, double c) {
    double body = Math.abs(c - o);
    double range = h - l;
    double upper = h - Math.max(o, c);
    double lower = Math.min(o, c) - l;
    int m = 0;
    if (range > 0 && body <= DOJI_BODY * range) {
      m |= DOJI;
    }
    if (body > 0 && lower >= LONG_SHADOW * body && upper <= SHORT_SHADOW * body) {
      m |= HAMMER;
    }
    if (body > 0 && upper >= LONG_SHADOW * body && lower <= SHORT_SHADOW * body) {
      m |= SHOOTING_STAR;
    }
    return m;
  }

  private int engulfing(double o, double c) {
    if (committed == 0) {
      return 0;
    }
    double po = prevOpen;
    double pc = prevClose;
    if (pc < po && c > o && o < po && o < pc && c > po && c > pc) {
      return BULLISH_ENGULFING;
    }
    if (pc > po && c < o && o > po && o > pc && c < po && c < pc) {
      return BEARISH_ENGULFING;
    }
    return 0;
  }

  private int breakout(double c) {
    if (!levels.full()) {
      levelHigh = Double.NaN;
      levelLow = Double.NaN;
      return 0;
    }
    levelHigh = levels.highest();
    levelLow = levels.lowest();
    if (c > levelHigh) {
      return BREAKOUT_HIGH;
    }
    return c < levelLow ? BREAKOUT_LOW : 0;
  }

  private int cross(double c) {
    fastBefore = fastAfter;
    slowBefore = slowAfter;
    sums.push(c);
    if (!sums.full()) {
      fastAfter = Double.NaN;
      slowAfter = Double.NaN;
      return 0;
    }
    fastAfter = sums.fastMean();
    slowAfter = sums.slowMean();
    double d = fastAfter - slowAfter;
    int now = Math.abs(d) <= TIE * Math.abs(slowAfter) ? 0 : (d > 0 ? 1 : -1);
    int m = 0;
    if (now > 0 && side < 0) {
      m = GOLDEN_CROSS;
    } else if (now < 0 && side > 0) {
      m = DEATH_CROSS;
    }
    if (now != 0) {
      side = now;
    }
    return m;
  }

  @Override
  public void reset() {
    levels.reset();
    sums.reset();
    committed = 0;
    side = 0;
    mask = 0;
    prevOpen = prevHigh = prevLow = prevClose = Double.NaN;
    open = high = low = close = Double.NaN;
    levelHigh = levelLow = Double.NaN;
    fastBefore = slowBefore = fastAfter = slowAfter = Double.NaN;
    time = 0;
  }

  public int lookback() {
    return lookback;
  }

  /** The bit mask of the last evaluated candle. */
  public int mask() {
    return mask;
  }

  /** Open time of the last evaluated candle. */
  public long openTime() {
    return time;
  }

  public double open() {
    return open;
  }

  public double high() {
    return high;
  }

  public double low() {
    return low;
  }

  public double close() {
    return close;
  }

  /** The candle before the last evaluated one (NaN when there was none). */
  public double previousOpen() {
    return prevOpen;
  }

  public double previousHigh() {
    return prevHigh;
  }

  public double previousLow() {
    return prevLow;
  }

  public double previousClose() {
    return prevClose;
  }

  /** The highest high of the {@code lookback} candles before the last evaluated one (or NaN). */
  public double breakoutHighLevel() {
    return levelHigh;
  }

  /** The lowest low of the {@code lookback} candles before the last evaluated one (or NaN). */
  public double breakoutLowLevel() {
    return levelLow;
  }

  /** SMA 50 of closes up to the candle before the last evaluated one (NaN while undefined). */
  public double sma50Before() {
    return fastBefore;
  }

  public double sma200Before() {
    return slowBefore;
  }

  /** SMA 50 of closes up to the last evaluated candle (NaN while undefined). */
  public double sma50() {
    return fastAfter;
  }

  public double sma200() {
    return slowAfter;
  }

  /** The wire name of pattern {@code bit} (one of the constants). */
  public static String name(int bit) {
    return NAMES[Integer.numberOfTrailingZeros(bit)];
  }

  /** {@code bullish}, {@code bearish} or {@code neutral}. */
  public static String direction(int bit) {
    return DIRECTIONS[Integer.numberOfTrailingZeros(bit)];
  }

  /**
   * The detections of the last candle {@code set} evaluated, one per bit of {@code mask}, in bit
   * order: {@code {"t","pattern","direction","inputs":{open, high, low, close, and what the rule
   * used}}} (docs/PROTOCOL.md). Allocates: call it only for a non-zero mask.
   */
  public static List<JsonObject> detections(int mask, PatternSet set) {
    List<JsonObject> out = new ArrayList<>(Integer.bitCount(mask));
    for (int i = 0; i < COUNT; i++) {
      int bit = 1 << i;
      if ((mask & bit) != 0) {
        out.add(
            new JsonObject()
                .put("t", set.time)
                .put("pattern", NAMES[i])
                .put("direction", DIRECTIONS[i])
                .put("inputs", set.inputs(bit)));
      }
    }
    return out;
  }

  private JsonObject inputs(int bit) {
    JsonObject in =
        new JsonObject().put("open", open).put("high", high).put("low", low).put("close", close);
    if (bit == BULLISH_ENGULFING || bit == BEARISH_ENGULFING) {
      in.put("prev_open", previousOpen())
          .put("prev_high", previousHigh())
          .put("prev_low", previousLow())
          .put("prev_close", previousClose());
    } else if (bit == BREAKOUT_HIGH || bit == BREAKOUT_LOW) {
      in.put("lookback", lookback).put("level", bit == BREAKOUT_HIGH ? levelHigh : levelLow);
    } else if (bit == GOLDEN_CROSS || bit == DEATH_CROSS) {
      in.put("sma50_prev", fastBefore)
          .put("sma200_prev", slowBefore)
          .put("sma50", fastAfter)
          .put("sma200", slowAfter);
    }
    return in;
  }
}
