package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * TradingView's UDF (Universal Data Feed) shapes: resolutions mapped to Candlecast's timeframes,
 * the {@code /config} and {@code /symbols} objects, the {@code /search} rows, and the columnar
 * {@code /history} answer. Pure; {@link UdfApi} asks the owning tier and serves them.
 */
public final class Udf {
  public static final String EXCHANGE = "CANDLECAST";
  public static final int DEFAULT_SEARCH_LIMIT = 30;

  /** UDF resolution → Candlecast timeframe label, in the order {@code /config} lists them. */
  private static final Map<String, String> RESOLUTIONS = new LinkedHashMap<>();

  static {
    RESOLUTIONS.put("1S", "1s");
    RESOLUTIONS.put("1", "1m");
    RESOLUTIONS.put("5", "5m");
    RESOLUTIONS.put("15", "15m");
    RESOLUTIONS.put("60", "1h");
    RESOLUTIONS.put("240", "4h");
    RESOLUTIONS.put("1D", "1d");
    RESOLUTIONS.put("1W", "1w");
    RESOLUTIONS.put("1M", "1M");
  }

  private Udf() {}

  /**
   * The timeframe of a UDF resolution ({@code 1S}, {@code 1}, {@code 5}, {@code 15}, {@code 60},
   * {@code 240}, {@code 1D}/{@code D}, {@code 1W}/{@code W}, {@code 1M}/{@code M}); null when it is
   * not one this build has (1w and 1M appear once the timeframes exist).
   */
  public static Timeframe timeframe(String resolution) {
    if (resolution == null) {
      return null;
    }
    String r = resolution.trim();
    if (r.equals("D") || r.equals("W") || r.equals("M") || r.equals("S")) {
      r = "1" + r;
    }
    String label = RESOLUTIONS.get(r);
    return label == null ? null : Timeframe.tryParse(label);
  }

  /** The resolutions this build serves, in {@code /config} order. */
  public static List<String> supportedResolutions() {
    List<String> out = new ArrayList<>();
    RESOLUTIONS.forEach(
        (res, label) -> {
          if (Timeframe.tryParse(label) != null) {
            out.add(res);
          }
        });
    return out;
  }

  /** {@code GET /config}. */
  public static JsonObject config() {
    return new JsonObject()
        .put("supports_search", true)
        .put("supports_group_request", false)
        .put("supports_marks", false)
        .put("supports_timescale_marks", false)
        .put("supports_time", true)
        .put("supported_resolutions", new JsonArray(supportedResolutions()))
        .put(
            "exchanges",
            new JsonArray()
                .add(new JsonObject().put("value", "").put("name", "All").put("desc", ""))
                .add(
                    new JsonObject()
                        .put("value", EXCHANGE)
                        .put("name", EXCHANGE)
                        .put("desc", "Candlecast")))
        .put(
            "symbols_types",
            new JsonArray()
                .add(new JsonObject().put("name", "All").put("value", ""))
                .add(new JsonObject().put("name", "Crypto").put("value", "crypto")));
  }

  /**
   * A UDF symbol ({@code BTCUSD}, {@code btc-usd}, {@code CANDLECAST:BTCUSD}) as a canonical
   * symbol; null when invalid.
   */
  public static String symbol(String raw) {
    if (raw == null) {
      return null;
    }
    int colon = raw.lastIndexOf(':');
    return Symbols.normalize(colon >= 0 ? raw.substring(colon + 1) : raw);
  }

  /**
   * {@code GET /symbols}: the symbol information, {@code pricescale} from the last price (at least
   * 2 decimals, more for cheap symbols, so about 5 significant digits show).
   *
   * @param last the last price, or null when unknown (pricescale 100)
   */
  public static JsonObject symbolInfo(String symbol, Double last) {
    List<String> res = supportedResolutions();
    List<String> intraday = new ArrayList<>();
    for (String r : res) {
      if (Character.isDigit(r.charAt(r.length() - 1))) {
        intraday.add(r);
      }
    }
    return new JsonObject()
        .put("name", symbol)
        .put("ticker", symbol)
        .put("description", symbol)
        .put("type", "crypto")
        .put("session", "24x7")
        .put("timezone", "Etc/UTC")
        .put("exchange", EXCHANGE)
        .put("listed_exchange", EXCHANGE)
        .put("format", "price")
        .put("minmov", 1)
        .put("pricescale", pricescale(last))
        .put("has_intraday", true)
        .put("has_seconds", res.contains("1S"))
        .put("seconds_multipliers", new JsonArray().add("1"))
        .put("intraday_multipliers", new JsonArray(intraday))
        .put("has_daily", true)
        .put("has_weekly_and_monthly", res.contains("1W") || res.contains("1M"))
        .put("supported_resolutions", new JsonArray(res))
        .put("volume_precision", 8)
        .put("data_status", "streaming");
  }

  static long pricescale(Double last) {
    if (last == null || !(last > 0) || last.isInfinite()) {
      return 100;
    }
    int decimals = (int) Math.ceil(5 - Math.log10(last));
    decimals = Math.max(2, Math.min(8, decimals));
    return (long) Math.pow(10, decimals);
  }

