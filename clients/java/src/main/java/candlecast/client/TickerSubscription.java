package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ticker(symbol): the current ticker, then its changes; after a resume the current one unless
 * unchanged.
 */
final class TickerSubscription extends Subscription<Ticker> {
  private Ticker last;

  TickerSubscription(Connection conn, String symbol, StreamListener<Ticker> listener) {
    super(conn, "ticker", symbol, null, listener);
  }

  @Override
  ObjectNode subscribeCommand() {
    return Json.object().put("type", "subscribe").put("channel", "ticker").put("symbol", symbol);
  }

  @Override
  ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("channel", "ticker").put("symbol", symbol);
  }

  @Override
  String routeKey() {
    return "ticker|" + symbol;
  }

  @Override
  boolean expectsSnapshot() {
    return false;
  }

  @Override
  boolean transientError(String code) {
    return false;
  }

  @Override
  boolean softError(String code) {
    return "ticker_unavailable".equals(code);
  }

  @Override
  void onSnapshot(JsonNode frame) {
    onFrame(frame);
  }

  @Override
  void onFrame(JsonNode frame) {
    Ticker t = Ticker.fromWire(frame);
    if (!t.equals(last)) {
      last = t;
      emitUpdate(t);
    }
  }
}
