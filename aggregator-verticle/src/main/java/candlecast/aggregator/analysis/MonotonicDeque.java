package candlecast.aggregator.analysis;

/**
 * The extreme (highest, or lowest) of the last {@code window} values pushed, by a monotonic deque
 * on preallocated ring arrays: each value enters and leaves at most once, so a push is O(1)
 * amortised and the extreme is read in O(1).
 */
final class MonotonicDeque {
  private final int window;
  private final boolean highest;
  private final long[] index;
  private final double[] value;
  private final int cap;
  private int head;
  private int size;
  private long next;

  /**
   * @param window how many of the newest values count (0: none, the extreme is then undefined)
   * @param highest true for the maximum, false for the minimum
   */
  MonotonicDeque(int window, boolean highest) {
    if (window < 0) {
      throw new IllegalArgumentException("window must not be negative, got " + window);
    }
    this.window = window;
    this.highest = highest;
    this.cap = Math.max(1, window);
    this.index = new long[cap];
    this.value = new double[cap];
  }

  /** The extreme of the last {@code window} values, or {@code fallback} when there are none. */
  double extremeOr(double fallback) {
    return size == 0 ? fallback : value[head];
  }

  void push(double x) {
    long i = next++;
    if (window == 0) {
      return;
    }
    long oldest = i - window + 1;
    while (size > 0 && index[head] < oldest) {
      head = head + 1 == cap ? 0 : head + 1;
      size--;
    }
    while (size > 0) {
      int back = slot(size - 1);
      double b = value[back];
      if (highest ? b <= x : b >= x) {
        size--;
      } else {
        break;
      }
    }
    int s = slot(size);
    index[s] = i;
    value[s] = x;
    size++;
  }

  void clear() {
    head = 0;
    size = 0;
    next = 0;
  }

  private int slot(int offset) {
    int s = head + offset;
    return s >= cap ? s - cap : s;
  }
}
