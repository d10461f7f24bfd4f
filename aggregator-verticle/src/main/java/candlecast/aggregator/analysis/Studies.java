package candlecast.aggregator.analysis;

import candlecast.common.analysis.AnalysisSpec;

/** Creates the {@link Indicator} computing a spec (issue 16; filled in by the indicators work). */
public final class Studies {
  private Studies() {}

  /** A fresh computation of {@code spec}, in its state before the first candle. */
  public static Indicator create(AnalysisSpec spec) {
    if (spec.kind() != null) {
      throw new UnsupportedOperationException(spec.kind() + " is not built yet");
    }
    throw new IllegalArgumentException("spec without a kind");
  }
}
