package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;

/**
 * The fold state's windows of a symbol, for seeding candle-kind alerts at activation: the closed
 * windows the folder still keeps (those with trades, oldest first) and, optionally, its open ones.
 */
public interface WindowSource {
  /** Receives one window. */
  interface Visitor {
    void window(long openTime, double o, double h, double l, double c, double v, boolean closed);
  }

  /** Visits the kept closed windows of {@code tf} and, when {@code withOpen}, the open ones. */
  void windows(String symbol, Timeframe tf, boolean withOpen, Visitor v);

  /** The symbol's event time (MIN_VALUE when unknown). */
  long watermark(String symbol);
}
