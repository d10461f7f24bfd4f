package candlecast.aggregator;

import candlecast.common.Timeframe;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * Window math for the oracles, independent of {@link Timeframe}'s own: fixed lengths read from the
 * label ("15m" = 15 minutes), floor division for those, java.time's calendar for weeks (starting
 * Monday) and months.
 */
final class OracleWindows {
  private static final long DAY = 86_400_000L;

  private OracleWindows() {}

  /** Start of the window of {@code tf} that contains {@code t}. */
  static long start(Timeframe tf, long t) {
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(t, DAY));
    return switch (tf.label()) {
      case "1w" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay() * DAY;
      case "1M" -> day.withDayOfMonth(1).toEpochDay() * DAY;
      default -> Math.floorDiv(t, length(tf)) * length(tf);
    };
  }

  /** End (exclusive) of the window of {@code tf} that starts at {@code start}. */
  static long end(Timeframe tf, long start) {
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(start, DAY));
    return switch (tf.label()) {
      case "1w" -> day.plusWeeks(1).toEpochDay() * DAY;
      case "1M" -> day.plusMonths(1).toEpochDay() * DAY;
      default -> start + length(tf);
    };
  }

  private static long length(Timeframe tf) {
    String label = tf.label();
    long n = Long.parseLong(label.substring(0, label.length() - 1));
    return switch (label.charAt(label.length() - 1)) {
      case 's' -> n * 1_000L;
      case 'm' -> n * 60_000L;
      case 'h' -> n * 3_600_000L;
      case 'd' -> n * DAY;
      default -> throw new IllegalArgumentException("no fixed length: " + label);
    };
  }
}
