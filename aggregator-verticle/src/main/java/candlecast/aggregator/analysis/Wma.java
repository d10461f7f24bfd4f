package candlecast.aggregator.analysis;

/**
 * Weighted moving average of the close over {@code period} candles, weights 1 (oldest) to period
 * (newest), divided by period·(period+1)/2; defined from the period-th candle.
 */
final class Wma implements Indicator {
  private final RollingSums closes;

  Wma(int period) {
    closes = new RollingSums(period);
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
    boolean defined = closes.fullWith();
    if (defined) {
      out[0] = closes.weightedMeanWith(close);
    }
    if (commit) {
      closes.push(close);
    }
    return defined;
  }

  @Override
  public void reset() {
    closes.clear();
  }
}
