package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One OHLCV candle.
 *
 * @param symbol canonical symbol
 * @param tf timeframe label ({@code 1s 1m 5m 15m 1h 4h 1d 1w 1M})
 * @param t open time, epoch ms
 * @param open first price
 * @param high highest price
 * @param low lowest price
 * @param close last price
 * @param volume sum of amounts
 * @param trades number of trades
 * @param closed whether the window is final
 * @param partial whether trades of the window may be missing (a gap)
 * @param src where it came from ({@code trades}, an exchange, an import), null when not said
 */
public record Candle(
    String symbol,
    String tf,
    long t,
    double open,
    double high,
    double low,
    double close,
    double volume,
    long trades,
    boolean closed,
    boolean partial,
    String src) {

  /**
   * The open time in seconds (what Lightweight Charts takes).
   *
   * @return t / 1000
   */
  public long time() {
    return t / 1000;
  }

  /**
   * From a JSON-protocol frame or snapshot element ({@code t open high low close volume trades
   * closed}).
   */
  static Candle fromFrame(String symbol, String tf, JsonNode n) {
    return new Candle(
        symbol,
        tf,
        Json.lng(n, "t"),
        Json.num(n, "open"),
        Json.num(n, "high"),
        Json.num(n, "low"),
        Json.num(n, "close"),
        Json.num(n, "volume"),
        Json.lng(n, "trades"),
        Json.bool(n, "closed"),
        Json.bool(n, "partial"),
        Json.optStr(n, "src"));
  }

  /** From REST's candle JSON ({@code t o h l c v n x}). */
  static Candle fromRest(String symbol, String tf, JsonNode n) {
    JsonNode count = n.get("n");
    return new Candle(
        n.hasNonNull("symbol") ? Json.str(n, "symbol") : symbol,
        n.hasNonNull("tf") ? Json.str(n, "tf") : tf,
        Json.lng(n, "t"),
        Json.num(n, "o"),
        Json.num(n, "h"),
        Json.num(n, "l"),
        Json.num(n, "c"),
        Json.num(n, "v"),
        count == null || !count.isIntegralNumber() ? 0 : count.longValue(),
        Json.bool(n, "x"),
        Json.bool(n, "partial"),
        Json.optStr(n, "src"));
  }
}
