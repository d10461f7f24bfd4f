package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;

/** Creates the {@link Indicator} computing a spec (issue 16). */
public final class Studies {
  private Studies() {}

  /**
   * A fresh computation of {@code spec} over a series of timeframe {@code tf} (VWAP and OBV need it
   * for their sessions), in its state before the first candle.
   *
   * <p>The pattern set and the risk metrics are {@link PatternSet} and {@link RiskWindow}.
   *
   * @throws IllegalArgumentException for a missing spec or timeframe
   */
  public static Indicator create(AnalysisSpec spec, Timeframe tf) {
    if (spec == null || spec.kind() == null || tf == null) {
      throw new IllegalArgumentException("spec without a kind or timeframe");
    }
    return switch (spec.kind()) {
      case SMA -> new Sma(spec.intParam("period"));
      case EMA -> new Ema(spec.intParam("period"));
      case WMA -> new Wma(spec.intParam("period"));
      case RSI -> new Rsi(spec.intParam("period"));
      case MACD -> new Macd(spec.intParam("fast"), spec.intParam("slow"), spec.intParam("signal"));
      case BB -> new Bollinger(spec.intParam("period"), spec.param("mult"));
      case ATR -> new Atr(spec.intParam("period"));
      case STOCH -> new Stochastic(spec.intParam("k"), spec.intParam("d"));
      case VWAP -> new Vwap(Sessions.intraday(tf));
      case OBV -> new Obv(Sessions.intraday(tf));
      case PATTERNS -> PatternSet.create(spec, tf);
      case RISK -> RiskWindow.create(spec, tf);
    };
  }
}
