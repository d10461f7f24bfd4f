package candlecast.aggregator.analysis;

/**
 * The state of one analysis computation over one candle series (an indicator, the pattern set or
 * the risk metrics), advanced one candle at a time: O(1) per call for indicators (O(window) for the
 * risk metrics' drawdown), and no allocation.
 *
 * <p>Candles come in window order, each window once as closed ({@code commit = true}); before it
 * closes, the open window may be evaluated any number of times ({@code commit = false}), which must
 * leave the state as it was: the value it gives is the provisional one. Windows without trades are
 * given as flat candles (open = high = low = close = the previous close, volume 0) by the caller.
 */
public interface Indicator {
  /**
   * Evaluates the candle of window {@code openTime} and, when {@code commit}, advances the state
   * past it.
   *
   * @param out receives the point's fields in {@code AnalysisSpec#fields()} order (the pattern set
   *     writes its detections' bit mask in {@code out[0]}, see {@code PatternSet})
   * @return true when the point is defined (the computation has seen enough candles)
   */
  boolean apply(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      boolean commit,
      double[] out);

  /** Back to the state before the first candle. */
  void reset();
}
