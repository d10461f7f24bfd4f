package candlecast.gateway;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * One SockJS bridge session's candle series as delivered to it: the bridge registers the browser's
 * own consumer on the bus, so the hub's per-series repair ({@link SeriesRepair}) cannot see its
 * stream; this drops, for that session alone, a candle re-published at or before the newest closed
 * window it was sent (an aggregator taking over re-publishes what it restored). A hole cannot be
 * filled from here (the bridge has no way to inject a message): the client asks history. One {@link
 * ClosedRun} per {@code candles.*} address of the session. Not thread-safe: the bridge's context.
 */
final class BridgeRepublished {
  private static final String PREFIX = "candles.";
  private final Map<String, ClosedRun> runs = new HashMap<>(4);

  /** Whether the outbound bridge message {@code raw} ({@code address}, {@code body}) goes out. */
  boolean pass(JsonObject raw) {
    String address = raw == null ? null : raw.getString("address");
    if (address == null
        || !address.startsWith(PREFIX)
        || !(raw.getValue("body") instanceof JsonObject body)
        || !(body.getValue("t") instanceof Number t)) {
      return true;
    }
    ClosedRun run = runs.get(address);
    if (run == null) {
      Timeframe tf = Timeframe.tryParse(address.substring(address.lastIndexOf('.') + 1));
      if (tf == null) {
        return true;
      }
      run = new ClosedRun(tf);
      runs.put(address, run);
    }
    boolean closed = Boolean.TRUE.equals(body.getValue("x"));
    boolean partial = Boolean.TRUE.equals(body.getValue("partial"));
    return run.check(t.longValue(), closed, partial) != ClosedRun.Verdict.DROP;
  }

  /** Forgets an address the session no longer listens to. */
  void unregistered(String address) {
    runs.remove(address);
  }
}
