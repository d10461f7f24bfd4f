package candlecast.aggregator.analysis;

/**
 * The last {@code n} values of a series in a preallocated ring, with their sum, sum of squares and
 * weighted sum (weights 1..n, the newest weighing n) kept incrementally, each taken about a shift
 * {@code k} close to the values: sums of {@code x - k} keep their precision at prices around 50,000
 * where raw sums of squares would lose it to cancellation.
 *
 * <p>Every {@code n} pushes the shift moves to the newest value and the sums are recomputed from
 * the ring ({@code n} multiply-adds once per {@code n} pushes: O(1) amortised), so rounding never
 * builds up over a long series. The {@code *With(x)} methods evaluate the window as if {@code x}
 * were pushed, without changing anything (the provisional value of an open candle).
 */
final class RollingSums {
  private final int n;
  private final double[] ring;
  private final double weightTotal;
  private int head; // slot of the oldest value when full; next write slot
  private int count;
  private int sinceRebase;
  private double k;
  private double s1; // sum of (x - k)
  private double s2; // sum of (x - k)^2
  private double sw; // sum of j * (x_j - k), j = 1 for the oldest … count for the newest

  RollingSums(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("window length must be at least 1, got " + n);
    }
    this.n = n;
    this.ring = new double[n];
    this.weightTotal = n * (n + 1) / 2.0;
  }

  int length() {
    return n;
  }

  /** Values held (at most {@link #length()}). */
  int count() {
    return count;
  }

  /** Whether pushing one more value makes (or keeps) the window full. */
  boolean fullWith() {
    return count >= n - 1;
  }

  void push(double x) {
    if (count == 0) {
      k = x;
    }
    double y = x - k;
    if (count < n) {
      count++;
      s1 += y;
      s2 += y * y;
      sw += count * y;
    } else {
      double old = ring[head] - k;
      sw += n * y - s1; // every weight drops by one (the oldest's to 0), the new one weighs n
      s1 += y - old;
      s2 += y * y - old * old;
    }
    ring[head] = x;
    head = head + 1 == n ? 0 : head + 1;
    if (++sinceRebase >= n) {
      rebase(x);
    }
  }

  /** Mean of the window with {@code x} pushed (callers check {@link #fullWith()}). */
  double meanWith(double x) {
    double y = x - k;
    if (count < n) {
      return k + (s1 + y) / (count + 1);
    }
    return k + (s1 + y - (ring[head] - k)) / n;
  }

  /** Population variance of the window with {@code x} pushed, never negative. */
  double varianceWith(double x) {
    double y = x - k;
    double a;
    double b;
    int m;
    if (count < n) {
      a = s1 + y;
      b = s2 + y * y;
      m = count + 1;
    } else {
      double old = ring[head] - k;
      a = s1 + y - old;
      b = s2 + y * y - old * old;
      m = n;
    }
    double mean = a / m;
    double v = b / m - mean * mean;
    return v > 0 ? v : 0;
  }

  /** Weighted mean (weights 1..n, newest n) of the full window with {@code x} pushed. */
  double weightedMeanWith(double x) {
    double y = x - k;
    double w;
    if (count < n) {
      w = sw + (count + 1) * y; // only when count + 1 == n: the weights are already 1..n-1
    } else {
      w = sw + n * y - s1;
    }
    return k + w / weightTotal;
  }

  void clear() {
    head = 0;
    count = 0;
    sinceRebase = 0;
    k = 0;
    s1 = 0;
    s2 = 0;
    sw = 0;
  }

  /** Moves the shift to {@code newK} and recomputes the sums from the ring, oldest first. */
  private void rebase(double newK) {
    sinceRebase = 0;
    k = newK;
    s1 = 0;
    s2 = 0;
    sw = 0;
    int start = count < n ? 0 : head;
    for (int j = 0; j < count; j++) {
      int slot = start + j;
      if (slot >= n) {
        slot -= n;
      }
      double y = ring[slot] - newK;
      s1 += y;
      s2 += y * y;
      sw += (j + 1) * y;
    }
  }
}
