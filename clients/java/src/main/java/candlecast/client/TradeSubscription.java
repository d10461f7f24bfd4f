package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * trades(symbol): snapshot, then every trade once, in order; resumes with {@code since} = the last
 * trade id delivered; a {@code gap} marker resubscribes at once from the marker's {@code since}.
 */
final class TradeSubscription extends Subscription<Trade> {
  private final int batch;
  private final RecentIds<Long> recent = new RecentIds<>(10_000);
  private Long lastId;

  TradeSubscription(Connection conn, String symbol, int batch, StreamListener<Trade> listener) {
    super(conn, "trades", symbol, null, listener);
    this.batch = batch;
  }

  @Override
  ObjectNode subscribeCommand() {
    ObjectNode c =
        Json.object().put("type", "subscribe").put("channel", "trades").put("symbol", symbol);
    if (batch > 0) {
      c.put("batch", batch);
    }
    if (lastId != null) {
      c.put("since", lastId);
    }
    return c;
  }

  @Override
  ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("channel", "trades").put("symbol", symbol);
  }

  @Override
  String routeKey() {
    return "trades|" + symbol;
  }

  @Override
  boolean expectsSnapshot() {
    return true;
  }

  @Override
  void onSnapshot(JsonNode frame) {
    List<Trade> trades = parse(frame);
    JsonNode rec = frame.get("recovered");
    Boolean recovered = (rec == null || !rec.isBoolean()) ? null : rec.booleanValue();
    if (Boolean.TRUE.equals(recovered)) {
      for (Trade t : trades) {
        deliver(t);
      }
      restored();
      return;
    }
    recent.clear();
    for (Trade t : trades) {
      recent.add(t.id());
      lastId = t.id();
    }
    emitSnapshot(recovered, trades);
    restored();
  }

  @Override
  void onFrame(JsonNode frame) {
    if ("gap".equals(Json.optStr(frame, "type"))) {
      JsonNode since = frame.get("since");
      if (since != null && since.isIntegralNumber()) {
        lastId = since.longValue();
      }
      countGap();
      resync();
      return;
    }
    for (Trade t : parse(frame)) {
      deliver(t);
    }
  }

  private void deliver(Trade t) {
    if (recent.add(t.id())) {
      lastId = t.id();
      emitUpdate(t);
    }
  }

  private List<Trade> parse(JsonNode frame) {
    JsonNode arr = Json.req(frame, "trades");
    List<Trade> out = new ArrayList<>(arr.size());
    for (JsonNode n : arr) {
      out.add(Trade.fromWire(symbol, n));
    }
    return out;
  }
}
