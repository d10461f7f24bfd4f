package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Validation of the analysis resources' query strings (issue 16) into the body of a {@code
 * candlecast.analysis} {@code op:"query"} request. Pure.
 *
 * <pre>
 *   GET /api/indicators?symbol=BTCUSD&amp;tf=1m&amp;name=rsi&amp;period=14&amp;from=&amp;to=&amp;limit=
 *   GET /api/patterns?symbol=BTCUSD&amp;tf=1m&amp;lookback=20&amp;from=&amp;to=&amp;limit=
 *   GET /api/risk?symbol=BTCUSD&amp;tf=1h&amp;window=30&amp;from=&amp;to=&amp;limit=
 * </pre>
 *
 * Every query parameter besides {@code symbol}, {@code tf}, {@code name}, {@code from}, {@code to}
 * and {@code limit} is a parameter of the spec, validated by {@link AnalysisSpec#parse} (an unknown
 * one is refused). {@code from}/{@code to} are epoch ms or ISO-8601 dates/date-times ({@link
 * HistoryParams#time}); the history {@code period} is not accepted here, {@code period} being the
 * indicators' own parameter.
 */
public final class AnalysisQuery {
  public static final int DEFAULT_LIMIT = 500;
  public static final int MAX_LIMIT = 5_000;

  /** The query parameters that are not the spec's. */
  static final Set<String> RESERVED = Set.of("symbol", "tf", "name", "from", "to", "limit");

  private AnalysisQuery() {}

  /** Which resource: its path and the kinds it serves. */
  public enum Resource {
    INDICATORS("/api/indicators", null),
    PATTERNS("/api/patterns", AnalysisSpec.Kind.PATTERNS),
    RISK("/api/risk", AnalysisSpec.Kind.RISK);

    final String path;

    /** The one kind the resource serves; null for the indicators (named by {@code name}). */
    final AnalysisSpec.Kind kind;

    Resource(String path, AnalysisSpec.Kind kind) {
      this.path = path;
      this.kind = kind;
    }
  }

  public sealed interface Result permits Ok, Bad {}

  /**
   * A valid query.
   *
   * @param request body for {@code candlecast.analysis}: {op:"query", symbol, tf, name, params,
   *     from?, to?, limit}
   */
  public record Ok(JsonObject request, AnalysisSpec spec, int limit) implements Result {}

  /** A rejected query; {@code error} says why (the 400 body's {@code error}). */
  public record Bad(String error) implements Result {}

  /**
   * Validates a query string.
   *
   * @param params every query parameter with all its values (names as sent)
   */
  public static Result parse(Resource resource, Map<String, List<String>> params) {
    try {
      Function<String, String> one = name -> single(params, name);
      String symbol = symbol(resource, one.apply("symbol"));
      Timeframe tf = timeframe(one.apply("tf"));
      AnalysisSpec spec = spec(resource, one.apply("name"), params);
      Long from = HistoryParams.time("from", one.apply("from"), false);
      Long to = HistoryParams.time("to", one.apply("to"), true);
      if (from != null && to != null && from > to) {
        throw new HistoryParams.Rejected("from (" + from + ") is after to (" + to + ")");
      }
      int limit = limit(one.apply("limit"));
      JsonObject req =
          new JsonObject()
              .put("op", "query")
              .put("symbol", symbol)
              .put("tf", tf.label())
              .put("name", spec.kind().wire())
              .put("params", paramsJson(spec))
              .put("limit", limit);
      if (from != null) {
        req.put("from", from);
      }
      if (to != null) {
        req.put("to", to);
      }
      return new Ok(req, spec, limit);
    } catch (HistoryParams.Rejected e) {
      return new Bad(e.getMessage());
    }
  }

  /** A spec's parameters as JSON: integers without a fraction ({@code {"period":14}}). */
  public static JsonObject paramsJson(AnalysisSpec spec) {
    JsonObject p = new JsonObject();
    spec.params()
        .forEach(
            (k, v) -> {
              if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                p.put(k, v.longValue());
              } else {
                p.put(k, v);
              }
            });
    return p;
  }

  /**
   * The points of a query reply, oldest first, at most the newest {@code limit}; null when the
   * reply is not {@code {"points":[...]}}.
   */
  public static JsonArray pointsOf(Object replyBody, int limit) {
    if (!(replyBody instanceof JsonObject reply)
        || !(reply.getValue("points") instanceof JsonArray all)) {
      return null;
    }
    if (all.size() <= limit) {
      return all;
    }
    return new JsonArray(
        new java.util.ArrayList<>(all.getList().subList(all.size() - limit, all.size())));
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new HistoryParams.Rejected("parameter '" + clip(name) + "' is given more than once");
    }
    return values.get(0);
  }

  private static String symbol(Resource resource, String raw) {
    if (raw == null || raw.isBlank()) {
      throw new HistoryParams.Rejected(
          "missing query parameter 'symbol', e.g. " + resource.path + "?symbol=BTCUSD&tf=1m");
    }
    String symbol = Symbols.normalize(raw);
    if (symbol == null) {
      throw new HistoryParams.Rejected(
          "invalid symbol '"
              + clip(raw)
              + "': expected 2 to 20 letters or digits (BTCUSD or BTC-USD)");
    }
    return symbol;
  }

  private static Timeframe timeframe(String raw) {
    if (raw == null) {
      return Timeframe.M1;
    }
    Timeframe tf = Timeframe.tryParse(raw);
    if (tf == null) {
      throw new HistoryParams.Rejected(
          "unknown timeframe '" + clip(raw) + "': expected one of " + Timeframe.labels());
    }
    return tf;
  }

  /** The spec: the resource's kind, or the indicator {@code name}, with the other parameters. */
  private static AnalysisSpec spec(
      Resource resource, String name, Map<String, List<String>> params) {
    String kindName;
    if (resource.kind == null) {
      if (name == null || name.isBlank()) {
        throw new HistoryParams.Rejected(
            "missing query parameter 'name', e.g. /api/indicators?symbol=BTCUSD&tf=1m&name=rsi&period=14"
                + " (indicators: sma, ema, wma, rsi, macd, bb, atr, stoch, vwap, obv)");
      }
      AnalysisSpec.Kind k = AnalysisSpec.Kind.byName(name);
      if (k != null && !k.isIndicator()) {
        throw new HistoryParams.Rejected(
            "'" + clip(name) + "' is not an indicator: use /api/" + k.wire());
      }
      kindName = clip(name);
    } else {
      if (name != null) {
        throw new HistoryParams.Rejected(
            resource.path + " takes no 'name' (it serves " + resource.kind.wire() + ")");
      }
      kindName = resource.kind.wire();
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (!RESERVED.contains(e.getKey())) {
        String v = single(params, e.getKey());
        if (e.getKey().length() > CommandParser.ECHO_LIMIT
            || (v != null && v.length() > CommandParser.ECHO_LIMIT)) {
          throw new HistoryParams.Rejected(
              "parameter '" + clip(e.getKey()) + "' or its value is too long");
        }
        raw.put(e.getKey(), v);
      }
    }
    try {
      return AnalysisSpec.parse(kindName, raw);
    } catch (IllegalArgumentException e) {
      throw new HistoryParams.Rejected(e.getMessage());
    }
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    long l;
    try {
      l = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new HistoryParams.Rejected("limit must be a whole number, was '" + clip(raw) + "'");
    }
    if (l < 1 || l > MAX_LIMIT) {
      throw new HistoryParams.Rejected("limit must be between 1 and " + MAX_LIMIT + ", was " + l);
    }
    return (int) l;
  }

  private static String clip(String s) {
    return CommandParser.echo(s);
  }
}
