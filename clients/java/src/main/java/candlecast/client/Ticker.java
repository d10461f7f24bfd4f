package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A symbol's 24 h ticker.
 *
 * @param symbol canonical symbol
 * @param last newest close
 * @param open24h open of the oldest of the 1,440 minutes
 * @param change last − open24h (rounded to the price precision)
 * @param changePct change / open24h × 100
 * @param high highest price
 * @param low lowest price
 * @param volume summed volume
 * @param trades summed trade count
 * @param time end of the newest window, epoch ms
 * @param bid best bid, null without a book
 * @param ask best ask, null without a book
 * @param spread ask − bid, null without a book
 */
public record Ticker(
    String symbol,
    double last,
    double open24h,
    double change,
    double changePct,
    double high,
    double low,
    double volume,
    long trades,
    long time,
    Double bid,
    Double ask,
    Double spread) {

  static Ticker fromWire(JsonNode n) {
    return new Ticker(
        Json.str(n, "symbol"),
        Json.num(n, "last"),
        Json.num(n, "open24h"),
        Json.num(n, "change"),
        Json.num(n, "changePct"),
        Json.num(n, "high"),
        Json.num(n, "low"),
        Json.num(n, "volume"),
        Json.lng(n, "trades"),
        Json.lng(n, "time"),
        Json.optNum(n, "bid"),
        Json.optNum(n, "ask"),
        Json.optNum(n, "spread"));
  }
}
