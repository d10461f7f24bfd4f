package candlecast.aggregator;

import java.util.Arrays;

/**
 * A bounded set of the most recent {@code capacity} distinct longs (trade ids): open addressing over a power-of-two
 * table, with a FIFO ring deciding what to forget. No allocation after construction.
 */
public final class LongDedup {
  private static final long EMPTY = Long.MIN_VALUE;
  private static final long TOMB = Long.MIN_VALUE + 1;

  private final long[] ring;
  private final long[] table;
  private final long[] scratch;
  private final int mask;
  private int ringPos;
  private int size;
  private int used; // live + tombstones

  public LongDedup(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    ring = new long[capacity];
    Arrays.fill(ring, EMPTY);
    int t = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
    table = new long[t];
    Arrays.fill(table, EMPTY);
    scratch = new long[t];
    mask = t - 1;
  }

  public int capacity() {
    return ring.length;
  }

  public int size() {
    return size;
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  public boolean contains(long id) {
    if (id == EMPTY || id == TOMB) {
      return false;
    }
    int i = mix(id) & mask;
    while (true) {
      long v = table[i];
      if (v == EMPTY) {
        return false;
      }
      if (v == id) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds {@code id}; returns false when it was already present (a duplicate). One probe sequence. */
  public boolean add(long id) {
    if (id == EMPTY || id == TOMB) {
      return false;
    }
    int i = mix(id) & mask;
    int insertAt = -1;
    while (true) {
      long v = table[i];
      if (v == EMPTY) {
        if (insertAt < 0) {
          insertAt = i;
        }
        break;
      }
      if (v == id) {
        return false;
      }
      if (v == TOMB && insertAt < 0) {
        insertAt = i;
      }
      i = (i + 1) & mask;
    }
    long evicted = ring[ringPos];
    if (evicted != EMPTY) {
      remove(evicted); // only ever turns the evicted id's own slot into a tombstone
    }
    ring[ringPos] = id;
    ringPos = ringPos + 1 == ring.length ? 0 : ringPos + 1;
    if (table[insertAt] == EMPTY) {
      used++;
    }
    table[insertAt] = id;
    size++;
    if (used > (table.length * 3) / 4) {
      rehash();
    }
    return true;
  }

  private void remove(long id) {
    int i = mix(id) & mask;
    while (true) {
      long v = table[i];
      if (v == EMPTY) {
        return;
      }
      if (v == id) {
        table[i] = TOMB;
        size--;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private void rehash() {
    long[] old = scratch;
    System.arraycopy(table, 0, old, 0, table.length);
    Arrays.fill(table, EMPTY);
    used = 0;
    size = 0;
    for (long v : old) {
      if (v != EMPTY && v != TOMB) {
        int i = mix(v) & mask;
        while (table[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        table[i] = v;
        used++;
        size++;
      }
    }
  }

  /** The remembered ids, oldest first (for checkpoints). */
  public long[] toArray() {
    long[] out = new long[size];
    int k = 0;
    for (int j = 0; j < ring.length; j++) {
      long v = ring[(ringPos + j) % ring.length];
      if (v != EMPTY) {
        out[k++] = v;
      }
    }
    return k == out.length ? out : Arrays.copyOf(out, k);
  }
}
