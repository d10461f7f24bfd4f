package candlecast.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which event-bus registrations to remove because their node is gone: those of a node that is not a
 * cluster member in two sweeps in a row. The second look keeps a node that has just joined (and
 * registered before this member's view showed it) from losing its registrations, which nothing
 * would ever publish again. Not thread-safe: one sweeper.
 *
 * @param <V> the stored registration
 */
final class StaleSubs<V> {
  /** One registration: its address, the Vert.x node id it points to, and the stored value. */
  record Entry<V>(String address, String nodeId, V value) {}

  private Set<String> suspects = Set.of();

  /**
   * The entries to remove now, given the node ids of the current members and every registration.
   */
  List<Entry<V>> sweep(Set<String> liveNodeIds, List<Entry<V>> entries) {
    Set<String> absent = new HashSet<>();
    List<Entry<V>> remove = new ArrayList<>();
    for (Entry<V> e : entries) {
      if (!liveNodeIds.contains(e.nodeId())) {
        absent.add(e.nodeId());
        if (suspects.contains(e.nodeId())) {
          remove.add(e);
        }
      }
    }
    suspects = absent;
    return remove;
  }

  /** Forgets the suspects (this member stopped sweeping, e.g. it is no longer the oldest). */
  void reset() {
    suspects = Set.of();
  }
}
