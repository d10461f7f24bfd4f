package candlecast.aggregator;

import candlecast.common.Book;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A symbol's trailing 24-hour ticker, computed from its 1m candles: the 1,440 one-minute windows
 * ending with the newest (open) one. {@code open24h} is the open of the oldest of those windows,
 * {@code change = last - open24h} rounded to the symbol's price precision ({@link PricePrecision},
 * from the ticker's own open, high, low and last). With an order book, {@code bid} and {@code ask}
 * are its best prices (null without one, or with an empty side).
 */
public record Ticker(
    String symbol,
    double last,
    double open24h,
    double change,
    double changePct,
    double high,
    double low,
    double volume,
    long trades,
    long time,
    Double bid,
    Double ask) {
  static final long DAY_MS = 86_400_000L;

  /** A ticker without book prices. */
  public Ticker(
      String symbol,
      double last,
      double open24h,
      double change,
      double changePct,
      double high,
      double low,
      double volume,
      long trades,
      long time) {
    this(symbol, last, open24h, change, changePct, high, low, volume, trades, time, null, null);
  }

  /** This ticker with the best bid and ask of {@code book} (unchanged without one). */
  public Ticker withBook(Book book) {
    if (book == null) {
      return this;
    }
    Double b = book.bids().isEmpty() ? null : book.bestBid();
    Double a = book.asks().isEmpty() ? null : book.bestAsk();
    return new Ticker(
        symbol, last, open24h, change, changePct, high, low, volume, trades, time, b, a);
  }

  /** Null when the symbol has no 1m candle yet. */
  public static Ticker compute(String symbol, HistoryStore history) {
    SeriesHistory m1 = history.series(symbol, Timeframe.M1);
    if (m1 == null || m1.count() == 0) {
      return null;
    }
    long newest = m1.newestOpenTime();
    List<Candle> day = m1.query(newest - DAY_MS + Timeframe.M1.millis(), newest, 1_440);
    double open = day.get(0).open();
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    double volume = 0;
    long trades = 0;
    for (Candle c : day) {
      if (c.trades() > 0) {
        high = Math.max(high, c.high());
        low = Math.min(low, c.low());
      }
      volume += c.volume();
      trades += c.trades();
    }
    Candle lastCandle = day.get(day.size() - 1);
    double last = lastCandle.close();
    if (trades == 0) {
      high = last;
      low = last;
    }
    double change = PricePrecision.round(last - open, PricePrecision.of(open, high, low, last));
    double pct = open == 0 ? 0 : change / open * 100.0;
    return new Ticker(
        symbol, last, open, change, pct, high, low, volume, trades, lastCandle.closeTime());
  }

  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("symbol", symbol)
            .put("last", last)
            .put("open24h", open24h)
            .put("change", change)
            .put("changePct", changePct)
            .put("high", high)
            .put("low", low)
            .put("volume", volume)
            .put("trades", trades)
            .put("time", time);
    if (bid != null) {
      j.put("bid", bid);
    }
    if (ask != null) {
      j.put("ask", ask);
    }
    if (bid != null && ask != null) {
      j.put("spread", ask - bid);
    }
    return j;
  }
}
