package candlecast.aggregator.analysis;

/** Simple moving average of the close over {@code period} candles; defined from the period-th. */
final class Sma implements Indicator {
  private final RollingSums closes;

  Sma(int period) {
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
      out[0] = closes.meanWith(close);
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
