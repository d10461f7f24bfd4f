package candlecast.aggregator.analysis;

/**
 * Wilder's ATR: true range {@code TR = max(h − l, |h − prevClose|, |l − prevClose|)} ({@code h − l}
 * on the first candle), averaged by Wilder's smoothing seeded with the SMA of the first {@code
 * period} TRs; defined from the period-th candle.
 */
final class Atr implements Indicator {
  private final SeededAverage average;
  private boolean started;
  private double prevClose;

  Atr(int period) {
    average = SeededAverage.wilder(period);
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
    double tr = high - low;
    if (started) {
      tr = Math.max(tr, Math.max(Math.abs(high - prevClose), Math.abs(low - prevClose)));
    }
    double v = average.apply(tr, commit);
    if (commit) {
      started = true;
      prevClose = close;
    }
    if (Double.isNaN(v)) {
      return false;
    }
    out[0] = v;
    return true;
  }

  @Override
  public void reset() {
    average.reset();
    started = false;
    prevClose = 0;
  }
}
