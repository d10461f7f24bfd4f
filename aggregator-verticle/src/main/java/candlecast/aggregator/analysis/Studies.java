package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;

/** Creates the {@link Indicator} computing a spec (issue 16; filled in by the indicators work). */
public final class Studies {
  private Studies() {}

  /**
   * A fresh computation of {@code spec} over a series of timeframe {@code tf} (VWAP and OBV need it
   * for their sessions), in its state before the first candle.
   */
  public static Indicator create(AnalysisSpec spec, Timeframe tf) {
    if (spec.kind() != null && tf != null) {
      throw new UnsupportedOperationException(spec.kind() + " is not built yet");
    }
    throw new IllegalArgumentException("spec without a kind or timeframe");
  }
}
