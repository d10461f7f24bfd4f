package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;

/**
 * A test {@link Indicator} whose value depends on every input and its order (an EMA-like recurrence
 * over a mix of all candle fields), defined from its third candle (VWAP and OBV: the first),
 * writing every field of its spec: equal values mean the same candles in the same order since the
 * last reset.
 */
public final class OrderedMix implements Indicator {
  private final int fields;
  private final int definedFrom;
  private double s;
  private long n;

  OrderedMix(AnalysisSpec spec) {
    this.fields = spec.fields().size();
    this.definedFrom = spec.kind().paramNames().isEmpty() ? 1 : 3; // VWAP, OBV: from the first
  }

  public static Indicator create(AnalysisSpec spec, Timeframe tf) {
    return new OrderedMix(spec);
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
    double x = (openTime % 9_973L) * 1e-3 + open + 2 * high + 3 * low + 5 * close + 7 * volume;
    double next = n == 0 ? x : s * 0.8 + x * 0.2 + n * 1e-3;
    for (int k = 0; k < fields; k++) {
      out[k] = next + k;
    }
    if (commit) {
      s = next;
      n++;
    }
    return n + (commit ? 0 : 1) >= definedFrom;
  }

  @Override
  public void reset() {
    s = 0;
    n = 0;
  }
}
