package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * indicator / patterns / risk: snapshot of points, then points. The protocol has no {@code since}
 * for them: a resume subscribes again and delivers only the points after the last closed one
 * delivered; when the new snapshot starts after it, the gap cannot be closed and a {@code recovered
 * == FALSE} snapshot is delivered.
 */
final class IndicatorSubscription extends Subscription<IndicatorPoint> {
  private final String name;
  private final ObjectNode params;
  private final int limit;
  private String key;
  private Long lastClosed;
  private IndicatorPoint lastOpen;

  IndicatorSubscription(
      Connection conn,
      String channel,
      String symbol,
      String tf,
      String name,
      Map<String, ?> params,
      int limit,
      StreamListener<IndicatorPoint> listener) {
    super(conn, channel, symbol, tf, listener);
    this.name = name;
    this.params = Json.MAPPER.valueToTree(params == null ? Map.of() : params);
    this.limit = limit;
  }

  @Override
  ObjectNode subscribeCommand() {
    ObjectNode c =
        Json.object().put("type", "subscribe").put("channel", channel).put("symbol", symbol);
    c.put("tf", tf);
    if ("indicator".equals(channel)) {
      c.put("name", name);
    }
    c.set("params", params);
    if (limit > 0) {
      c.put("limit", limit);
    }
    return c;
  }

  @Override
  ObjectNode unsubscribeCommand() {
    ObjectNode c =
        Json.object().put("type", "unsubscribe").put("channel", channel).put("symbol", symbol);
    return c.put("tf", tf).put("key", key);
  }

  @Override
  void onAck(JsonNode ack) {
    super.onAck(ack);
    key = Json.str(ack, "key");
  }

  @Override
  String routeKey() {
    return "analysis|" + symbol + "|" + tf + "|" + key;
  }

  @Override
  boolean expectsSnapshot() {
    return true;
  }

  @Override
  void onSnapshot(JsonNode frame) {
    JsonNode arr = Json.req(frame, "points");
    List<IndicatorPoint> points = new ArrayList<>(arr.size());
    for (JsonNode n : arr) {
      points.add(IndicatorPoint.fromWire(symbol, tf, key, n));
    }
    boolean resume = delivered;
    if (resume && lastClosed != null && (points.isEmpty() || points.get(0).t() <= lastClosed)) {
      for (IndicatorPoint p : points) {
        deliver(p);
      }
      restored();
      return;
    }
    lastClosed = null;
    lastOpen = null;
    for (IndicatorPoint p : points) {
      track(p);
    }
    emitSnapshot(resume ? Boolean.FALSE : null, points);
    restored();
  }

  @Override
  void onFrame(JsonNode frame) {
    if ("patterns".equals(channel)) {
      // one frame per window: its detections
      JsonNode arr = Json.req(frame, "patterns");
      for (JsonNode d : arr) {
        ObjectNode p = d.deepCopy();
        if (!p.has("t")) {
          p.set("t", frame.get("t"));
        }
        if (!p.has("closed")) {
          p.put("closed", true);
        }
        deliver(IndicatorPoint.fromWire(symbol, tf, key, p));
      }
      return;
    }
    deliver(IndicatorPoint.fromWire(symbol, tf, key, frame));
  }

  private void deliver(IndicatorPoint p) {
    if (lastClosed != null && p.t() <= lastClosed && !"patterns".equals(channel)) {
      return;
    }
    if (!p.closed()
        && lastOpen != null
        && lastOpen.t() == p.t()
        && lastOpen.values().equals(p.values())) {
      return;
    }
    track(p);
    emitUpdate(p);
  }

  private void track(IndicatorPoint p) {
    if (p.closed()) {
      if (lastClosed == null || p.t() > lastClosed) {
        lastClosed = p.t();
      }
    } else {
      lastOpen = p;
    }
  }
}
