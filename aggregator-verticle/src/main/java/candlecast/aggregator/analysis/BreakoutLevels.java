package candlecast.aggregator.analysis;

/**
 * The highest high and the lowest low of the last {@code lookback} candles given to {@link #push},
 * in O(1) amortised per candle and without allocation: two monotonic deques (candle numbers whose
 * highs decrease, resp. whose lows increase, from front to back) on preallocated rings. A candle
 * leaves the max deque when a later candle's high is at least as high (it can never be the maximum
 * again) or when it falls out of the window; likewise for lows. Each candle enters and leaves each
 * deque at most once.
 */
final class BreakoutLevels {
  private final int lookback;
  private final int cap;
  private final long[] hiSeq;
  private final double[] hiVal;
  private final long[] loSeq;
  private final double[] loVal;
  private int hiHead;
  private int hiSize;
  private int loHead;
  private int loSize;
  private long pushed;

  BreakoutLevels(int lookback) {
    if (lookback < 1) {
      throw new IllegalArgumentException("lookback must be at least 1, got " + lookback);
    }
    this.lookback = lookback;
    this.cap = lookback + 1;
    this.hiSeq = new long[cap];
    this.hiVal = new double[cap];
    this.loSeq = new long[cap];
    this.loVal = new double[cap];
  }

  /** Whether {@code lookback} candles have been pushed (the levels are defined). */
  boolean full() {
    return pushed >= lookback;
  }

  /** The highest high of the last {@code lookback} candles pushed (of all pushed while fewer). */
  double highest() {
    return hiVal[hiHead];
  }

  /** The lowest low of the last {@code lookback} candles pushed (of all pushed while fewer). */
  double lowest() {
    return loVal[loHead];
  }

  /** Adds the next candle's high and low; the candle {@code lookback} back leaves the window. */
  void push(double high, double low) {
    long seq = pushed++;
    long oldest = seq - lookback; // the candle leaving the window
    while (hiSize > 0 && hiVal[slot(hiHead, hiSize - 1)] <= high) {
      hiSize--;
    }
    int h = slot(hiHead, hiSize++);
    hiSeq[h] = seq;
    hiVal[h] = high;
    while (hiSeq[hiHead] <= oldest) {
      hiHead = slot(hiHead, 1);
      hiSize--;
    }
    while (loSize > 0 && loVal[slot(loHead, loSize - 1)] >= low) {
      loSize--;
    }
    int l = slot(loHead, loSize++);
    loSeq[l] = seq;
    loVal[l] = low;
    while (loSeq[loHead] <= oldest) {
      loHead = slot(loHead, 1);
      loSize--;
    }
  }

  private int slot(int head, int offset) {
    int s = head + offset;
    return s >= cap ? s - cap : s;
  }

  void reset() {
    hiHead = 0;
    hiSize = 0;
    loHead = 0;
    loSize = 0;
    pushed = 0;
  }
}