  /**
   * {@code GET /search}: the symbols matching {@code query} (a substring, any case, dashes
   * ignored), at most {@code limit}; {@code type}/{@code exchange} other than empty, "crypto" and
   * {@value #EXCHANGE} match nothing.
   */
  public static JsonArray search(
      List<String> symbols, String query, String type, String exchange, int limit) {
    JsonArray out = new JsonArray();
    if ((type != null && !type.isEmpty() && !type.equalsIgnoreCase("crypto"))
        || (exchange != null && !exchange.isEmpty() && !exchange.equalsIgnoreCase(EXCHANGE))) {
      return out;
    }
    String q =
        query == null ? "" : query.replace("-", "").replace("/", "").toUpperCase(Locale.ROOT);
    for (String s : symbols) {
      if (out.size() >= limit) {
        break;
      }
      if (s.contains(q)) {
        out.add(
            new JsonObject()
                .put("symbol", s)
                .put("full_name", EXCHANGE + ":" + s)
                .put("description", s)
                .put("exchange", EXCHANGE)
                .put("ticker", s)
                .put("type", "crypto"));
      }
    }
    return out;
  }

  /**
   * A validated {@code /history} request.
   *
   * @param request the {@code candlecast.history} body
   * @param fromMs the first open time asked for (the {@code nextTime} search starts below it)
   */
  public record HistoryRequest(JsonObject request, long fromMs) {}

  /**
   * Validates {@code /history?symbol&resolution&from&to[&countback]} ({@code from}/{@code to} unix
   * seconds, {@code to} exclusive; with {@code countback} the newest that many bars before {@code
   * to}, {@code from} ignored).
   *
   * @throws HistoryParams.Rejected naming the bad parameter
   */
  public static HistoryRequest history(Function<String, String> param, int maxLimit) {
    String symbol = symbol(param.apply("symbol"));
    if (symbol == null) {
      throw new HistoryParams.Rejected(
          "symbol must be 2 to 20 letters or digits, was '" + clip(param.apply("symbol")) + "'");
    }
    Timeframe tf = timeframe(param.apply("resolution"));
    if (tf == null) {
      throw new HistoryParams.Rejected(
          "unsupported resolution '"
              + clip(param.apply("resolution"))
              + "': expected one of "
              + String.join(", ", supportedResolutions()));
    }
    long to = seconds("to", param.apply("to"), true);
    String rawCountback = param.apply("countback");
    Long countback = rawCountback == null ? null : count(rawCountback);
    long from = countback == null ? seconds("from", param.apply("from"), true) : 0;
    if (countback == null && from >= to) {
      throw new HistoryParams.Rejected("from (" + from + ") must be before to (" + to + ")");
    }
    JsonObject req =
        new JsonObject()
            .put("symbol", symbol)
            .put("tf", tf.label())
            .put("to", to * 1000 - 1)
            .put("limit", countback == null ? maxLimit : (int) Math.min(countback, maxLimit));
    if (countback == null) {
      req.put("from", from * 1000);
    }
    return new HistoryRequest(req, countback == null ? from * 1000 : to * 1000);
  }

  private static long count(String raw) {
    try {
      long v = Long.parseLong(raw.trim());
      if (v < 1) {
        throw new HistoryParams.Rejected("countback must be at least 1, was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new HistoryParams.Rejected(
          "countback must be a whole number of bars, was '" + clip(raw) + "'");
    }
  }

  private static long seconds(String name, String raw, boolean required) {
    if (raw == null) {
      if (required) {
        throw new HistoryParams.Rejected("missing parameter '" + name + "' (unix seconds)");
      }
      return 0;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v < 0 || v > 9_000_000_000_000L) {
        throw new HistoryParams.Rejected(name + " must be unix seconds >= 0, was " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new HistoryParams.Rejected(
          name + " must be a whole number (unix seconds), was '" + clip(raw) + "'");
    }
  }

  /** The columnar answer {@code {"s":"ok","t":[sec],"o","h","l","c","v"}} of candle JSON. */
  public static JsonObject bars(JsonArray candles) {
    JsonArray t = new JsonArray();
    JsonArray o = new JsonArray();
    JsonArray h = new JsonArray();
    JsonArray l = new JsonArray();
    JsonArray c = new JsonArray();
    JsonArray v = new JsonArray();
    for (int i = 0; i < candles.size(); i++) {
      JsonObject k = candles.getJsonObject(i);
      t.add(Math.floorDiv(k.getLong("t"), 1000L));
      o.add(k.getValue("o"));
      h.add(k.getValue("h"));
      l.add(k.getValue("l"));
      c.add(k.getValue("c"));
      v.add(k.getValue("v"));
    }
    return new JsonObject()
        .put("s", "ok")
        .put("t", t)
        .put("o", o)
        .put("h", h)
        .put("l", l)
        .put("c", c)
        .put("v", v);
  }

  /**
   * {@code {"s":"no_data"}}, with the field nextTime (unix seconds of the open time {@code
   * nextTimeMs}) when older bars exist.
   */
  public static JsonObject noData(Long nextTimeMs) {
    JsonObject j = new JsonObject().put("s", "no_data");
    if (nextTimeMs != null) {
      j.put("nextTime", Math.floorDiv(nextTimeMs, 1000L));
    }
    return j;
  }

  /** {@code {"s":"error","errmsg":…}}. */
  public static JsonObject error(String message) {
    return new JsonObject().put("s", "error").put("errmsg", message);
  }

  private static String clip(String s) {
    return s == null ? "" : CommandParser.echo(s);
  }
}
