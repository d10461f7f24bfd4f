package candlecast.aggregator;

import java.util.Arrays;

/**
 * A bounded set of the most recent {@code capacity} distinct longs (trade ids), forgetting the
 * oldest first. No allocation after construction.
 *
 * <p>Exchanges number a symbol's trades in increasing order, so the set is split in two: ids that
 * were larger than every id remembered when they arrived ("ascending" ids) sit in a sorted ring,
 * and the rare others ("stragglers") in an open-addressing hash table. An id above the largest
 * remembered one cannot be a duplicate, so the common case is a comparison and two sequential array
 * writes; an id at or below it is looked up by binary search in the ring and in the hash table. The
 * FIFO ring of all ids decides what to forget. Membership is exactly that of "the last {@code
 * capacity} distinct ids added", whatever the order of arrival (see {@code LongDedupTest}).
 */
public final class LongDedup {
  private static final long EMPTY = Long.MIN_VALUE;
  private static final long TOMB = Long.MIN_VALUE + 1;

  /** Every remembered id in arrival order; {@code ringPos} is the oldest once full. */
  private final long[] ring;

  /** The ascending ids, oldest (smallest) at {@code ascHead}: sorted. */
  private final long[] asc;

  private int ascHead;
  private int ascCount;

  /** Largest id ever added (an upper bound of every remembered id). */
  private long max = Long.MIN_VALUE;

  private final long[] table;
  private final long[] scratch;
  private final int mask;
  private int ringPos;
  private int size;
  private int stragglers;
  private int used; // live stragglers + tombstones

  public LongDedup(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    ring = new long[capacity];
    Arrays.fill(ring, EMPTY);
    asc = new long[capacity];
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
    if (id == EMPTY || id == TOMB || id > max) {
      return false;
    }
    return ascContains(id) || (stragglers > 0 && tableContains(id));
  }

  /** Adds {@code id}; returns false when it was already present (a duplicate). */
  public boolean add(long id) {
    if (id > max) {
      if (id == TOMB) {
        return false;
      }
      max = id;
      evictOldest();
      int tail = ascHead + ascCount;
      asc[tail >= asc.length ? tail - asc.length : tail] = id;
      ascCount++;
      remember(id);
      return true;
    }
    if (id == EMPTY || id == TOMB || contains(id)) {
      return false;
    }
    evictOldest();
    tableInsert(id);
    remember(id);
    return true;
  }

  private void remember(long id) {
    ring[ringPos] = id;
    ringPos = ringPos + 1 == ring.length ? 0 : ringPos + 1;
    size++;
  }

  private void evictOldest() {
    if (size < ring.length) {
      return;
    }
    long e = ring[ringPos];
    size--;
    if (ascCount > 0 && asc[ascHead] == e) {
      ascHead = ascHead + 1 == asc.length ? 0 : ascHead + 1;
      ascCount--;
    } else {
      tableRemove(e);
    }
  }

  private boolean ascContains(long id) {
    int lo = 0;
    int hi = ascCount - 1;
    int n = asc.length;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int k = ascHead + mid;
      long v = asc[k >= n ? k - n : k];
      if (v < id) {
        lo = mid + 1;
      } else if (v > id) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  private boolean tableContains(long id) {
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

  private void tableInsert(long id) {
    int i = mix(id) & mask;
    while (table[i] != EMPTY && table[i] != TOMB) {
      i = (i + 1) & mask;
    }
    if (table[i] == EMPTY) {
      used++;
    }
    table[i] = id;
    stragglers++;
    if (used > (table.length * 3) / 4) {
      rehash();
    }
  }

  private void tableRemove(long id) {
    int i = mix(id) & mask;
    while (true) {
      long v = table[i];
      if (v == EMPTY) {
        return;
      }
      if (v == id) {
        table[i] = TOMB;
        stragglers--;
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
    for (long v : old) {
      if (v != EMPTY && v != TOMB) {
        int i = mix(v) & mask;
        while (table[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        table[i] = v;
        used++;
      }
    }
  }

  /** The remembered ids, oldest first (for checkpoints). */
  public long[] toArray() {
    long[] out = new long[size];
    int n = ring.length;
    int first = size < n ? 0 : ringPos;
    for (int j = 0; j < size; j++) {
      int k = first + j;
      out[j] = ring[k >= n ? k - n : k];
    }
    return out;
  }
}
