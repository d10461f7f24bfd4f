package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Validation of {@code GET /api/candles?symbol=BTCUSD&tf=1m&limit=N&from=&to=&period=&local_only=}
 * into the body of a {@code candlecast.history} request. Pure.
 */
public final class CandlesQuery {
  public static final Timeframe DEFAULT_TF = Timeframe.M1;
  public static final int DEFAULT_LIMIT = 500;

  private CandlesQuery() {}

  public sealed interface Result permits Ok, Bad {}

  /**
   * A valid query.
   *
   * @param request body for {@code candlecast.history}: {symbol, tf, limit, from?, to?, localOnly?}
   */
  public record Ok(JsonObject request, int limit) implements Result {}

  /**
   * A rejected query.
   *
   * @param error why the query is rejected (the 400 body's {@code error})
   */
  public record Bad(String error) implements Result {}

  /**
   * Validates the query parameters.
   *
   * @param param the first value of a query parameter, or null when absent
   * @param maxLimit largest accepted {@code limit}
   */
  public static Result parse(Function<String, String> param, int maxLimit) {
    return parse(param, maxLimit, System.currentTimeMillis());
  }

  /**
   * Validates the query parameters, {@code period}, ISO dates and {@code local_only} included (see
   * {@link HistoryParams}); a {@code period} without {@code limit} asks for {@code maxLimit}.
   *
   * @param nowMs the clock, for a {@code period} without {@code to}
   */
  public static Result parse(Function<String, String> param, int maxLimit, long nowMs) {
    try {
      String symbol = symbol(param.apply("symbol"));
      Timeframe tf = timeframe(param.apply("tf"));
      HistoryParams.Range range = HistoryParams.parse(param, nowMs);
      String rawLimit = param.apply("limit");
      int limit = rawLimit == null && range.period() != null ? maxLimit : limit(rawLimit, maxLimit);
      JsonObject req =
          new JsonObject().put("symbol", symbol).put("tf", tf.label()).put("limit", limit);
      if (range.from() != null) {
        req.put("from", range.from());
      }
      if (range.to() != null) {
        req.put("to", range.to());
      }
      if (range.localOnly() != null) {
        req.put("localOnly", range.localOnly());
      }
      return new Ok(req, limit);
    } catch (Rejected e) {
      return new Bad(e.getMessage());
    } catch (HistoryParams.Rejected e) {
      return new Bad(e.getMessage());
    }
  }

  private static String symbol(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new Rejected("missing query parameter 'symbol', e.g. /api/candles?symbol=BTCUSD&tf=1m");
    }
    String symbol = Symbols.normalize(raw);
    if (symbol == null) {
      throw new Rejected("invalid symbol '" + clip(raw) + "': expected 2 to 20 letters or digits");
    }
    return symbol;
  }

  private static Timeframe timeframe(String raw) {
    if (raw == null) {
      return DEFAULT_TF;
    }
    Timeframe tf = Timeframe.tryParse(raw);
    if (tf == null) {
      throw new Rejected(
          "unknown timeframe '" + clip(raw) + "': expected one of " + Timeframe.labels());
    }
    return tf;
  }

  private static int limit(String raw, int maxLimit) {
    if (raw == null) {
      return Math.min(DEFAULT_LIMIT, maxLimit);
    }
    long l;
    try {
      l = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new Rejected("limit must be a whole number, was '" + clip(raw) + "'");
    }
    if (l < 1 || l > maxLimit) {
      throw new Rejected("limit must be between 1 and " + maxLimit + ", was " + l);
    }
    return (int) l;
  }

  /** A rejected parameter (no stack trace: it is an answer, not a fault). */
  private static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The candles of a history reply, oldest first, at most the newest {@code limit}; null when the
   * reply is not {@code {"candles":[...]}}.
   */
  public static JsonArray candlesOf(Object replyBody, int limit) {
    if (!(replyBody instanceof JsonObject reply)) {
      return null;
    }
    Object candles = reply.getValue("candles");
    if (!(candles instanceof JsonArray all)) {
      return null;
    }
    if (all.size() <= limit) {
      return all;
    }
    return new JsonArray(
        new java.util.ArrayList<>(all.getList().subList(all.size() - limit, all.size())));
  }

  private static String clip(String s) {
    return CommandParser.echo(s);
  }
}
