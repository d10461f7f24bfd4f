package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole order book at the subscribed depth (never a diff).
 *
 * @param symbol canonical symbol
 * @param depth levels per side subscribed
 * @param seq strictly increasing per symbol
 * @param time the instant the book is as of, epoch ms
 * @param bids highest price first
 * @param asks lowest price first
 */
public record Book(
    String symbol, int depth, long seq, long time, List<Level> bids, List<Level> asks) {

  /**
   * One price level.
   *
   * @param price the price
   * @param amount the amount at that price
   */
  public record Level(double price, double amount) {}

  static Book fromWire(JsonNode n) {
    return new Book(
        Json.str(n, "symbol"),
        (int) Json.lng(n, "depth"),
        Json.lng(n, "seq"),
        Json.lng(n, "time"),
        levels(Json.req(n, "bids")),
        levels(Json.req(n, "asks")));
  }

  private static List<Level> levels(JsonNode arr) {
    if (!arr.isArray()) {
      throw Json.bad("book side is not an array: " + Json.abbreviate(arr.toString()), null);
    }
    List<Level> out = new ArrayList<>(arr.size());
    for (JsonNode l : arr) {
      if (!l.isArray() || l.size() < 2 || !l.get(0).isNumber() || !l.get(1).isNumber()) {
        throw Json.bad("book level is not [price, amount]: " + l, null);
      }
      out.add(new Level(l.get(0).doubleValue(), l.get(1).doubleValue()));
    }
    return List.copyOf(out);
  }
}
