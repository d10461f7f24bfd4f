package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * alerts(since?): every fire once; resumes with {@code since} = the largest recordedAt delivered,
 * or, before any fire, the server's time of the connection that first acknowledged the subscription
 * minus {@link #MARGIN_MS} (see {@link #resumeSince}).
 */
final class AlertSubscription extends OwnerStreamSubscription<AlertFire> {
  /** Subtracted from the server's connect time: clocks of a cluster's nodes differ a little. */
  static final long MARGIN_MS = 1000;

  private final RecentIds<String> recent = new RecentIds<>(10_000);
  private Long since;
  private Long firstAckServerTime;

  AlertSubscription(Connection conn, Long since, StreamListener<AlertFire> listener) {
    super(conn, "alerts", listener);
    this.since = since;
  }

  /**
   * The {@code since} of a subscribe: the largest recordedAt delivered (or the one asked for);
   * else, once a connection acknowledged the subscription, that connection's server time (its
   * {@code connection} frame's {@code timestamp}) minus the margin, not below 0; else none (the
   * first subscribe: live fires only). Fires are deduplicated by id, so the margin never
   * duplicates.
   *
   * @param since the largest recordedAt seen or asked for, or null
   * @param firstAckServerTime the server time of the connection of the first ack, or null
   * @return the since to send, or null
   */
  static Long resumeSince(Long since, Long firstAckServerTime) {
    if (since != null) {
      return since;
    }
    if (firstAckServerTime == null) {
      return null;
    }
    return Math.max(0L, firstAckServerTime - MARGIN_MS);
  }

  @Override
  void resumeFields(ObjectNode command) {
    Long s = resumeSince(since, firstAckServerTime);
    if (s != null) {
      command.put("since", s);
    }
  }

  @Override
  void onAck(JsonNode ack) {
    super.onAck(ack);
    if (firstAckServerTime == null) {
      firstAckServerTime = conn.serverTimeAtConnect();
    }
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
