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
      case "trades", "gap" -> "trades|" + symbol;
      case "ticker" -> "ticker|" + symbol;
      case "book" -> "book|" + symbol;
      case "indicator", "patterns", "risk" ->
          "analysis|" + symbol + "|" + f.path("tf").asText() + "|" + f.path("key").asText();
      case "alert" -> "alerts";
      case "portfolio" -> "portfolio";
      default -> null;
    };
  }
}
