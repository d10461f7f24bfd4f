package candlecast.aggregator.analysis;

/**
 * Wilder's RSI of the close: gains and losses of close-to-close changes, each averaged by Wilder's
 * smoothing seeded with the SMA of the first {@code period} of them; {@code RSI = 100 · G / (G +
 * L)} (= 100 − 100 / (1 + G / L)), 50 when both averages are 0 (no movement at all). Defined from
 * the candle after the period-th (the period-th change).
 */
final class Rsi implements Indicator {
  private final SeededAverage gains;
  private final SeededAverage losses;
  private boolean started;
  private double prevClose;

  Rsi(int period) {
    gains = SeededAverage.wilder(period);
    losses = SeededAverage.wilder(period);
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
    if (!started) {
      if (commit) {
        started = true;
        prevClose = close;
      }
      return false;
    }
    double change = close - prevClose;
    double g = gains.apply(change > 0 ? change : 0, commit);
    double l = losses.apply(change < 0 ? -change : 0, commit);
    if (commit) {
      prevClose = close;
    }
    if (Double.isNaN(g)) {
      return false;
    }
    double sum = g + l;
    out[0] = sum == 0 ? 50 : 100 * g / sum;
    return true;
  }

  @Override
  public void reset() {
    gains.reset();
    losses.reset();
    started = false;
    prevClose = 0;
  }
}
