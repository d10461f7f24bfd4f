package candlecast.aggregator.analysis;

/**
 * MACD: {@code macd = EMA_fast(close) − EMA_slow(close)} (both SMA-seeded), {@code signal} =
 * EMA_signal of the MACD values from the first one on (seeded with the SMA of the first {@code
 * signal} of them), {@code hist = macd − signal}. A point (all three fields) is defined from candle
 * {@code slow + signal − 1} on.
 */
final class Macd implements Indicator {
  private final SeededAverage fast;
  private final SeededAverage slow;
  private final SeededAverage signal;

  Macd(int fast, int slow, int signal) {
    this.fast = SeededAverage.ema(fast);
    this.slow = SeededAverage.ema(slow);
    this.signal = SeededAverage.ema(signal);
  }

  @Override
  public boolean apply(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      boolean commit,
      double[] out) {
    double f = fast.apply(close, commit);
    double s = slow.apply(close, commit);
    if (Double.isNaN(s)) {
      return false;
    }
    double macd = f - s;
    double sig = signal.apply(macd, commit);
    if (Double.isNaN(sig)) {
      return false;
    }
    out[0] = macd;
    out[1] = sig;
    out[2] = macd - sig;
    return true;
  }

  @Override
  public void reset() {
    fast.reset();
    slow.reset();
    signal.reset();
  }
}
