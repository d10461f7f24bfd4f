package candlecast.aggregator.analysis;

/**
 * Bollinger Bands of the close: {@code middle} = SMA_period, {@code upper}/{@code lower} = middle ±
 * mult · σ with σ the population standard deviation of the same closes (as TradingView); defined
 * from the period-th candle. σ comes from shifted running sums ({@link RollingSums}), so it keeps
 * its precision at prices around 50,000.
 */
final class Bollinger implements Indicator {
  private final RollingSums closes;
  private final double mult;

  Bollinger(int period, double mult) {
    closes = new RollingSums(period);
    this.mult = mult;
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
      double middle = closes.meanWith(close);
      double band = mult * Math.sqrt(closes.varianceWith(close));
      out[0] = middle + band;
      out[1] = middle;
      out[2] = middle - band;
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
