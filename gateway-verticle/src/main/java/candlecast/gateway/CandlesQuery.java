package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Validation of {@code GET /api/candles?symbol=BTCUSD&tf=1m&limit=N&from=ms&to=ms} into the body of a
 * {@code candlecast.history} request. Pure.
 */
public final class CandlesQuery {
  public static final Timeframe DEFAULT_TF = Timeframe.M1;
  public static final int DEFAULT_LIMIT = 500;

  private CandlesQuery() {
  }

  public sealed interface Result permits Ok, Bad {
  }

  /** @param request body for {@code candlecast.history}: {symbol, tf, limit, from?, to?} */
  public record Ok(JsonObject request, int limit) implements Result {
  }

  /** @param error why the query is rejected (the 400 body's {@code error}) */
  public record Bad(String error) implements Result {
  }

  /**
   * @param param    the first value of a query parameter, or null when absent
   * @param maxLimit largest accepted {@code limit}
   */
  public static Result parse(Function<String, String> param, int maxLimit) {
    String rawSymbol = param.apply("symbol");
    if (rawSymbol == null || rawSymbol.isBlank()) {
      return new Bad("missing query parameter 'symbol', e.g. /api/candles?symbol=BTCUSD&tf=1m");
    }
    String symbol = Symbols.normalize(rawSymbol);
    if (symbol == null) {
      return new Bad("invalid symbol '" + clip(rawSymbol) + "': expected 2 to 20 letters or digits");
    }
    String rawTf = param.apply("tf");
    Timeframe tf = DEFAULT_TF;
    if (rawTf != null) {
      tf = Timeframe.tryParse(rawTf);
      if (tf == null) {
        return new Bad("unknown timeframe '" + clip(rawTf) + "': expected one of " + Timeframe.labels());
      }
    }
    int limit = Math.min(DEFAULT_LIMIT, maxLimit);
    String rawLimit = param.apply("limit");
    if (rawLimit != null) {
      long l;
      try {
        l = Long.parseLong(rawLimit.trim());
      } catch (NumberFormatException e) {
        return new Bad("limit must be a whole number, was '" + clip(rawLimit) + "'");
      }
      if (l < 1 || l > maxLimit) {
        return new Bad("limit must be between 1 and " + maxLimit + ", was " + l);
      }
      limit = (int) l;
    }
    JsonObject req = new JsonObject().put("symbol", symbol).put("tf", tf.label()).put("limit", limit);
    Long from = null;
    Long to = null;
    for (String name : new String[] {"from", "to"}) {
      String raw = param.apply(name);
      if (raw == null) {
        continue;
      }
      long v;
      try {
        v = Long.parseLong(raw.trim());
      } catch (NumberFormatException e) {
        return new Bad(name + " must be epoch milliseconds (a whole number), was '" + clip(raw) + "'");
      }
      if (v < 0) {
        return new Bad(name + " must be epoch milliseconds >= 0, was " + v);
      }
      req.put(name, v);
      if (name.equals("from")) {
        from = v;
      } else {
        to = v;
      }
    }
    if (from != null && to != null && from > to) {
      return new Bad("from (" + from + ") is after to (" + to + ")");
    }
    return new Ok(req, limit);
  }

  /**
   * The candles of a history reply, oldest first, at most the newest {@code limit}; null when the reply is not
   * {@code {"candles":[...]}}.
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
    return new JsonArray(new java.util.ArrayList<>(all.getList().subList(all.size() - limit, all.size())));
  }

  private static String clip(String s) {
    return CommandParser.echo(s);
  }
}
