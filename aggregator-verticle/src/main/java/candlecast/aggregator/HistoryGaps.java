package candlecast.aggregator;

import java.util.Arrays;

/**
 * The gap spans of one symbol known to its history (from gap records, kept for as long as the
 * history): sorted, disjoint, touching spans joined. Readers of history mark a synthesized flat
 * window partial when it overlaps one. Gaps are rare (an exchange outage), so a plain sorted array
 * suffices; a lookup is a binary search.
 */
final class HistoryGaps {
  private long[] from = new long[0];
  private long[] to = new long[0];

  /** Adds the span [{@code f}, {@code t}) (nothing when empty). */
  synchronized void add(long f, long t) {
    if (f >= t) {
      return;
    }
    int n = from.length;
    int at = 0;
    while (at < n && from[at] <= f) {
      at++;
    }
    long[] nf = new long[n + 1];
    long[] nt = new long[n + 1];
    System.arraycopy(from, 0, nf, 0, at);
    System.arraycopy(to, 0, nt, 0, at);
    nf[at] = f;
    nt[at] = t;
    System.arraycopy(from, at, nf, at + 1, n - at);
    System.arraycopy(to, at, nt, at + 1, n - at);
    int k = 0; // join overlapping or touching spans in place
    for (int i = 0; i <= n; i++) {
      if (k > 0 && nf[i] <= nt[k - 1]) {
        nt[k - 1] = Math.max(nt[k - 1], nt[i]);
      } else {
        nf[k] = nf[i];
        nt[k] = nt[i];
        k++;
      }
    }
    from = Arrays.copyOf(nf, k);
    to = Arrays.copyOf(nt, k);
  }

  /** Whether [{@code a}, {@code b}) overlaps a span. */
  synchronized boolean overlaps(long a, long b) {
    // the last span starting before b is the only candidate: spans are disjoint and sorted
    int lo = 0;
    int hi = from.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (from[mid] < b) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo > 0 && to[lo - 1] > a;
  }

  synchronized int count() {
    return from.length;
  }
}
