package candlecast.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shapes of a {@code /api/candles} answer beyond the plain array: the cursor of the next page,
 * the metadata body ({@code meta=true}) and the CSV download ({@code format=csv}). Pure.
 *
 * <p>Paging goes back in time, as the history request does ({@code limit} keeps the newest candles
 * of the range): a full page whose oldest candle is still after the start of the range (and after
 * the oldest candle held) has a next page, the same query with {@code to} just before that oldest
 * candle. So consecutive pages neither overlap nor leave a gap, whatever the candles' spacing.
 */
public final class CandlePages {
  /** The query parameters a cursor carries (and which a request with a cursor must not repeat). */
  public static final List<String> CURSOR_PARAMS =
      List.of("symbol", "tf", "period", "from", "to", "limit", "local_only");

  private static final String CSV_HEADER = "time,open,high,low,close,volume,trades";

  private CandlePages() {}

  /**
   * The cursor of the page after this one, or null when this page reaches the start of the range.
   *
   * @param request the history request of this page ({symbol, tf, limit, from?, to?, localOnly?})
   * @param candles this page, oldest first
   * @param oldest the open time of the oldest candle held (the reply's {@code oldest}), or null
   */
  public static String next(JsonObject request, JsonArray candles, Long oldest) {
    int limit = request.getInteger("limit");
    if (candles.size() < limit || candles.isEmpty()) {
      return null;
    }
    long first = candles.getJsonObject(0).getLong("t");
    Long from = request.getLong("from");
    if ((from != null && first <= from) || (oldest != null && first <= oldest)) {
      return null;
    }
    JsonObject c =
        new JsonObject()
            .put("symbol", request.getString("symbol"))
            .put("tf", request.getString("tf"))
            .put("limit", limit)
            .put("to", first - 1);
    if (from != null) {
      c.put("from", from);
    }
    if (request.getValue("localOnly") != null) {
      c.put("local_only", request.getBoolean("localOnly"));
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(c.encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The query parameters a cursor stands for.
   *
   * @throws HistoryParams.Rejected when the token is not a cursor of ours
   */
  public static Map<String, String> decode(String cursor) {
    JsonObject c;
    try {
      byte[] raw = Base64.getUrlDecoder().decode(cursor.trim());
      c = new JsonObject(new String(raw, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new HistoryParams.Rejected(
          "invalid cursor '"
              + CommandParser.echo(cursor)
              + "': pass the 'next' of a previous answer");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : CURSOR_PARAMS) {
      Object v = c.getValue(name);
      if (v != null) {
        params.put(name, String.valueOf(v));
      }
    }
    if (!params.containsKey("symbol") || !params.containsKey("to")) {
      throw new HistoryParams.Rejected(
          "invalid cursor '"
              + CommandParser.echo(cursor)
              + "': pass the 'next' of a previous answer");
    }
    return params;
  }

  /**
   * The {@code meta=true} body: {"rows","start","end","src","candles","next"?}; {@code start} and
   * {@code end} are the ISO-8601 open times of the first and last candle (null when none).
   */
  public static JsonObject meta(JsonArray candles, String next) {
    JsonObject m =
        new JsonObject()
            .put("rows", candles.size())
            .put("start", candles.isEmpty() ? null : IsoTime.format(time(candles, 0)))
            .put(
                "end", candles.isEmpty() ? null : IsoTime.format(time(candles, candles.size() - 1)))
            .put("src", new JsonArray(List.copyOf(sources(candles))))
            .put("candles", candles);
    if (next != null) {
      m.put("next", next);
    }
    return m;
  }

  /**
   * The origins present, in order of first appearance; a candle without {@code src} is "trades".
   */
  public static Set<String> sources(JsonArray candles) {
    Set<String> src = new LinkedHashSet<>();
    for (int i = 0; i < candles.size(); i++) {
      src.add(source(candles.getJsonObject(i)));
    }
    return src;
  }

  /**
   * The CSV download: header {@code time,open,high,low,close,volume,trades} (plus {@code src} when
   * any candle is not from trades), one line per candle, {@code time} the ISO-8601 open time;
   * {@code trades} is empty for a candle that has no trade count.
   */
  public static String csv(JsonArray candles) {
    Set<String> src = sources(candles);
    boolean withSrc = !src.isEmpty() && !(src.size() == 1 && src.contains("trades"));
    StringBuilder sb = new StringBuilder(64 + candles.size() * 80);
    sb.append(CSV_HEADER).append(withSrc ? ",src\n" : "\n");
    for (int i = 0; i < candles.size(); i++) {
      JsonObject c = candles.getJsonObject(i);
      IsoTime.append(sb, c.getLong("t"));
      for (String f : new String[] {"o", "h", "l", "c", "v"}) {
        sb.append(',');
        number(sb, c.getValue(f));
      }
      sb.append(',');
      Object n = c.getValue("n");
      if (n != null && !(!source(c).equals("trades") && ((Number) n).longValue() == 0)) {
        number(sb, n);
      }
      if (withSrc) {
        sb.append(',').append(source(c));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code <SYMBOL>_<tf>.csv}. */
  public static String fileName(JsonObject request) {
    return request.getString("symbol") + "_" + request.getString("tf") + ".csv";
  }

  private static String source(JsonObject candle) {
    Object s = candle.getValue("src");
    return s instanceof String str ? str : "trades";
  }

  private static long time(JsonArray candles, int i) {
    return candles.getJsonObject(i).getLong("t");
  }

  private static void number(StringBuilder sb, Object v) {
    if (v instanceof Double || v instanceof Float) {
      sb.append(
          BigDecimal.valueOf(((Number) v).doubleValue()).stripTrailingZeros().toPlainString());
    } else if (v != null) {
      sb.append(v);
    }
  }
}
