package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The stream factories of {@link CandlecastClient} (its public methods {@code candles}, {@code
 * trades}, {@code ticker}, {@code book}, {@code indicator}, {@code patterns}, {@code risk}, {@code
 * alerts}, {@code portfolio}), kept apart from the connection's lifecycle and requests.
 */
abstract class Streams {

  /** The connection the subscriptions live on. */
  abstract Connection connection();

  /**
   * Candles of a series as a publisher (the subscription starts at the first {@code subscribe}).
   *
   * @param symbol the symbol
   * @param tf the timeframe
   * @return the subscription
   */
  public Subscription<Candle> candles(String symbol, String tf) {
    return candles(symbol, tf, 0, null);
  }

  /**
   * Candles of a series to a listener (starts now).
   *
   * @param symbol the symbol
   * @param tf the timeframe
   * @param listener the callbacks
   * @return the subscription
   */
  public Subscription<Candle> candles(String symbol, String tf, StreamListener<Candle> listener) {
    return candles(symbol, tf, 0, listener);
  }

  /**
   * Candles of a series.
   *
   * @param symbol the symbol
   * @param tf the timeframe
   * @param throttleMs at most one open-candle update per interval (0: every one)
   * @param listener the callbacks, or null for a publisher started at its first subscribe
   * @return the subscription
   */
  public Subscription<Candle> candles(
      String symbol, String tf, int throttleMs, StreamListener<Candle> listener) {
    return start(new CandleSubscription(connection(), symbol, tf, throttleMs, listener));
  }

  /**
   * A symbol's tape (each trade once, in order).
   *
   * @param symbol the symbol
   * @param batch at most that many trades per frame (0: the server's default)
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<Trade> trades(String symbol, int batch, StreamListener<Trade> listener) {
    return start(new TradeSubscription(connection(), symbol, batch, listener));
  }

  /**
   * A symbol's 24 h ticker.
   *
   * @param symbol the symbol
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<Ticker> ticker(String symbol, StreamListener<Ticker> listener) {
    return start(new TickerSubscription(connection(), symbol, listener));
  }

  /**
   * A symbol's order book.
   *
   * @param symbol the symbol
   * @param depth 10, 25 or 100 (0: the server's default, 10)
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<Book> book(String symbol, int depth, StreamListener<Book> listener) {
    return start(new BookSubscription(connection(), symbol, depth, listener));
  }

  /**
   * An indicator series ({@code sma ema wma rsi macd bb atr stoch vwap obv}).
   *
   * @param symbol the symbol
   * @param tf the timeframe
   * @param name the indicator
   * @param params its parameters ({@code period}, …), missing ones at their defaults
   * @param limit snapshot points (0: the server's default, 500)
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<IndicatorPoint> indicator(
      String symbol,
      String tf,
      String name,
      Map<String, ?> params,
      int limit,
      StreamListener<IndicatorPoint> listener) {
    return start(
        new IndicatorSubscription(
            connection(), "indicator", symbol, tf, name, params, limit, listener));
  }

  /**
   * The pattern detections of a series.
   *
   * @param symbol the symbol
   * @param tf the timeframe
   * @param params {@code lookback}
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<IndicatorPoint> patterns(
      String symbol, String tf, Map<String, ?> params, StreamListener<IndicatorPoint> listener) {
    return start(
        new IndicatorSubscription(
            connection(), "patterns", symbol, tf, "patterns", params, 0, listener));
  }

  /**
   * The risk metrics of a series.
   *
   * @param symbol the symbol
   * @param tf the timeframe
   * @param params {@code window}
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<IndicatorPoint> risk(
      String symbol, String tf, Map<String, ?> params, StreamListener<IndicatorPoint> listener) {
    return start(
        new IndicatorSubscription(connection(), "risk", symbol, tf, "risk", params, 0, listener));
  }

  /**
   * The owner's alert fires (each once).
   *
   * @param since fires recorded after this instant (epoch ms), or null for live ones only
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<AlertFire> alerts(Long since, StreamListener<AlertFire> listener) {
    return start(new AlertSubscription(connection(), since, listener));
  }

  /**
   * The owner's portfolio valuations, as sent.
   *
   * @param listener the callbacks, or null for a publisher
   * @return the subscription
   */
  public Subscription<JsonNode> portfolio(StreamListener<JsonNode> listener) {
    return start(new PortfolioSubscription(connection(), listener));
  }

  private <T> Subscription<T> start(Subscription<T> s) {
    if (s.hasListener()) {
      connection().open(s);
    }
    return s;
  }
}
