package candlecast.aggregator;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonObject;

/**
 * A validated request for recent trades: {symbol, limit?, from?, since?, afterSeq?}. At most one of
 * {@code from} (event time, epoch ms: the newest {@code limit} trades at or after it), {@code
 * since} (a trade id: the trades after it) and {@code afterSeq} (a tape position: the trades after
 * it); with none, the newest {@code limit} trades.
 */
record TradeQuery(String symbol, int limit, Long from, Long since, Long afterSeq) {
  static final int MAX_LIMIT = 1_000_000;

  /**
   * @throws IllegalArgumentException with a reason naming the bad field
   */
  static TradeQuery parse(JsonObject body, int defaultLimit) {
    if (body == null) {
      throw new IllegalArgumentException("request body must be a JSON object");
    }
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String s ? Symbols.normalize(s) : null;
    if (symbol == null) {
      throw new IllegalArgumentException("symbol must be 2-20 letters or digits, was " + sym);
    }
    Long limit = whole(body, "limit", 1);
    if (limit != null && limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    Long from = whole(body, "from", 0);
    Long since = whole(body, "since", 0);
    Long afterSeq = whole(body, "afterSeq", -1);
    int given = (from == null ? 0 : 1) + (since == null ? 0 : 1) + (afterSeq == null ? 0 : 1);
    if (given > 1) {
      throw new IllegalArgumentException("from, since and afterSeq exclude each other");
    }
    return new TradeQuery(
        symbol, limit == null ? defaultLimit : limit.intValue(), from, since, afterSeq);
  }

  /** An optional whole-number field of at least {@code min}; null when absent. */
  private static Long whole(JsonObject body, String field, long min) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min) {
      throw new IllegalArgumentException(field + " must be an integer >= " + min + ", was " + v);
    }
    return ((Number) v).longValue();
  }
}
