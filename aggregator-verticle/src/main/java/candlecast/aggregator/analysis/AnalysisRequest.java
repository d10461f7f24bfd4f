package candlecast.aggregator.analysis;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;

/**
 * A validated analysis request body (docs/PROTOCOL.md, "Analysis: event bus"): {@code {symbol, tf,
 * name, params?, limit?, from?, to?}}.
 *
 * @param limit newest points wanted; 0 (opens only) renews the lease without points
 * @param from oldest point time wanted (ms, inclusive)
 * @param to newest point time wanted (ms, inclusive)
 */
public record AnalysisRequest(
    String symbol, Timeframe tf, AnalysisSpec spec, int limit, long from, long to) {
  public static final int DEFAULT_LIMIT = 500;
  public static final int MAX_LIMIT = 5_000;

  /**
   * Validates a request body.
   *
   * @param open an open (limit may be 0; from and to are not read) rather than a query
   * @throws AnalysisException 400 naming what is wrong
   */
  public static AnalysisRequest parse(JsonObject body, boolean open) {
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String s ? Symbols.normalize(s) : null;
    if (symbol == null) {
      throw bad("symbol must be 2-20 letters or digits, was " + sym);
    }
    Object tfRaw = body.getValue("tf");
    Timeframe tf = tfRaw instanceof String s ? Timeframe.tryParse(s) : null;
    if (tf == null) {
      throw bad("unknown timeframe " + tfRaw + " (expected one of " + Timeframe.labels() + ")");
    }
    AnalysisSpec spec = spec(body);
    long limit = longField(body, "limit", DEFAULT_LIMIT);
    int min = open ? 0 : 1;
    if (limit < min || limit > MAX_LIMIT) {
      throw bad("limit must be " + min + ".." + MAX_LIMIT + ", was " + limit);
    }
    long from = open ? Long.MIN_VALUE : longField(body, "from", Long.MIN_VALUE);
    long to = open ? Long.MAX_VALUE : longField(body, "to", Long.MAX_VALUE);
    if (from > to) {
      throw bad("from must not be after to");
    }
    return new AnalysisRequest(symbol, tf, spec, (int) limit, from, to);
  }

  private static AnalysisSpec spec(JsonObject body) {
    Object name = body.getValue("name");
    if (!(name instanceof String n)) {
      throw bad("name must be a string (one of " + AnalysisSpec.Kind.names() + ")");
    }
    Object params = body.getValue("params");
    if (params != null && !(params instanceof JsonObject)) {
      throw bad("params must be a JSON object");
    }
    try {
      return AnalysisSpec.parse(n, params == null ? null : ((JsonObject) params).getMap());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private static long longField(JsonObject body, String field, long dflt) {
    Object v = body.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw bad(field + " must be an integer, was " + v);
  }

  private static AnalysisException bad(String message) {
    return new AnalysisException(400, message);
  }
}
