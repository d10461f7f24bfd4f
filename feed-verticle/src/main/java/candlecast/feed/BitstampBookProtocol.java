package candlecast.feed;

import candlecast.common.Book;
import candlecast.common.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bitstamp's order book channels and REST snapshot, as pure functions (WebSocket API v2):
 *
 * <ul>
 *   <li>{@code diff_order_book_<pair>} ("live full order book"): event {@code data}, {@code data} =
 *       {@code
 *       {"timestamp":"<s>","microtimestamp":"<µs>","bids":[["<price>","<amount>"],...],"asks":[...]}},
 *       the levels that changed since the previous message; amount 0 removes the level;
 *   <li>{@code order_book_<pair>} ("live order book"): the same shape with the best 100 levels of
 *       each side;
 *   <li>{@code GET /api/v2/order_book/<pair>/}: the whole book, same shape (levels grouped by
 *       price).
 * </ul>
 *
 * Prices and amounts are decimal strings (numbers are accepted too); time is the microtimestamp.
 */
final class BitstampBookProtocol {
  static final String DIFF_PREFIX = "diff_order_book_";
  static final String TOP_PREFIX = "order_book_";

  private BitstampBookProtocol() {}

  static String diffChannel(String symbol) {
    return DIFF_PREFIX + BitstampProtocol.pair(symbol);
  }

  static String topChannel(String symbol) {
    return TOP_PREFIX + BitstampProtocol.pair(symbol);
  }

  /** One frame of the book connection. */
  sealed interface Message {}

  /** Levels of a subscribed book channel: a diff ({@code top} false) or a top-of-book snapshot. */
  record Data(String symbol, boolean top, BookSync.Levels levels) implements Message {}

  /** A data event that cannot be used (unknown channel, bad levels, no time). */
  record Bad(String channel, String reason) implements Message {}

  /**
   * Anything else: subscription acks, heartbeat replies, errors, reconnect requests (the trade
   * protocol's types).
   */
  record Control(BitstampProtocol.Message message) implements Message {}

  /** Parses a text frame; {@code symbols} maps both book channels of every symbol to the symbol. */
  static Message parse(String text, Map<String, String> symbols) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return new Control(
          new BitstampProtocol.Malformed("malformed JSON: " + e.getOriginalMessage()));
    }
    if (n == null || !n.isObject() || !"data".equals(n.path("event").asText(null))) {
      return new Control(BitstampProtocol.parse(text, Map.of()));
    }
    String channel = n.path("channel").asText("");
    String symbol = symbols.get(channel);
    if (symbol == null) {
      return new Bad(channel, "data on unknown channel '" + channel + "'");
    }
    try {
      return new Data(symbol, !channel.startsWith(DIFF_PREFIX), levels(n.get("data")));
    } catch (IllegalArgumentException e) {
      return new Bad(channel, e.getMessage());
    }
  }

  /**
   * The body of {@code /api/v2/order_book/<pair>/}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static BookSync.Levels parseSnapshot(String body) {
    try {
      return levels(Json.MAPPER.readTree(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static BookSync.Levels levels(JsonNode d) {
    if (d == null || !d.isObject()) {
      throw new IllegalArgumentException("no data object");
    }
    JsonNode micro = d.get("microtimestamp");
    long us;
    if (micro != null && (micro.isIntegralNumber() || micro.isTextual())) {
      us = parseLong(micro.asText(), "microtimestamp");
    } else if (d.hasNonNull("timestamp")) {
      us = Math.multiplyExact(parseLong(d.get("timestamp").asText(), "timestamp"), 1_000_000L);
    } else {
      throw new IllegalArgumentException("no microtimestamp");
    }
    return new BookSync.Levels(us, side(d, "bids"), side(d, "asks"));
  }

  private static List<Book.Level> side(JsonNode d, String name) {
    JsonNode arr = d.get(name);
    if (arr == null || !arr.isArray()) {
      throw new IllegalArgumentException("'" + name + "' is not an array");
    }
    List<Book.Level> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode l = arr.get(i);
      if (!l.isArray() || l.size() < 2) {
        throw new IllegalArgumentException(name + "[" + i + "] is not [price, amount]");
      }
      double price = decimal(l.get(0), name, i);
      double amount = decimal(l.get(1), name, i);
      if (!(price > 0) || !(amount >= 0) || Double.isInfinite(price) || Double.isInfinite(amount)) {
        throw new IllegalArgumentException(
            name + "[" + i + "] has price " + price + " and amount " + amount);
      }
      out.add(new Book.Level(price, amount));
    }
    return out;
  }

  private static double decimal(JsonNode v, String name, int i) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.textValue().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name + "[" + i + "] has a malformed number '" + v.textValue() + "'");
      }
    }
    throw new IllegalArgumentException(name + "[" + i + "] has a malformed number " + v);
  }

  private static long parseLong(String s, String field) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed " + field + " '" + s + "'");
    }
  }
}
