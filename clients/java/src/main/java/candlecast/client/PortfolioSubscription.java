package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * portfolio(): the owner's valuation messages as sent (docs/PROTOCOL.md, "Valuation");
 * resubscribes. Nothing can be missed: a valuation is the whole state and the server sends the
 * current one first after every subscribe.
 */
final class PortfolioSubscription extends OwnerStreamSubscription<JsonNode> {

  PortfolioSubscription(Connection conn, StreamListener<JsonNode> listener) {
    super(conn, "portfolio", listener);
  }

  @Override
  void onFrame(JsonNode frame) {
    emitUpdate(frame);
  }
}
