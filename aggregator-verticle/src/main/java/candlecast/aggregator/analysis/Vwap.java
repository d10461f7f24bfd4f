package candlecast.aggregator.analysis;

/**
 * Session VWAP: {@code Σ(typical · v) / Σv} over the candles of the session so far, {@code typical
 * = (h + l + c) / 3}; undefined while Σv is 0. For timeframes under a day the session is the UTC
 * day of the candle's open time and the sums restart when a candle opens a new day; for 1d and
 * longer the session is the candle itself (its typical price when it has volume).
 */
final class Vwap implements Indicator {
  private final boolean intraday;
  private long session = Long.MIN_VALUE;
  private double pv;
  private double v;

  Vwap(boolean intraday) {
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
    double typical = (high + low + close) / 3;
    if (!intraday) {
      if (volume > 0) {
        out[0] = typical;
        return true;
      }
      return false;
    }
    long day = Sessions.day(openTime);
    boolean same = day == session;
    double sumPv = (same ? pv : 0) + typical * volume;
    double sumV = (same ? v : 0) + volume;
    if (commit) {
      session = day;
      pv = sumPv;
      v = sumV;
    }
    if (sumV > 0) {
      out[0] = sumPv / sumV;
      return true;
    }
    return false;
  }

  @Override
  public void reset() {
    session = Long.MIN_VALUE;
    pv = 0;
    v = 0;
  }
}
