package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * alerts(since?): every fire once; resumes with {@code since} = the largest recordedAt delivered.
 */
final class AlertSubscription extends Subscription<AlertFire> {
  private final RecentIds<String> recent = new RecentIds<>(10_000);
  private Long since;

  AlertSubscription(Connection conn, Long since, StreamListener<AlertFire> listener) {
    super(conn, "alerts", null, null, listener);
    this.since = since;
  }

  @Override
  ObjectNode subscribeCommand() {
    ObjectNode c = Json.object().put("type", "subscribe").put("channel", "alerts");
    if (since != null) {
      c.put("since", since);
    }
    return c;
  }

  @Override
  ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("channel", "alerts");
  }

  @Override
  String routeKey() {
    return "alerts";
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
    AlertFire f = AlertFire.fromWire(frame);
    if (!recent.add(f.fire())) {
      return;
    }
    if (since == null || f.recordedAt() > since) {
      since = f.recordedAt();
    }
    emitUpdate(f);
  }
}
