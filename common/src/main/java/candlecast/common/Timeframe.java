package candlecast.common;

import java.util.List;

/**
 * Candle timeframes. Every window is aligned to UTC epoch multiples of its length (1d windows start
 * at 00:00 UTC).
 */
public enum Timeframe {
  S1("1s", 1_000L),
  M1("1m", 60_000L),
  M5("5m", 300_000L),
  M15("15m", 900_000L),
  H1("1h", 3_600_000L),
  H4("4h", 14_400_000L),
  D1("1d", 86_400_000L);

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

  public long millis() {
    return millis;
  }

  public long seconds() {
    return millis / 1000L;
  }

  /** Start of the window that contains {@code epochMs} (floor, also for negative times). */
  public long windowStart(long epochMs) {
    return Math.floorDiv(epochMs, millis) * millis;
  }

  public boolean isAligned(long epochMs) {
    return Math.floorMod(epochMs, millis) == 0;
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
   * Parses "1s", "1m", "5m", "15m", "1h", "4h", "1d"; throws {@link IllegalArgumentException}
   * otherwise.
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
