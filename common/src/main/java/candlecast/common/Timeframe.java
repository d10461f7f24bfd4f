package candlecast.common;

import java.util.List;

/**
 * Candle timeframes. Windows of 1s to 1d are aligned to UTC epoch multiples of their length (1d
 * windows start at 00:00 UTC); 1w windows are 7 days starting Monday 00:00 UTC; 1M windows are the
 * calendar months of UTC (28 to 31 days). Every window boundary of a longer timeframe is a boundary
 * of every shorter one up to 1d, so a 1s window always lies within one window of every timeframe.
 *
 * <p>Window arithmetic goes through {@link #windowStart}, {@link #windowEnd} and {@link
 * #windowIndex}: {@link #millis()} is a window's length only for {@link #isFixed fixed} timeframes.
 */
public enum Timeframe {
  S1("1s", 1_000L),
  M1("1m", 60_000L),
  M5("5m", 300_000L),
  M15("15m", 900_000L),
  H1("1h", 3_600_000L),
  H4("4h", 14_400_000L),
  D1("1d", 86_400_000L),
  /** Weeks starting Monday 00:00 UTC. */
  W1("1w", 7 * 86_400_000L),
  /** Calendar months of UTC; {@link #millis()} is nominal (30 days), lengths vary. */
  MN1("1M", 30 * 86_400_000L);

  private static final long DAY_MS = 86_400_000L;

  /** 1970-01-01 was a Thursday: week 0 starts on the Monday before it, 1969-12-29 00:00 UTC. */
  private static final long WEEK_ORIGIN_MS = -3 * DAY_MS;

  /** The shortest calendar month (February outside leap years). */
  private static final long SHORTEST_MONTH_MS = 28 * DAY_MS;

  private static final Timeframe[] ALL = values();
  public static final List<Timeframe> LIST = List.of(ALL);
  public static final int COUNT = ALL.length;

  private final String label;
  private final long millis;

  Timeframe(String label, long millis) {
    this.label = label;
    this.millis = millis;
  }

  /** The short form used everywhere on the wire: "1s", "5m", "1d". */
  public String label() {
    return label;
  }

  /**
   * A window's length for fixed timeframes (1s to 1w); for 1M a nominal 30 days, which no window
   * arithmetic may use: use {@link #windowStart}, {@link #windowEnd}, {@link #windowIndex}.
   */
  public long millis() {
    return millis;
  }

  /** {@link #millis()} in seconds (nominal for 1M). */
  public long seconds() {
    return millis / 1000L;
  }

  /** Whether every window of this timeframe has the same length ({@link #millis()}): all but 1M. */
  public boolean isFixed() {
    return this != MN1;
  }

  /** The shortest window's length: {@link #millis()}, or 28 days for 1M. */
  public long minMillis() {
    return this == MN1 ? SHORTEST_MONTH_MS : millis;
  }

  /** Start of the window that contains {@code epochMs} (floor, also for negative times). */
  public long windowStart(long epochMs) {
    if (this == MN1) {
      return CivilMonths.monthStart(epochMs);
    }
    if (this == W1) {
      return Math.floorDiv(epochMs - WEEK_ORIGIN_MS, millis) * millis + WEEK_ORIGIN_MS;
    }
    return Math.floorDiv(epochMs, millis) * millis;
  }

  /** Start of the next window after the one that starts at {@code openTime} (its exclusive end). */
  public long windowEnd(long openTime) {
    return this == MN1 ? CivilMonths.nextMonthStart(openTime) : openTime + millis;
  }

  /** Whether {@code epochMs} is the start of a window. */
  public boolean isAligned(long epochMs) {
    return windowStart(epochMs) == epochMs;
  }

  /**
   * The window containing {@code epochMs} counted from the one containing 1970-01-01 00:00 UTC (0;
   * earlier windows are negative): consecutive windows have consecutive indexes, so the difference
   * of two indexes is the number of windows between them.
   */
  public long windowIndex(long epochMs) {
    if (this == MN1) {
      return CivilMonths.monthIndex(epochMs);
    }
    return Math.floorDiv(epochMs - (this == W1 ? WEEK_ORIGIN_MS : 0), millis);
  }

  /** Start of the window with index {@code index} (the inverse of {@link #windowIndex}). */
  public long windowStartOfIndex(long index) {
    if (this == MN1) {
      return CivilMonths.startOfMonthIndex(index);
    }
    return index * millis + (this == W1 ? WEEK_ORIGIN_MS : 0);
  }

  public static Timeframe byIndex(int i) {
    return ALL[i];
  }

  /**
   * This timeframe's index in {@link #LIST}, the inverse of {@link #byIndex}; per-timeframe arrays
   * use it.
   */
  @SuppressWarnings(
      "EnumOrdinal") // the declaration order is the index order; array lookups on the fold path
  public int index() {
    return ordinal();
  }

  /**
   * Parses "1s", "1m", "5m", "15m", "1h", "4h", "1d", "1w", "1M" (case-sensitive: "1m" is a minute,
   * "1M" a month); throws {@link IllegalArgumentException} otherwise.
   */
  public static Timeframe parse(String s) {
    Timeframe tf = tryParse(s);
    if (tf == null) {
      throw new IllegalArgumentException(
          "unknown timeframe '" + s + "' (expected one of " + labels() + ")");
    }
    return tf;
  }

  /** Like {@link #parse} but returns null for anything unknown. */
  public static Timeframe tryParse(String s) {
    if (s == null) {
      return null;
    }
    for (Timeframe tf : ALL) {
      if (tf.label.equals(s)) {
        return tf;
      }
    }
    return null;
  }

  public static String labels() {
    StringBuilder sb = new StringBuilder();
    for (Timeframe tf : ALL) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(tf.label);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return label;
  }
}
