package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * portfolio(): the owner's valuation messages as sent (docs/PROTOCOL.md, "Valuation");
 * resubscribes.
 */
final class PortfolioSubscription extends Subscription<JsonNode> {

  PortfolioSubscription(Connection conn, StreamListener<JsonNode> listener) {
    super(conn, "portfolio", null, null, listener);
  }

  @Override
  ObjectNode subscribeCommand() {
    return Json.object().put("type", "subscribe").put("channel", "portfolio");
  }

  @Override
  ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("channel", "portfolio");
  }

  @Override
  String routeKey() {
    return "portfolio";
  }

  @Override
  boolean expectsSnapshot() {
    return false;
  }

  @Override
  void onSnapshot(JsonNode frame) {
    onFrame(frame);
  }

  @Override
  void onFrame(JsonNode frame) {
    emitUpdate(frame);
  }
}
