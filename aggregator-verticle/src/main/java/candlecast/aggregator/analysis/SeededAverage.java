package candlecast.aggregator.analysis;

/**
 * An exponential average seeded with the simple average of its first {@code n} inputs: undefined
 * (NaN) for the first {@code n - 1} inputs, then {@code avg = prev + alpha * (x - prev)}. With
 * {@code alpha = 2 / (n + 1)} it is the EMA (as TradingView's {@code ta.ema}), with {@code alpha =
 * 1 / n} Wilder's smoothing (RMA, TradingView's {@code ta.rma}), i.e. {@code (prev * (n - 1) + x) /
 * n}.
 */
final class SeededAverage {
  private final int n;
  private final double alpha;
  private int count;
  private double seedSum;
  private double value = Double.NaN;

  private SeededAverage(int n, double alpha) {
    if (n < 1) {
      throw new IllegalArgumentException("period must be at least 1, got " + n);
    }
    this.n = n;
    this.alpha = alpha;
  }

  /** The EMA of period {@code n}: {@code alpha = 2 / (n + 1)}. */
  static SeededAverage ema(int n) {
    return new SeededAverage(n, 2.0 / (n + 1));
  }

  /** Wilder's moving average of period {@code n}: {@code alpha = 1 / n}. */
  static SeededAverage wilder(int n) {
    return new SeededAverage(n, 1.0 / n);
  }

  /**
   * The average with {@code x} as the next input, NaN while fewer than {@code n} inputs; when
   * {@code commit}, {@code x} becomes part of the state.
   */
  double apply(double x, boolean commit) {
    double v;
    if (count >= n) {
      v = value + alpha * (x - value);
    } else if (count == n - 1) {
      v = (seedSum + x) / n;
    } else {
      v = Double.NaN;
    }
    if (commit) {
      if (count < n) {
        seedSum += x;
        count++;
      }
      value = v;
    }
    return v;
  }

  void reset() {
    count = 0;
    seedSum = 0;
    value = Double.NaN;
  }
}
