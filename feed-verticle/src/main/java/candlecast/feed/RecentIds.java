package candlecast.feed;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The last {@code capacity} trade ids of one symbol, for de-duplication with bounded memory: {@link
 * #add} remembers an id and forgets the oldest one once full. Memory grows with use (a quiet symbol
 * costs little), up to the capacity. Pure and not thread-safe.
 */
final class RecentIds {
  private static final int INITIAL = 256;
  private final int capacity;
  private long[] ring;
  private final Set<Long> set = new HashSet<>();
  private int next;
  private int size;

  RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.ring = new long[Math.min(capacity, INITIAL)];
  }

  boolean contains(long id) {
    return set.contains(id);
  }

  /** Remembers {@code id}; false (and no change) when it is already remembered. */
  boolean add(long id) {
    if (!set.add(id)) {
      return false;
    }
    if (size == ring.length && ring.length < capacity) {
      // Not full yet and never wrapped: the ids sit in ring[0..size) in insertion order.
      ring = Arrays.copyOf(ring, (int) Math.min(capacity, 2L * ring.length));
      next = size;
    }
    if (size == ring.length) {
      set.remove(ring[next]);
    } else {
      size++;
    }
    ring[next] = id;
    next = (next + 1) % ring.length;
    return true;
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }
}
