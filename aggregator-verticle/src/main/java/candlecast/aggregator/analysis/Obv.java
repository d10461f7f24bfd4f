package candlecast.aggregator.analysis;

/**
 * Session on-balance volume: 0 on the session's first candle, then {@code +v} when the close is
 * above the previous close, {@code −v} below it, unchanged when equal. The session is the UTC day
 * of the candle's open time for timeframes under a day, its UTC calendar year for 1d and longer;
 * the running total restarts on the first candle of a new session. Always defined.
 */
final class Obv implements Indicator {
  private final boolean intraday;
  private long session = Long.MIN_VALUE;
  private double obv;
  private double prevClose;

  Obv(boolean intraday) {
    this.intraday = intraday;
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
    long s = intraday ? Sessions.day(openTime) : Sessions.year(openTime);
    double value;
    if (s != session) {
      value = 0;
    } else if (close > prevClose) {
      value = obv + volume;
    } else if (close < prevClose) {
      value = obv - volume;
    } else {
      value = obv;
    }
    if (commit) {
      session = s;
      obv = value;
      prevClose = close;
    }
    out[0] = value;
    return true;
  }

  @Override
  public void reset() {
    session = Long.MIN_VALUE;
    obv = 0;
    prevClose = 0;
  }
}
