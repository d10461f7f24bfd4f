package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * candles(symbol, tf): snapshot, then candles; resumes with {@code since} (see {@link CandleSeam});
 * a {@code gap} notice resubscribes at once from the notice's {@code from}.
 */
final class CandleSubscription extends Subscription<Candle> {
  private final int throttleMs;
  private final CandleSeam seam;

  CandleSubscription(
      Connection conn, String symbol, String tf, int throttleMs, StreamListener<Candle> listener) {
    super(conn, "candles", symbol, tf, listener);
    this.throttleMs = throttleMs;
    this.seam = new CandleSeam(tf);
  }

  @Override
  ObjectNode subscribeCommand() {
    ObjectNode c = Json.object().put("type", "subscribe").put("symbol", symbol).put("tf", tf);
    if (throttleMs > 0) {
      c.put("throttleMs", throttleMs);
    }
    Long since = seam.since();
    if (since != null) {
      c.put("since", since);
    }
    return c;
  }

  @Override
  ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("symbol", symbol).put("tf", tf);
  }

  @Override
  String routeKey() {
    return "candle|" + symbol + "|" + tf;
  }

  @Override
  boolean expectsSnapshot() {
    return true;
  }

  @Override
  void onSnapshot(JsonNode frame) {
    JsonNode arr = Json.req(frame, "candles");
    seam.resumed();
    List<Candle> candles = new ArrayList<>(arr.size());
    for (JsonNode n : arr) {
      candles.add(Candle.fromFrame(symbol, tf, n));
    }
    JsonNode rec = frame.get("recovered");
    Boolean recovered = (rec == null || !rec.isBoolean()) ? null : rec.booleanValue();
    if (Boolean.TRUE.equals(recovered)) {
      for (Candle c : candles) {
        deliver(c, false);
      }
      restored();
      return;
    }
    seam.reset();
    for (Candle c : candles) {
      seam.delivered(c, true);
    }
    emitSnapshot(recovered, candles);
    restored();
  }

  @Override
  void onFrame(JsonNode frame) {
    if ("gap".equals(Json.optStr(frame, "type"))) {
      // windows from..to will not come live: the snapshot of a resume from `from` carries them, the
      // seam drops what was delivered already
      seam.gap(CandleGap.fromWire(frame).from());
      countGap();
      resync();
      return;
    }
    deliver(Candle.fromFrame(symbol, tf, frame), true);
  }

  private void deliver(Candle c, boolean live) {
    if (!seam.accept(c)) {
      return;
    }
    if (live && seam.skips(c)) {
      // a live stream that jumped over windows (a node catching up after a restart): fill them from
      // history
      resync();
      return;
    }
    seam.delivered(c, false);
    emitUpdate(c);
  }
}
