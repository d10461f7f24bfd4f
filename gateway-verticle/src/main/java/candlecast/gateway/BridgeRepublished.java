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

  /**
   * A registration's {@code headers.since} (issue 19): the open time of the first window the client
   * does not have yet (a whole number of epoch ms, as a number or a string). Windows before it are
   * not sent to this session on {@code address}, so a client that re-registers after a reconnect
   * does not get again what a takeover re-publishes. Without the header nothing changes.
   *
   * @return false when the header is malformed (the registration is refused)
   */
  boolean resume(String address, JsonObject raw) {
    Object since =
        raw != null && raw.getValue("headers") instanceof JsonObject h ? h.getValue("since") : null;
    if (since == null) {
      return true;
    }
    Long t = since(since);
    if (t == null) {
      return false;
    }
    Timeframe tf =
        address != null && address.startsWith(PREFIX)
            ? Timeframe.tryParse(address.substring(address.lastIndexOf('.') + 1))
            : null;
    if (tf != null) {
      ClosedRun run = new ClosedRun(tf);
      run.resumeAt(t);
      runs.put(address, run);
    }
    return true;
  }

  /** A {@code since} header's value: a non-negative whole number, or a string of one; else null. */
  static Long since(Object v) {
    if (v instanceof Integer || v instanceof Long) {
      long t = ((Number) v).longValue();
      return t >= 0 ? t : null;
    }
    if (v instanceof String s
        && !s.isEmpty()
        && s.length() <= 18
        && s.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(s);
    }
    return null;
  }

  /** Forgets an address the session no longer listens to. */
  void unregistered(String address) {
    runs.remove(address);
  }
}
