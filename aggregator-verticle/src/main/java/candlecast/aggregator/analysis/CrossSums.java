package candlecast.aggregator.analysis;

/**
 * Running sums of the last {@code fast} and last {@code slow} values pushed (fast &lt; slow), on a
 * preallocated ring of {@code slow} values: O(1) per push, no allocation. Each time the ring wraps
 * (every {@code slow} pushes) both sums are recomputed from the ring, O(slow) every slow pushes, so
 * the rounding error of adding and subtracting never builds up beyond one lap.
 */
final class CrossSums {
  private final int fast;
  private final int slow;
  private final double[] ring;
  private long pushed;
  private double fastSum;
  private double slowSum;

  CrossSums(int fast, int slow) {
    if (fast < 1 || slow <= fast) {
      throw new IllegalArgumentException("need 1 <= fast < slow, got " + fast + ", " + slow);
    }
    this.fast = fast;
    this.slow = slow;
    this.ring = new double[slow];
  }

  void push(double x) {
    int slot = (int) (pushed % slow);
    if (pushed >= slow) {
      slowSum -= ring[slot];
    }
    if (pushed >= fast) {
      int leaving = slot - fast;
      fastSum -= ring[leaving < 0 ? leaving + slow : leaving];
    }
    ring[slot] = x;
    fastSum += x;
    slowSum += x;
    pushed++;
    if (slot == slow - 1) {
      resync();
    }
  }

  /** Recomputes both sums from the ring (the ring is full: the last slot was just written). */
  private void resync() {
    double f = 0;
    double s = 0;
    for (int i = 0; i < slow; i++) {
      s += ring[i];
      if (i >= slow - fast) {
        f += ring[i];
      }
    }
    fastSum = f;
    slowSum = s;
  }

  /** Whether {@code slow} values have been pushed (both means are defined). */
  boolean full() {
    return pushed >= slow;
  }

  double fastMean() {
    return fastSum / fast;
  }

  double slowMean() {
    return slowSum / slow;
  }

  void reset() {
    pushed = 0;
    fastSum = 0;
    slowSum = 0;
  }
}
