package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import java.util.Objects;

/** One candle series: a symbol at a timeframe. */
public record SeriesKey(String symbol, Timeframe tf) {
  public SeriesKey {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(tf, "tf");
  }

  /** The event-bus address the aggregator tier publishes this series on. */
  public String address() {
    return Addresses.candles(symbol, tf);
  }

  @Override
  public String toString() {
    return symbol + '.' + tf.label();
  }
}
