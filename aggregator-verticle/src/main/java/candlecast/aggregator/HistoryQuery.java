package candlecast.aggregator;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;

/** A validated history request: {symbol, tf, from?, to?, limit?}. */
public record HistoryQuery(String symbol, Timeframe tf, long from, long to, int limit) {
  public static final int MAX_LIMIT = 100_000;

  /**
   * Validates a history request body; {@code defaultLimit} applies when it names no limit.
   *
   * @throws IllegalArgumentException with a reason naming the bad field
   */
  public static HistoryQuery parse(JsonObject body, int defaultLimit) {
    if (body == null) {
      throw new IllegalArgumentException("request body must be a JSON object");
    }
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String s ? Symbols.normalize(s) : null;
    if (symbol == null) {
      throw new IllegalArgumentException("symbol must be 2-20 letters or digits, was " + sym);
    }
    Object tfRaw = body.getValue("tf");
    Timeframe tf = tfRaw instanceof String s ? Timeframe.tryParse(s) : null;
    if (tf == null) {
      throw new IllegalArgumentException(
          "unknown timeframe " + tfRaw + " (expected one of " + Timeframe.labels() + ")");
    }
    long from = longField(body, "from", Long.MIN_VALUE);
    long to = longField(body, "to", Long.MAX_VALUE);
    if (from > to) {
      throw new IllegalArgumentException("from must not be after to");
    }
    long limit = longField(body, "limit", defaultLimit);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    return new HistoryQuery(symbol, tf, from, to, (int) limit);
  }

  private static long longField(JsonObject body, String field, long dflt) {
    Object v = body.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException(field + " must be an integer, was " + v);
  }
}
