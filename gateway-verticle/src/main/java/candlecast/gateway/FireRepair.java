package candlecast.gateway;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one owner's live alert fires on a gateway node whole (issue 19: a fire published while the
 * node's registration for the owner's address had not reached the recording aggregator was recorded
 * but never delivered). The node's {@link AlertHub} sweeps the owner's fire log now and then; a
 * fire the log holds on two sweeps in a row that never came live is delivered then, and every fire
 * (live or repaired) is delivered once.
 *
 * <p>Pure logic: no clock of its own. Times are the fires' {@code recordedAt} (the recording
 * aggregator's clock) and the sweep window the hub asks for ({@link #since}). Not thread-safe: the
 * hub's home context only.
 */
final class FireRepair {
  /** How far back each sweep asks (ms): the clock skew between nodes it tolerates. */
  static final long LOOKBACK_MS = 120_000;

  /** Fire ids are kept this long after the sweep window moved past them (ms). */
  static final long RETAIN_MS = 300_000;

  private final long joinedAt;

  /** Fire ids delivered (live or repaired), with their recordedAt. */
  private final Map<String, Long> delivered = new HashMap<>();

  /** Fire ids the last sweep found in the log but not delivered: the next sweep repairs them. */
  private Set<String> pending = new HashSet<>();

  private long repaired;

  /**
   * @param joinedAt when the node started listening to the owner (its own clock, ms)
   */
  FireRepair(long joinedAt) {
    this.joinedAt = joinedAt;
  }

  /**
   * A fire that came live: true when it is new (deliver it), false when it was delivered before (a
   * repaired one whose live copy came late, or a re-publication).
   */
  boolean live(JsonObject event) {
    String id = idOf(event);
    if (id == null) {
      return true; // nothing to deduplicate by: delivered as it comes
    }
    pending.remove(id);
    return delivered.putIfAbsent(id, recordedAt(event)) == null;
  }

  /** The {@code since} of the next sweep: the window's start, never before the node listened. */
  long since(long now) {
    return Math.max(joinedAt, now - LOOKBACK_MS);
  }

  /**
   * One sweep's fires (the log's, recorded after {@link #since}, oldest first): returns those to
   * deliver now, the ones the previous sweep had found already and that never came live.
   */
  List<JsonObject> sweep(List<JsonObject> logged, long now) {
    List<JsonObject> out = new ArrayList<>();
    Set<String> next = new HashSet<>();
    for (JsonObject f : logged) {
      String id = idOf(f);
      if (id == null || delivered.containsKey(id)) {
        continue;
      }
      if (pending.contains(id)) {
        delivered.put(id, recordedAt(f));
        out.add(f);
        repaired++;
      } else {
        next.add(id);
      }
    }
    pending = next;
    prune(since(now) - RETAIN_MS);
    return out;
  }

  /** Fires delivered by a sweep rather than live. */
  long repaired() {
    return repaired;
  }

  int remembered() {
    return delivered.size();
  }

  private void prune(long floor) {
    delivered.values().removeIf(recordedAt -> recordedAt < floor);
  }

  private static String idOf(JsonObject f) {
    return f.getValue("fire") instanceof String s && !s.isEmpty() ? s : null;
  }

  private static long recordedAt(JsonObject f) {
    return f.getValue("recordedAt") instanceof Number n ? n.longValue() : Long.MIN_VALUE;
  }
}
