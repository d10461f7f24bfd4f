package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The newest points of one analysis series as this gateway node knows them (the owner's snapshot,
 * then every live update applied), and the seam rule that joins the two. Pure; not thread-safe.
 *
 * <p>Seam: an update whose {@code t} is at or before the newest closed point already held is
 * dropped (the snapshot, or an earlier update, already shows it final); an update of an open window
 * replaces the held provisional point of that window (in time order: an older window in its grace
 * period may still be open behind a newer one); a newer one is appended. For the pattern set a
 * point is a detection and an update carries a list of them ({@code patterns}), all closed.
 */
final class AnalysisPoints {
  private final boolean patterns;
  private final ArrayDeque<JsonObject> points = new ArrayDeque<>();
  private int capacity;

  /** Newest {@code t} of a closed point seen (snapshot or update); MIN_VALUE: none. */
  private long closedUpTo = Long.MIN_VALUE;

  AnalysisPoints(boolean patterns, int capacity) {
    this.patterns = patterns;
    this.capacity = capacity;
  }

  /** Points held at most (the largest limit asked so far). */
  int capacity() {
    return capacity;
  }

  int size() {
    return points.size();
  }

  /** Takes the owner's snapshot points (oldest first) as the initial state. */
  void load(JsonArray snapshot) {
    points.clear();
    closedUpTo = Long.MIN_VALUE;
    for (Object o : snapshot) {
      if (o instanceof JsonObject p) {
        points.addLast(p);
        if (p.getBoolean("closed", true)) {
          closedUpTo = Math.max(closedUpTo, time(p));
        }
      }
    }
    trim();
  }

  /**
   * Widens the held range with a larger snapshot: its points older than the oldest held are
   * prepended (they are final), and the capacity becomes {@code newCapacity}.
   */
  void widen(JsonArray snapshot, int newCapacity) {
    capacity = Math.max(capacity, newCapacity);
    if (points.isEmpty()) {
      load(snapshot);
      return;
    }
    long first = time(points.peekFirst());
    List<JsonObject> older = new ArrayList<>();
    for (Object o : snapshot) {
      if (o instanceof JsonObject p && time(p) < first) {
        older.add(p);
      }
    }
    for (int i = older.size() - 1; i >= 0; i--) {
      points.addFirst(older.get(i));
    }
    trim();
  }

  /**
   * Applies one live update body; returns whether it passes the seam (is news to a client that has
   * the held points).
   */
  boolean apply(JsonObject update) {
    long t = time(update);
    if (t <= closedUpTo) {
      return false;
    }
    if (patterns) {
      JsonArray list = update.getJsonArray("patterns");
      if (list != null) {
        for (Object o : list) {
          if (o instanceof JsonObject d) {
            points.addLast(d);
          }
        }
      }
      closedUpTo = t;
      trim();
      return true;
    }
    boolean closed = update.getBoolean("closed", false);
    JsonObject point = update.copy();
    point.remove("symbol");
    point.remove("tf");
    point.remove("key");
    JsonObject last = points.peekLast();
    if (last != null && time(last) > t) {
      insert(point, t); // an older open window (in its grace period) behind a newer one
    } else {
      if (last != null && time(last) == t) {
        points.pollLast();
      }
      points.addLast(point);
    }
    if (closed) {
      closedUpTo = t;
    }
    trim();
    return true;
  }

  /** Puts {@code point} in time order among the newest points, replacing one with the same t. */
  private void insert(JsonObject point, long t) {
    ArrayDeque<JsonObject> newer = new ArrayDeque<>(2);
    while (!points.isEmpty() && time(points.peekLast()) > t) {
      newer.push(points.pollLast());
    }
    if (!points.isEmpty() && time(points.peekLast()) == t) {
      points.pollLast();
    }
    points.addLast(point);
    while (!newer.isEmpty()) {
      points.addLast(newer.pop());
    }
  }

  /** The newest {@code limit} points, oldest first (the same objects: do not modify them). */
  JsonArray newest(int limit) {
    JsonArray out = new JsonArray();
    int skip = Math.max(0, points.size() - limit);
    Iterator<JsonObject> it = points.iterator();
    for (int i = 0; it.hasNext(); i++) {
      JsonObject p = it.next();
      if (i >= skip) {
        out.add(p);
      }
    }
    return out;
  }

  private void trim() {
    while (points.size() > capacity) {
      points.pollFirst();
    }
  }

  /** A point's or an update's {@code t}. */
  static long time(JsonObject p) {
    Object t = p.getValue("t");
    if (!(t instanceof Number n)) {
      throw new IllegalArgumentException("analysis point without a numeric t: " + p.encode());
    }
    return n.longValue();
  }
}
