package candlecast.gateway;

/**
 * A stream clients subscribe to: a candle series ({@link SeriesKey}), a symbol's ticker ({@link
 * TickerKey}), its trades ({@link TradesKey}), a depth view of its order book ({@link BookKey}) or
 * an analysis series ({@link AnalysisKey}).
 */
public sealed interface StreamKey permits SeriesKey, TickerKey, TradesKey, BookKey, AnalysisKey {
  /** The event-bus address the aggregator tier publishes the stream on. */
  String address();

  /**
   * Validates one event-bus message of this stream and encodes its client frame (once, for every
   * subscriber).
   *
   * @throws candlecast.common.DecodeException when the body is not an update of this stream
   */
  Update toUpdate(Object body);
}
