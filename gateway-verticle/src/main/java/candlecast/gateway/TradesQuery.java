package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * Validation of {@code GET /api/trades?symbol=BTCUSD&limit=N[&from=ms|&since=id]} into the body of
 * a {@code candlecast.trades} request, and the answer's encoding. Pure.
 */
public final class TradesQuery {
  private TradesQuery() {}

  public sealed interface Result permits Ok, Bad {}

  /**
   * A valid query; {@code request} is the body for {@code candlecast.trades}: {symbol, limit, from?
   * | since?}.
   */
  public record Ok(JsonObject request) implements Result {}

  /** A rejected query; {@code error} says why (the 400 body's {@code error}). */
  public record Bad(String error) implements Result {}

  /**
   * Validates the query parameters of {@code GET /api/trades}.
   *
   * @param param the first value of a query parameter, or null when absent
   * @param defaultLimit {@code limit} when absent
   * @param maxLimit largest accepted {@code limit}
   */
  public static Result parse(Function<String, String> param, int defaultLimit, int maxLimit) {
    String raw = param.apply("symbol");
    if (raw == null || raw.isBlank()) {
      return new Bad("missing query parameter 'symbol', e.g. /api/trades?symbol=BTCUSD&limit=100");
    }
    String symbol = Symbols.normalize(raw);
    if (symbol == null) {
      return new Bad(
          "invalid symbol '"
              + CommandParser.echo(raw)
              + "': expected 2 to 20 letters or digits "
              + "(BTCUSD or BTC-USD)");
    }
    JsonObject req = new JsonObject().put("symbol", symbol);
    String limit = param.apply("limit");
    Long l = limit == null ? Long.valueOf(Math.min(defaultLimit, maxLimit)) : whole(limit);
    if (l == null || l < 1 || l > maxLimit) {
      return new Bad(
          "limit must be a whole number between 1 and "
              + maxLimit
              + ", was '"
              + CommandParser.echo(String.valueOf(limit))
              + "'");
    }
    req.put("limit", l.intValue());
    String from = param.apply("from");
    String since = param.apply("since");
    if (from != null && since != null) {
      return new Bad("from (a time) and since (a trade id) exclude each other");
    }
    if (from != null) {
      Long f = whole(from);
      if (f == null || f < 0) {
        return new Bad(
            "from must be epoch milliseconds (a whole number >= 0), was '"
                + CommandParser.echo(from)
                + "'");
      }
      req.put("from", f);
    }
    if (since != null) {
      Long s = whole(since);
      if (s == null || s < 0) {
        return new Bad(
            "since must be a trade id (a whole number >= 0), was '"
                + CommandParser.echo(since)
                + "'");
      }
      req.put("since", s);
    }
    return new Ok(req);
  }

  private static Long whole(String raw) {
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The 200 body: the reply's trades as {@code [{"id","t","p","q","side"},…]}, oldest first.
   *
   * @throws candlecast.common.DecodeException when the reply is malformed
   */
  public static Buffer answer(Object replyBody) {
    if (!(replyBody instanceof JsonObject reply)) {
      throw new candlecast.common.DecodeException("trades reply is not a JSON object");
    }
    List<TapeTrade> trades = TapeCodec.trades(reply);
    return Buffer.buffer(
        TradeBatch.appendArray(new StringBuilder(2 + 80 * trades.size()), trades, 0, trades.size())
            .toString());
  }
}
