package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stream of the connection's owner (alerts, portfolio): no symbol, no snapshot frame, routed by
 * its channel; subclasses add resume fields and handle the items.
 *
 * @param <T> the item model
 */
abstract class OwnerStreamSubscription<T> extends Subscription<T> {

  OwnerStreamSubscription(Connection conn, String channel, StreamListener<T> listener) {
    super(conn, channel, null, null, listener);
  }

  /** Adds the resume fields (e.g. {@code since}) to a subscribe command; none by default. */
  void resumeFields(ObjectNode command) {}

  @Override
  final ObjectNode subscribeCommand() {
    ObjectNode c = Json.object().put("type", "subscribe").put("channel", channel);
    resumeFields(c);
    return c;
  }

  @Override
  final ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("channel", channel);
  }

  @Override
  final String routeKey() {
    return channel;
  }

  @Override
  final boolean expectsSnapshot() {
    return false;
  }

  @Override
  final void onSnapshot(JsonNode frame) {
    onFrame(frame);
  }
}
