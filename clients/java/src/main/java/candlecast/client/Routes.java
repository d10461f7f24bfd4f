package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subscription key a live frame belongs to (the same keys as {@link Subscription#routeKey()}).
 */
final class Routes {
  private Routes() {}

  static String of(String type, JsonNode f) {
    String symbol = f.path("symbol").asText(null);
    return switch (type) {
      case "candle" -> "candle|" + symbol + "|" + f.path("tf").asText();
      case "trades" -> "trades|" + symbol;
      case "gap" -> gap(f, symbol);
      case "ticker" -> "ticker|" + symbol;
      case "book" -> "book|" + symbol;
      case "indicator", "patterns", "risk" ->
          "analysis|" + symbol + "|" + f.path("tf").asText() + "|" + f.path("key").asText();
      case "alert" -> "alerts";
      case "portfolio" -> "portfolio";
      default -> null;
    };
  }

  /**
   * A {@code gap} notice goes by its {@code channel}: {@code candles} to that series (a malformed
   * one is a bad_response), {@code trades} or none (older servers) to the trade tape, any other
   * channel nowhere.
   */
  private static String gap(JsonNode f, String symbol) {
    JsonNode channel = f.get("channel");
    if (channel == null || channel.isNull()) {
      return "trades|" + symbol;
    }
    return switch (Json.str(f, "channel")) {
      case "trades" -> "trades|" + symbol;
      case "candles" -> {
        CandleGap g = CandleGap.fromWire(f);
        yield "candle|" + g.symbol() + "|" + g.tf();
      }
      default -> null;
    };
  }
}
