package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One trade of a symbol's tape.
 *
 * @param symbol canonical symbol
 * @param id the exchange's trade id
 * @param t trade time, epoch ms
 * @param price price ({@code p} on the wire)
 * @param amount amount ({@code q} on the wire)
 * @param side the taker's side, {@code buy} or {@code sell}
 */
public record Trade(String symbol, long id, long t, double price, double amount, String side) {

  static Trade fromWire(String symbol, JsonNode n) {
    return new Trade(
        symbol,
        Json.lng(n, "id"),
        Json.lng(n, "t"),
        Json.num(n, "p"),
        Json.num(n, "q"),
        Json.str(n, "side"));
  }
}
