package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A candles {@code gap} notice (docs/PROTOCOL.md): the closed windows of {@code symbol}/{@code tf}
 * with open time {@code from} &le; t &lt; {@code to} will not come on the subscription.
 *
 * @param symbol the symbol
 * @param tf the timeframe
 * @param from the open time of the first missing window (epoch ms)
 * @param to the end of the hole, exclusive (epoch ms)
 */
record CandleGap(String symbol, String tf, long from, long to) {

  /**
   * Reads a notice; a malformed one (missing symbol or tf, non-integer from/to, from &ge; to) is a
   * bad_response.
   */
  static CandleGap fromWire(JsonNode f) {
    String symbol = Json.str(f, "symbol");
    String tf = Json.str(f, "tf");
    long from = Json.lng(f, "from");
    long to = Json.lng(f, "to");
    if (from >= to) {
      throw Json.bad("a candles gap with from >= to in " + Json.abbreviate(f.toString()), null);
    }
    return new CandleGap(symbol, tf, from, to);
  }
}
