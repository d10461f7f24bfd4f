package candlecast.aggregator.analysis;

/**
 * Exponential moving average of the close, {@code alpha = 2 / (period + 1)}, seeded with the SMA of
 * the first {@code period} closes (as TradingView); defined from the period-th candle.
 */
final class Ema implements Indicator {
  private final SeededAverage ema;

  Ema(int period) {
    ema = SeededAverage.ema(period);
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
    double v = ema.apply(close, commit);
    if (Double.isNaN(v)) {
      return false;
    }
    out[0] = v;
    return true;
  }

  @Override
  public void reset() {
    ema.reset();
  }
}
