package candlecast.gateway;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC timestamps with milliseconds and a {@code Z} ({@code 2025-01-27T10:30:00.000Z}), the
 * timestamps of the stream service dialect ({@code /ws/stream}). Written straight into a {@link
 * StringBuilder}, without the {@code java.time} objects a formatter creates per call: frames carry
 * one or more per update. Pure.
 */
final class IsoTime {
  private static final long DAY_MS = 86_400_000L;

  /**
   * For years outside 0000-9999, which the fast path does not write (java.time adds a sign and more
   * digits).
   */
  private static final DateTimeFormatter WIDE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private IsoTime() {}

  static String format(long epochMs) {
    return append(new StringBuilder(24), epochMs).toString();
  }

  /** Appends {@code epochMs} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC). */
  static StringBuilder append(StringBuilder sb, long epochMs) {
    long days = Math.floorDiv(epochMs, DAY_MS);
    int msOfDay = (int) Math.floorMod(epochMs, DAY_MS);
    // days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's
    // civil_from_days
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9_999) {
      return sb.append(WIDE.format(Instant.ofEpochMilli(epochMs)));
    }
    digits(sb, (int) year, 4).append('-');
    digits(sb, month, 2).append('-');
    digits(sb, day, 2).append('T');
    digits(sb, msOfDay / 3_600_000, 2).append(':');
    digits(sb, msOfDay / 60_000 % 60, 2).append(':');
    digits(sb, msOfDay / 1_000 % 60, 2).append('.');
    return digits(sb, msOfDay % 1_000, 3).append('Z');
  }

  /** {@code v} (0 ≤ v < 10^width) with leading zeros. */
  private static StringBuilder digits(StringBuilder sb, int v, int width) {
    for (int p = width == 4 ? 1_000 : width == 3 ? 100 : 10; p > 0; p /= 10) {
      sb.append((char) ('0' + v / p % 10));
    }
    return sb;
  }
}
