package candlecast.aggregator.analysis;

/**
 * Stochastic oscillator: {@code %K = 100 · (c − LL) / (HH − LL)} over the last {@code k} candles'
 * highs and lows (50 when HH = LL), {@code %D} = SMA_d of %K. A point (both fields) is defined from
 * candle {@code k + d − 1} on. HH and LL of the {@code k − 1} committed candles before the current
 * one come from monotonic deques, so the current (possibly open) candle is folded in without
 * touching them: O(1) amortised.
 */
final class Stochastic implements Indicator {
  private final int k;
  private final MonotonicDeque highs;
  private final MonotonicDeque lows;
  private final RollingSums ks;
  private long committed;

  Stochastic(int k, int d) {
    this.k = k;
    highs = new MonotonicDeque(k - 1, true);
    lows = new MonotonicDeque(k - 1, false);
    ks = new RollingSums(d);
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
    boolean kDefined = committed >= k - 1;
    boolean defined = false;
    if (kDefined) {
      double hh = Math.max(high, highs.extremeOr(high));
      double ll = Math.min(low, lows.extremeOr(low));
      double pk = hh == ll ? 50 : 100 * (close - ll) / (hh - ll);
      defined = ks.fullWith();
      if (defined) {
        out[0] = pk;
        out[1] = ks.meanWith(pk);
      }
      if (commit) {
        ks.push(pk);
      }
    }
    if (commit) {
      highs.push(high);
      lows.push(low);
      committed++;
    }
    return defined;
  }

  @Override
  public void reset() {
    highs.clear();
    lows.clear();
    ks.clear();
    committed = 0;
  }
}
