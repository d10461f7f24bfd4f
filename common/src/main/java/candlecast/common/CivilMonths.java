package candlecast.common;

/**
 * Calendar months of UTC (proleptic Gregorian) as epoch milliseconds, by integer arithmetic: no
 * allocation, so cheap enough for the fold path where a 1M window opens or closes. Day counts
 * follow H. Hinnant's {@code days_from_civil} / {@code civil_from_days} (400-year eras of 146,097
 * days, years starting March 1 so that the leap day is the last day of the year).
 */
final class CivilMonths {
  private static final long DAY_MS = 86_400_000L;
  private static final long DAYS_0000_03_01_TO_EPOCH = 719_468L;
  private static final long DAYS_PER_ERA = 146_097L;
  private static final int MONTHS = 12;
  private static final int EPOCH_YEAR = 1970;

  private CivilMonths() {}

  /**
   * Months since January 1970 (0) of the month containing {@code epochMs}; earlier ones are
   * negative.
   */
  static long monthIndex(long epochMs) {
    long z = Math.floorDiv(epochMs, DAY_MS) + DAYS_0000_03_01_TO_EPOCH;
    long era = Math.floorDiv(z, DAYS_PER_ERA);
    long doe = z - era * DAYS_PER_ERA; // day of era, 0 ... 146096
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, 0 ... 399
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year, 0 ... 365
    long mp = (5 * doy + 2) / 153; // month from March = 0
    long month = mp < 10 ? mp + 3 : mp - 9; // 1 ... 12
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return (year - EPOCH_YEAR) * MONTHS + (month - 1);
  }

  /**
   * Epoch milliseconds of 00:00 UTC on the first day of month {@code index} (see {@link
   * #monthIndex}).
   */
  static long startOfMonthIndex(long index) {
    long year = EPOCH_YEAR + Math.floorDiv(index, MONTHS);
    long month = Math.floorMod(index, MONTHS) + 1L;
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5; // first day of the month
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * DAYS_PER_ERA + doe - DAYS_0000_03_01_TO_EPOCH) * DAY_MS;
  }

  static long monthStart(long epochMs) {
    return startOfMonthIndex(monthIndex(epochMs));
  }

  static long nextMonthStart(long epochMs) {
    return startOfMonthIndex(monthIndex(epochMs) + 1);
  }
}
