package candlecast.client;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/** The last {@code capacity} ids seen, to drop a duplicate (a trade id, an alert fire id). */
final class RecentIds<K> {
  private final int capacity;
  private final Set<K> set = new HashSet<>();
  private final ArrayDeque<K> order = new ArrayDeque<>();

  RecentIds(int capacity) {
    this.capacity = capacity;
  }

  /** Adds the id; false when it was already among the recent ones. */
  boolean add(K id) {
    if (!set.add(id)) {
      return false;
    }
    order.addLast(id);
    if (order.size() > capacity) {
      set.remove(order.removeFirst());
    }
    return true;
  }

  void clear() {
    set.clear();
    order.clear();
  }
}
