package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The history provider's request parameters ({@code get_data}, {@code get_batch_data} on {@code
 * /socket.io}) in the forms its Python client sends: {@code ticker} ({@code BTC-USD} or {@code
 * BTCUSD}), {@code resolution} (a {@code DataResolution} name such as {@code DAY_01}, with or
 * without the {@code DataResolution.} prefix, a yfinance-style interval such as {@code 1wk}, or a
 * Candlecast timeframe label), {@code period} ({@code DataPeriod} names {@code DAY_01 … YEAR_MAX}
 * or {@code 1d, 5d, 1mo, 3mo, 6mo, 1y, 2y, 5y, max}), {@code time_start}/{@code time_end} (ISO
 * dates or date-times, UTC), {@code limit} and {@code local_only}; validated into the body of a
 * {@code candlecast.history} request. Pure (the caller passes the clock).
 */
final class SeedHistoryParams {
  private static final long DAY_MS = 86_400_000L;

  /** Resolution names and intervals → Candlecast timeframe labels. */
  private static final Map<String, String> RESOLUTIONS =
      Map.ofEntries(
          Map.entry("SECOND_01", "1s"),
          Map.entry("MINUTE_01", "1m"),
          Map.entry("MINUTE_05", "5m"),
          Map.entry("MINUTE_15", "15m"),
          Map.entry("MINUTE_60", "1h"),
          Map.entry("HOUR_01", "1h"),
          Map.entry("HOUR_04", "4h"),
          Map.entry("DAY_01", "1d"),
          Map.entry("WEEK_01", "1w"),
          Map.entry("MONTH_01", "1M"),
          Map.entry("60m", "1h"),
          Map.entry("1wk", "1w"),
          Map.entry("1mo", "1M"));

  private SeedHistoryParams() {}

  /**
   * A valid request.
   *
   * @param ticker the ticker as the client spelled it (answers echo it)
   * @param request body for {@code candlecast.history}: {symbol, tf, limit, from?, to?, localOnly}
   * @param limit the most bars to answer
   */
  record Ok(String ticker, JsonObject request, int limit) {}

  /** A rejected parameter (no stack trace: it is an answer, not a fault). */
  static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Validates one request for {@code ticker} (the other parameters from {@code params}); throws
   * {@link Rejected} with the reason.
   */
  static Ok parse(Object ticker, JsonObject params, int maxLimit, long nowMs) {
    String shown = tickerOf(ticker);
    String symbol = Symbols.normalize(shown);
    if (symbol == null) {
      throw new Rejected(
          "invalid ticker '" + CommandParser.echo(shown) + "': expected e.g. BTC-USD or BTCUSD");
    }
    Timeframe tf = resolution(params.getValue("resolution"));
    int limit = limit(params.getValue("limit"), maxLimit);
    Long from = period(params.getValue("period"), nowMs);
    Long start = time("time_start", params.getValue("time_start"), false);
    Long end = time("time_end", params.getValue("time_end"), true);
    if (start != null) {
      from = start;
    }
    if (from != null && end != null && from > end) {
      throw new Rejected("time_start is after time_end");
    }
    JsonObject req =
        new JsonObject()
            .put("symbol", symbol)
            .put("tf", tf.label())
            .put("limit", limit)
            .put("localOnly", localOnly(params.getValue("local_only")));
    if (from != null) {
      req.put("from", Math.max(0, from));
    }
    if (end != null) {
      req.put("to", end);
    }
    return new Ok(shown, req, limit);
  }

  /** The ticker as a string; throws when absent or not a string. */
  static String tickerOf(Object ticker) {
    if (!(ticker instanceof String s) || s.isBlank()) {
      throw new Rejected("'ticker' must be a string such as \"BTC-USD\"");
    }
    return s;
  }

  static Timeframe resolution(Object raw) {
    if (raw == null) {
      return Timeframe.D1;
    }
    if (!(raw instanceof String s)) {
      throw new Rejected("'resolution' must be a string such as \"DAY_01\" or \"1d\"");
    }
    String name = s.substring(s.lastIndexOf('.') + 1).trim();
    Timeframe tf = Timeframe.tryParse(name);
    if (tf == null) {
      String label = RESOLUTIONS.get(name);
      if (label == null) {
        label = RESOLUTIONS.get(name.toUpperCase(Locale.ROOT));
      }
      tf = Timeframe.tryParse(label);
    }
    if (tf == null) {
      throw new Rejected(
          "unknown resolution '"
              + CommandParser.echo(s)
              + "': expected SECOND_01, MINUTE_01, MINUTE_05, MINUTE_15, HOUR_01, HOUR_04, DAY_01,"
              + " WEEK_01, MONTH_01 or one of "
              + Timeframe.labels());
    }
    return tf;
  }

  /** The period's start (epoch ms) counted back from {@code nowMs}; null for max or absent. */
  static Long period(Object raw, long nowMs) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String s)) {
      throw new Rejected("'period' must be a string such as \"YEAR_01\" or \"1y\"");
    }
    // "DataPeriod.YEAR_01" (an enum's str()) as well as "YEAR_01" and "1y"
    HistoryParams.Period p = HistoryParams.Period.tryParse(s.substring(s.lastIndexOf('.') + 1));
    if (p == null) {
      throw new Rejected(
          "unknown period '"
              + CommandParser.echo(s)
              + "': expected DAY_01, DAY_05, MONTH_01, MONTH_03, MONTH_06, YEAR_01, YEAR_02,"
              + " YEAR_05, YEAR_MAX or "
              + HistoryParams.Period.labels());
    }
    return p.startFor(nowMs);
  }

  /**
   * An ISO date ({@code 2023-12-31}: its first millisecond, or its last when {@code endOfDay}), an
   * ISO date-time with or without offset ({@code 2023-12-31T10:00:00Z}, {@code 2023-12-31
   * 10:00:00}: UTC when none) or epoch milliseconds; null when absent.
   */
  static Long time(String name, Object raw, boolean endOfDay) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      if (n.longValue() < 0) {
        throw new Rejected(name + " must not be negative");
      }
      return n.longValue();
    }
    if (!(raw instanceof String s)) {
      throw new Rejected(name + " must be an ISO date such as \"2023-12-31\"");
    }
    String t = s.trim().replace(' ', 'T');
    try {
      if (t.length() == 10) {
        long day = LocalDate.parse(t).toEpochDay() * DAY_MS;
        return endOfDay ? day + DAY_MS - 1 : day;
      }
      if (t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10) {
        return OffsetDateTime.parse(t).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new Rejected(
          name
              + " '"
              + CommandParser.echo(s)
              + "' is not an ISO date or date-time (e.g. 2023-12-31 or 2023-12-31T10:00:00Z)");
    }
  }

  static int limit(Object raw, int maxLimit) {
    if (raw == null) {
      return maxLimit;
    }
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new Rejected("'limit' must be a whole number");
    }
    long l = n.longValue();
    if (l < 1 || l > maxLimit) {
      throw new Rejected("'limit' must be between 1 and " + maxLimit + ", was " + l);
    }
    return (int) l;
  }

  static boolean localOnly(Object raw) {
    if (raw == null) {
      return true;
    }
    if (!(raw instanceof Boolean b)) {
      throw new Rejected("'local_only' must be true or false");
    }
    return b;
  }
}
