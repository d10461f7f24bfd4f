package candlecast.common;

/**
 * A gap in the {@code trades} topic: "trades of this symbol with a time in [{@code from}, {@code
 * to}) (epoch ms) may be missing for good". The feed writes one when the exchange no longer serves
 * trades it missed (e.g. an outage longer than the exchange's REST history); every candle whose
 * window overlaps the span is marked partial downstream.
 */
public record GapRecord(String symbol, long from, long to) implements TradeLogRecord {
  public GapRecord {
    if (from > to) {
      throw new IllegalArgumentException(
          "gap of " + symbol + ": from " + from + " is after to " + to);
    }
  }
}
