package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;

/**
 * Session numbers of the session-anchored indicators (VWAP, OBV): the UTC day of a candle's open
 * time, or its UTC calendar year. Two candles are in the same session when their numbers are equal.
 */
final class Sessions {
  static final long DAY_MS = 86_400_000L;

  private Sessions() {}

  /** Whether the timeframe's windows are shorter than a day (sessions are UTC days). */
  static boolean intraday(Timeframe tf) {
    return tf.isFixed() && tf.millis() < DAY_MS;
  }

  /** The UTC day (days since 1970-01-01) of {@code epochMs}. */
  static long day(long epochMs) {
    return Math.floorDiv(epochMs, DAY_MS);
  }

  /**
   * The proleptic Gregorian UTC year of {@code epochMs} (H. Hinnant's civil-from-days algorithm).
   */
  static long year(long epochMs) {
    long z = day(epochMs) + 719_468L; // days since 0000-03-01
    long era = Math.floorDiv(z, 146_097L);
    long doe = z - era * 146_097L;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153; // 0 = March … 11 = February
    return yoe + era * 400 + (mp >= 10 ? 1 : 0);
  }
}
