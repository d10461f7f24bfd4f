package candlecast.gateway;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The history request model shared by every protocol that asks for candles by period and dates
 * (REST {@code /api/candles}, the JSON and bridge batches, the Socket.IO endpoint): {@code period},
 * {@code from}/{@code to} and {@code local_only}, each malformed value rejected with a message
 * naming the parameter. Pure: the clock is a parameter.
 *
 * <p>Times: a bare whole number is epoch milliseconds (the existing rule of {@code /api/candles});
 * an ISO-8601 date ({@code 2024-01-31}) is that UTC day, its start for {@code from} and its last
 * millisecond for {@code to} (so {@code to} includes the day); a date-time with {@code Z} or an
 * offset ({@code 2024-01-31T12:00:00+02:00}) is that instant, without an offset it is read as UTC.
 *
 * <p>Precedence: {@code period} reaches back from {@code to} (or from now when {@code to} is
 * absent) in UTC calendar terms ({@code 1mo} before 31 March is 28/29 February, java.time's rule);
 * a {@code from} given as well narrows the start (the later of the two wins), as the seed
 * provider's {@code time_start} filters inside its period; {@code max} puts no bound on the start.
 */
public final class HistoryParams {
  private static final long DAY_MS = 86_400_000L;

  private HistoryParams() {}

  /** The periods, with the wire label ({@code 1mo}) and the seed provider's enum name. */
  public enum Period {
    D1("1d", "DAY_01", 0, 0, 1),
    D5("5d", "DAY_05", 0, 0, 5),
    MO1("1mo", "MONTH_01", 0, 1, 0),
    MO3("3mo", "MONTH_03", 0, 3, 0),
    MO6("6mo", "MONTH_06", 0, 6, 0),
    Y1("1y", "YEAR_01", 1, 0, 0),
    Y2("2y", "YEAR_02", 2, 0, 0),
    Y5("5y", "YEAR_05", 5, 0, 0),
    MAX("max", "YEAR_MAX", 0, 0, 0);

    private final String label;
    private final String seedName;
    private final int years;
    private final int months;
    private final int days;

    Period(String label, String seedName, int years, int months, int days) {
      this.label = label;
      this.seedName = seedName;
      this.years = years;
      this.months = months;
      this.days = days;
    }

    public String label() {
      return label;
    }

    /** The seed provider's {@code DataPeriod} name ({@code YEAR_01}). */
    public String seedName() {
      return seedName;
    }

    /**
     * The first instant of this period when it ends at {@code toMs}: {@code toMs} minus the period
     * in UTC calendar terms; null for {@link #MAX} (no bound).
     */
    public Long startFor(long toMs) {
      if (this == MAX) {
        return null;
      }
      OffsetDateTime to =
          OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(toMs), ZoneOffset.UTC);
      return to.minusYears(years).minusMonths(months).minusDays(days).toInstant().toEpochMilli();
    }

    /** A label ({@code 1y}, any case) or a seed name ({@code YEAR_01}, any case); else null. */
    public static Period tryParse(String raw) {
      if (raw == null) {
        return null;
      }
      String s = raw.trim();
      for (Period p : values()) {
        if (p.label.equalsIgnoreCase(s) || p.seedName.equalsIgnoreCase(s)) {
          return p;
        }
      }
      return null;
    }

    /** "1d, 5d, 1mo, 3mo, 6mo, 1y, 2y, 5y, max". */
    public static String labels() {
      StringBuilder sb = new StringBuilder();
      for (Period p : values()) {
        sb.append(sb.length() == 0 ? "" : ", ").append(p.label);
      }
      return sb.toString();
    }
  }

  /** A rejected parameter; its message names the parameter. No stack trace: it is an answer. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Rejected(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The resolved range and download flag.
   *
   * @param from first open time (inclusive), null for no bound
   * @param to last open time (inclusive), null for no bound (up to now)
   * @param localOnly the {@code local_only} given, null when absent (the bus default: true)
   * @param period the period given, null when absent
   */
  public record Range(Long from, Long to, Boolean localOnly, Period period) {}

  /**
   * Reads {@code period}, {@code from}, {@code to} and {@code local_only} and applies the
   * precedence rules.
   *
   * @param param the value of a parameter, null when absent
   * @param nowMs the clock, for a period without {@code to}
   * @throws Rejected naming the malformed parameter, or when {@code from} is after {@code to}
   */
  public static Range parse(Function<String, String> param, long nowMs) {
    Period period = period(param.apply("period"));
    Long from = time("from", param.apply("from"), false);
    Long to = time("to", param.apply("to"), true);
    Boolean localOnly = bool("local_only", param.apply("local_only"));
    if (period != null) {
      Long start = period.startFor(to == null ? nowMs : to);
      if (start != null && (from == null || start > from)) {
        from = Math.max(0, start);
      }
    }
    if (from != null && to != null && from > to) {
      throw new Rejected("from (" + from + ") is after to (" + to + ")");
    }
    return new Range(from, to, localOnly, period);
  }

  /** {@code period}: null when absent. */
  public static Period period(String raw) {
    if (raw == null) {
      return null;
    }
    Period p = Period.tryParse(raw);
    if (p == null) {
      throw new Rejected(
          "unknown period '"
              + clip(raw)
              + "': expected one of "
              + Period.labels()
              + " (or DAY_01, DAY_05, MONTH_01, MONTH_03, MONTH_06, YEAR_01, YEAR_02, YEAR_05,"
              + " YEAR_MAX)");
    }
    return p;
  }

  /**
   * A time bound in epoch ms: epoch milliseconds, an ISO date or an ISO date-time (see the class
   * comment); null when absent.
   *
   * @param name the parameter, for the message
   * @param endOfDay whether a bare date means its last millisecond ({@code to}) or its start
   */
  public static Long time(String name, String raw, boolean endOfDay) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    long v;
    if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-') && isWhole(s)) {
      try {
        v = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new Rejected(name + " is out of range, was '" + clip(raw) + "'");
      }
    } else {
      v = iso(name, s, raw, endOfDay);
    }
    if (v < 0) {
      throw new Rejected(name + " must be epoch milliseconds >= 0, was " + v);
    }
    return v;
  }

  private static boolean isWhole(String s) {
    for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return s.length() > (s.charAt(0) == '-' ? 1 : 0);
  }

  private static long iso(String name, String s, String raw, boolean endOfDay) {
    try {
      if (s.indexOf('T') < 0 && s.indexOf('t') < 0) {
        LocalDate d = LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
        long start = d.toEpochDay() * DAY_MS;
        return endOfDay ? start + DAY_MS - 1 : start;
      }
      // a '+' of an offset arrives as a space when the query string was not encoded
      String t = s.replace(' ', '+').toUpperCase(Locale.ROOT);
      if (hasOffset(t)) {
        return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .toInstant()
            .toEpochMilli();
      }
      return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .toInstant(ZoneOffset.UTC)
          .toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new Rejected(
          name
              + " must be epoch milliseconds, an ISO-8601 date (2024-01-31) or date-time"
              + " (2024-01-31T12:00:00Z), was '"
              + clip(raw)
              + "'");
    } catch (DateTimeException e) {
      throw new Rejected(name + " is not a valid date: '" + clip(raw) + "'");
    }
  }

  /** Whether the date-time part after 'T' ends with Z or carries a +hh:mm / -hh:mm offset. */
  private static boolean hasOffset(String t) {
    String time = t.substring(t.indexOf('T') + 1);
    return time.endsWith("Z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
  }

  /** {@code true/false/1/0} (any case); null when absent. */
  public static Boolean bool(String name, String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new Rejected(name + " must be true, false, 1 or 0, was '" + clip(raw) + "'");
    };
  }

  private static String clip(String s) {
    return CommandParser.echo(s);
  }
}
