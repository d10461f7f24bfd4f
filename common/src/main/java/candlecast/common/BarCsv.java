package candlecast.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV of OHLC(V) bars for import, e.g. daily stock bars:
 *
 * <pre>
 * Date,Open,High,Low,Close,Adj Close,Volume
 * 2024-01-02,187.15,188.44,183.89,185.64,184.29,82488700
 * </pre>
 *
 * A header is required; its columns are found by name (case-insensitive): {@code Date}, {@code
 * Open}, {@code High}, {@code Low}, {@code Close} required, {@code Volume} optional (0 when
 * absent), any other column ({@code Adj Close}) ignored. Dates are {@code YYYY-MM-DD} (00:00 UTC)
 * or ISO-8601 date-times (with an offset or {@code Z}; without one they are UTC), each the start of
 * a window of the timeframe, strictly ascending. Prices are finite with low ≤ open, close ≤ high;
 * volume ≥ 0. Blank lines are skipped; fields are not quoted (a field in double quotes has them
 * removed). The whole text is validated before anything is returned: an error names its line (1 =
 * the header). Pure.
 */
public final class BarCsv {
  /** Bars per import at most. */
  public static final int MAX_BARS = 500_000;

  /** A malformed CSV: the message starts with {@code line N: }. */
  public static final class CsvException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;

    CsvException(int line, String message) {
      super("line " + line + ": " + message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  private record Columns(int date, int open, int high, int low, int close, int volume) {}

  private BarCsv() {}

  /**
   * The bars of the CSV as closed candles of {@code tf} with {@code src} import and no trade count,
   * oldest first.
   *
   * @throws CsvException for the first malformed line
   */
  public static List<Candle> parse(String symbol, Timeframe tf, String csv) {
    String[] lines = csv.split("\r?\n|\r", -1);
    int first = 0;
    while (first < lines.length && lines[first].isBlank()) {
      first++;
    }
    if (first == lines.length) {
      throw new CsvException(1, "empty: a header (Date,Open,High,Low,Close[,Volume]) is required");
    }
    Columns cols = header(first + 1, lines[first]);
    List<Candle> out = new ArrayList<>();
    long last = Long.MIN_VALUE;
    for (int i = first + 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      Candle c = row(symbol, tf, cols, i + 1, lines[i]);
      if (c.openTime() <= last) {
        throw new CsvException(i + 1, "dates must be strictly ascending");
      }
      if (out.size() == MAX_BARS) {
        throw new CsvException(i + 1, "more than " + MAX_BARS + " bars");
      }
      last = c.openTime();
      out.add(c);
    }
    if (out.isEmpty()) {
      throw new CsvException(first + 2, "no bars after the header");
    }
    return out;
  }

  private static Columns header(int line, String text) {
    String[] f = fields(text);
    int[] idx = {-1, -1, -1, -1, -1, -1};
    String[] names = {"date", "open", "high", "low", "close", "volume"};
    for (int i = 0; i < f.length; i++) {
      String name = f[i].trim().toLowerCase(Locale.ROOT);
      for (int k = 0; k < names.length; k++) {
        if (names[k].equals(name)) {
          if (idx[k] >= 0) {
            throw new CsvException(line, "column '" + f[i].trim() + "' appears twice");
          }
          idx[k] = i;
        }
      }
    }
    for (int k = 0; k < 5; k++) {
      if (idx[k] < 0) {
        throw new CsvException(
            line,
            "header must name Date, Open, High, Low, Close (and optionally Volume); missing "
                + Character.toUpperCase(names[k].charAt(0))
                + names[k].substring(1));
      }
    }
    return new Columns(idx[0], idx[1], idx[2], idx[3], idx[4], idx[5]);
  }

  private static Candle row(String symbol, Timeframe tf, Columns c, int line, String text) {
    String[] f = fields(text);
    int need =
        Math.max(
                Math.max(Math.max(c.date(), c.open()), Math.max(c.high(), c.low())),
                Math.max(c.close(), c.volume()))
            + 1;
    if (f.length < need) {
      throw new CsvException(line, "expected at least " + need + " fields, found " + f.length);
    }
    long t = time(line, f[c.date()].trim());
    if (tf.windowStart(t) != t) {
      throw new CsvException(
          line, "'" + f[c.date()].trim() + "' is not the start of a " + tf.label() + " window");
    }
    double open = price(line, "Open", f[c.open()]);
    double high = price(line, "High", f[c.high()]);
    double low = price(line, "Low", f[c.low()]);
    double close = price(line, "Close", f[c.close()]);
    double volume = c.volume() < 0 ? 0 : number(line, "Volume", f[c.volume()]);
    if (volume < 0) {
      throw new CsvException(line, "Volume must not be negative");
    }
    if (low > Math.min(open, close) || high < Math.max(open, close)) {
      throw new CsvException(line, "prices must satisfy Low <= Open, Close <= High");
    }
    return new Candle(
        symbol, tf, t, open, high, low, close, volume, 0, true, false, CandleSource.IMPORT);
  }

  private static String[] fields(String text) {
    String[] f = text.split(",", -1);
    for (int i = 0; i < f.length; i++) {
      String s = f[i].trim();
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        f[i] = s.substring(1, s.length() - 1);
      }
    }
    return f;
  }

  /** Epoch ms of a date (00:00 UTC) or an ISO date-time (UTC when it names no offset). */
  static long time(int line, String s) {
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      if (s.endsWith("Z") || s.endsWith("z")) {
        return Instant.parse(s.toUpperCase(Locale.ROOT)).toEpochMilli();
      }
      try {
        return OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
      }
    } catch (DateTimeParseException e) {
      throw new CsvException(
          line, "'" + s + "' is not a date (YYYY-MM-DD) or an ISO-8601 date-time");
    }
  }

  private static double price(int line, String column, String s) {
    double d = number(line, column, s);
    if (d <= 0) {
      throw new CsvException(line, column + " must be positive, was " + s.trim());
    }
    return d;
  }

  private static double number(int line, String column, String s) {
    try {
      double d = Double.parseDouble(s.trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CsvException(line, column + " must be a number, was '" + s.trim() + "'");
  }
}
