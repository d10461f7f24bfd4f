package candlecast.aggregator.alerts;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every alert and its recent fires and webhook deliveries, as read from the {@code alerts}, {@code
 * alerts.fires} and {@code alerts.webhooks} topics (any aggregator instance keeps one; see {@link
 * DirectoryReader}). Pure state, used on one thread (the aggregator's context).
 *
 * <p>The topics are read concurrently, so a fire may arrive before or after its alert's record:
 * fires are kept per alert id independently of the record. A tombstone removes the alert, its fires
 * and its deliveries, and the id is remembered as deleted so a fire read after the tombstone is not
 * kept either; the state after reading every topic to its end does not depend on the interleaving.
 */
public final class AlertDirectory {
  /** Webhook attempts kept per alert. */
  static final int DELIVERY_HISTORY = 1_000;

  private final int fireHistory;
  private final Map<String, JsonObject> alerts = new HashMap<>();
  private final Map<String, Set<String>> idsByOwner = new HashMap<>();
  private final Map<String, ArrayDeque<JsonObject>> firesByAlert = new HashMap<>();
  private final Map<String, TreeMap<FireKey, JsonObject>> firesByOwner = new HashMap<>();
  private final Map<String, ArrayDeque<JsonObject>> deliveriesByAlert = new HashMap<>();
  private final Set<String> deleted = new HashSet<>();

  /** A fire's place in its owner's order: recorded time, then fire id. */
  record FireKey(long recordedAt, String fire) implements Comparable<FireKey> {
    @Override
    public int compareTo(FireKey o) {
      int c = Long.compare(recordedAt, o.recordedAt);
      return c != 0 ? c : fire.compareTo(o.fire);
    }
  }

  /** A fire whose webhook delivery did not finish: {@code attempts} were logged, none final. */
  public record Pending(JsonObject fire, JsonObject alert, int attempts) {}

  /** A page of an owner's fires; {@code more}: fires after the page exist. */
  public record FirePage(List<JsonObject> fires, boolean more) {}

  /**
   * @param fireHistory fires kept per alert (the newest)
   */
  public AlertDirectory(int fireHistory) {
    this.fireHistory = fireHistory;
  }

  /** An {@code alerts} record: the alert's latest state, or (null) its tombstone. */
  public void alert(String id, JsonObject record) {
    JsonObject before = alerts.remove(id);
    if (before != null) {
      removeId(before.getString("owner"), id);
    }
    if (record == null) {
      deleted.add(id);
      dropFires(id);
      deliveriesByAlert.remove(id);
      return;
    }
    deleted.remove(id);
    alerts.put(id, record);
    idsByOwner.computeIfAbsent(record.getString("owner"), o -> new HashSet<>()).add(id);
  }

  /** An {@code alerts.fires} record; a duplicate fire id or a deleted alert's fire is ignored. */
  public void fire(JsonObject fire) {
    String alert = fire.getString("alert");
    String id = fire.getString("fire");
    if (alert == null || id == null || deleted.contains(alert)) {
      return;
    }
    ArrayDeque<JsonObject> kept = firesByAlert.computeIfAbsent(alert, a -> new ArrayDeque<>());
    for (JsonObject f : kept) {
      if (id.equals(f.getString("fire"))) {
        return;
      }
    }
    kept.addLast(fire);
    ownerFires(fire.getString("owner")).put(keyOf(fire), fire);
    if (kept.size() > fireHistory) {
      JsonObject old = kept.removeFirst();
      unindex(old);
    }
  }

  /** An {@code alerts.webhooks} record (one delivery attempt). */
  public void delivery(JsonObject attempt) {
    String alert = attempt.getString("alert");
    if (alert == null || deleted.contains(alert)) {
      return;
    }
    ArrayDeque<JsonObject> kept = deliveriesByAlert.computeIfAbsent(alert, a -> new ArrayDeque<>());
    kept.addLast(attempt);
    if (kept.size() > DELIVERY_HISTORY) {
      kept.removeFirst();
    }
  }

  /** The alert's record when it exists and belongs to {@code owner}, else null. */
  public JsonObject get(String owner, String id) {
    JsonObject r = alerts.get(id);
    return r != null && owner.equals(r.getString("owner")) ? r : null;
  }

  /** The alert's kept fires, oldest first. */
  public List<JsonObject> firesOf(String id) {
    ArrayDeque<JsonObject> kept = firesByAlert.get(id);
    return kept == null ? List.of() : new ArrayList<>(kept);
  }

  /** The alert's kept webhook attempts, in the order recorded. */
  public List<JsonObject> deliveriesOf(String id) {
    ArrayDeque<JsonObject> kept = deliveriesByAlert.get(id);
    return kept == null ? List.of() : new ArrayList<>(kept);
  }

  /** The owner's alerts (raw records), newest first (created time, then id). */
  public List<JsonObject> list(String owner) {
    Set<String> ids = idsByOwner.get(owner);
    List<JsonObject> out = new ArrayList<>();
    if (ids != null) {
      ids.forEach(id -> out.add(alerts.get(id)));
    }
    out.sort(
        Comparator.comparingLong((JsonObject r) -> r.getLong("createdAt", 0L))
            .thenComparing(r -> r.getString("id"))
            .reversed());
    return out;
  }

  /** How many alerts the owner has (any state). */
  public int count(String owner) {
    Set<String> ids = idsByOwner.get(owner);
    return ids == null ? 0 : ids.size();
  }

  /**
   * The owner's kept fires recorded after {@code since} (exclusive), oldest first, at most {@code
   * limit} — extended by the fires recorded at the same millisecond as the last one, so that paging
   * on the last {@code recordedAt} loses none.
   */
  public FirePage fires(String owner, long since, int limit) {
    TreeMap<FireKey, JsonObject> all = firesByOwner.get(owner);
    List<JsonObject> out = new ArrayList<>();
    if (all == null || since == Long.MAX_VALUE) {
      return new FirePage(out, false);
    }
    NavigableMap<FireKey, JsonObject> after = all.tailMap(new FireKey(since + 1, ""), true);
    long last = Long.MIN_VALUE;
    for (Map.Entry<FireKey, JsonObject> e : after.entrySet()) {
      long t = e.getKey().recordedAt();
      if (out.size() >= limit && t != last) {
        return new FirePage(out, true);
      }
      out.add(e.getValue());
      last = t;
    }
    return new FirePage(out, false);
  }

  /**
   * The fires of the partition's alerts with a webhook, recorded in [{@code from}, {@code before}),
   * whose delivery log has no final attempt (an owner died while delivering them).
   */
  public List<Pending> undelivered(int partition, long from, long before) {
    List<Pending> out = new ArrayList<>();
    for (JsonObject r : alerts.values()) {
      String id = r.getString("id");
      ArrayDeque<JsonObject> fires = firesByAlert.get(id);
      if (fires == null
          || r.getString("webhook") == null
          || !Integer.valueOf(partition).equals(r.getInteger("partition"))) {
        continue;
      }
      List<JsonObject> log = deliveriesOf(id);
      for (JsonObject f : fires) {
        long t = f.getLong("recordedAt", 0L);
        if (t >= from && t < before) {
          pending(f, r, log, out);
        }
      }
    }
    return out;
  }

  private static void pending(
      JsonObject fire, JsonObject alert, List<JsonObject> log, List<Pending> out) {
    String id = fire.getString("fire");
    int attempts = 0;
    for (JsonObject a : log) {
      if (id.equals(a.getString("fire"))) {
        if (a.getBoolean("final", false)) {
          return;
        }
        attempts = Math.max(attempts, a.getInteger("attempt", 0));
      }
    }
    out.add(new Pending(fire, alert, attempts));
  }

  private static FireKey keyOf(JsonObject fire) {
    return new FireKey(fire.getLong("recordedAt", 0L), fire.getString("fire"));
  }

  private NavigableMap<FireKey, JsonObject> ownerFires(String owner) {
    return firesByOwner.computeIfAbsent(String.valueOf(owner), o -> new TreeMap<>());
  }

  private void unindex(JsonObject fire) {
    String owner = String.valueOf(fire.getString("owner"));
    TreeMap<FireKey, JsonObject> index = firesByOwner.get(owner);
    if (index != null) {
      index.remove(keyOf(fire));
      if (index.isEmpty()) {
        firesByOwner.remove(owner);
      }
    }
  }

  private void dropFires(String id) {
    ArrayDeque<JsonObject> kept = firesByAlert.remove(id);
    if (kept != null) {
      kept.forEach(this::unindex);
    }
  }

  private void removeId(String owner, String id) {
    Set<String> ids = idsByOwner.get(owner);
    if (ids != null) {
      ids.remove(id);
      if (ids.isEmpty()) {
        idsByOwner.remove(owner);
      }
    }
  }
}
