package candlecast.aggregator;

import java.util.Arrays;

/**
 * The gap spans of one symbol ({@link candlecast.common.GapRecord}s folded so far): sorted,
 * disjoint, non-adjacent [from, to) spans in epoch ms, part of a {@link CandleFolder}. A window is
 * partial exactly when it overlaps one of them; the folder drops spans that no window it can still
 * emit or re-emit overlaps ({@link #pruneBefore}), so the list stays short. Asked once per window
 * opening, never per trade.
 */
final class GapSpans {
  /** More spans than this and the two oldest are joined (see {@link CandleFolder#gap}). */
  static final int MAX = 64;

  private long[] from = new long[2];
  private long[] to = new long[2];
  private int count;

  int count() {
    return count;
  }

  long from(int i) {
    return from[i];
  }

  long to(int i) {
    return to[i];
  }

  /** Whether the window [{@code start}, {@code end}) overlaps a span. */
  boolean overlaps(long start, long end) {
    for (int i = 0; i < count; i++) {
      if (from[i] < end && start < to[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds [{@code f}, {@code t}), joining the spans it overlaps or touches; an empty span changes
   * nothing.
   */
  void add(long f, long t) {
    if (f >= t) {
      return;
    }
    int i = 0;
    while (i < count && to[i] < f) {
      i++; // spans entirely before, not touching
    }
    int j = i;
    long nf = f;
    long nt = t;
    while (j < count && from[j] <= t) {
      nf = Math.min(nf, from[j]);
      nt = Math.max(nt, to[j]);
      j++; // spans overlapping or touching: joined into one
    }
    int removed = j - i;
    if (removed == 0) {
      ensureCapacity();
      System.arraycopy(from, i, from, i + 1, count - i);
      System.arraycopy(to, i, to, i + 1, count - i);
      count++;
    } else if (removed > 1) {
      System.arraycopy(from, j, from, i + 1, count - j);
      System.arraycopy(to, j, to, i + 1, count - j);
      count -= removed - 1;
    }
    from[i] = nf;
    to[i] = nt;
  }

  /**
   * Drops the spans ending at or before {@code floor}: no window from {@code floor} on overlaps
   * them.
   */
  void pruneBefore(long floor) {
    int k = 0;
    while (k < count && to[k] <= floor) {
      k++;
    }
    if (k > 0) {
      System.arraycopy(from, k, from, 0, count - k);
      System.arraycopy(to, k, to, 0, count - k);
      count -= k;
    }
  }

  private void ensureCapacity() {
    if (count == from.length) {
      from = Arrays.copyOf(from, count * 2);
      to = Arrays.copyOf(to, count * 2);
    }
  }
}
