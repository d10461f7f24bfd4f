package candlecast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The analysis stream of the seed's stream service, spoken on {@code /ws/analysis} (issue 16): the
 * messages of {@code /ws/stream} ({@link StreamCommandParser}, {@link StreamFrames}: welcome,
 * subscribe and unsubscribe by symbol, heartbeat, ping, errors), but a subscription streams the
 * symbol's analysis: the {@code data} message of {@link AnalysisFrames}, composed by the node's
 * {@link AnalysisComposer} of the (symbol, timeframe) ({@link AnalysisStreams}) and sent as is to
 * every subscriber.
 *
 * <p>One per gateway instance. Event-loop confined.
 */
final class AnalysisStreamDialect implements Dialect {
  static final String PATH = "/ws/analysis";

  private final AnalysisStreams streams;

  /**
   * @param streams the node's composers (shared by its instances' dialects)
   */
  AnalysisStreamDialect(AnalysisStreams streams) {
    this.streams = streams;
  }

  AnalysisStreams streams() {
    return streams;
  }

  long now() {
    return streams.now();
  }

  /** The stream service's messages, a subscription being to the symbol's analysis. */
  @Override
  public Command parse(String text) {
    Command c = StreamCommandParser.parse(text);
    if (c instanceof Command.StreamSubscribe s) {
      return new Command.AnalysisStreamSubscribe(s.symbol(), s.spelling(), s.tf());
    }
    if (c instanceof Command.StreamUnsubscribe u) {
      return new Command.AnalysisStreamUnsubscribe(u.symbol(), u.spelling());
    }
    return c;
  }

  @Override
  public JsonObject greeting(long nowMs) {
    return StreamFrames.welcome(nowMs);
  }

  @Override
  public JsonObject pong(long nowMs, Object id) {
    return StreamFrames.pong(nowMs);
  }

  @Override
  public JsonObject heartbeatAck(long nowMs, Object id) {
    return StreamFrames.heartbeatAck(nowMs);
  }

  @Override
  public JsonObject invalid(Command.Invalid c) {
    return StreamFrames.error(c.code(), c.message(), now());
  }

  /** The subscription ack or unsubscription ack of {@code symbol} (as the client wrote it). */
  JsonObject subscription(String status, String symbol) {
    return StreamFrames.subscription(status, symbol, now());
  }

  @Override
  public boolean snapshots() {
    return false;
  }

  @Override
  public JsonObject subscribed(SeriesKey key, Object id) {
    return subscription("subscribed", key.symbol());
  }

  @Override
  public JsonObject alreadySubscribed(SeriesKey key, Object id) {
    return subscription("subscribed", key.symbol());
  }

  @Override
  public JsonObject unsubscribed(SeriesKey key, Object id, boolean wasSubscribed) {
    return wasSubscribed
        ? subscription("unsubscribed", key.symbol())
        : error(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to " + key.symbol(), key, id);
  }

  @Override
  public JsonObject unsubscribedAll(int count, Object id) {
    return new JsonObject()
        .put("type", "subscription")
        .put("status", "unsubscribed")
        .put("count", count)
        .put("timestamp", IsoTime.format(now()));
  }

  @Override
  public JsonObject tooManySubscriptions(StreamKey key, Object id, int max) {
    return error(ErrorCodes.TOO_MANY_SUBSCRIPTIONS, Dialect.tooManyReason(max), key, id);
  }

  @Override
  public JsonObject error(String code, String message, StreamKey key, Object id) {
    return StreamFrames.error(code, message, now());
  }
}
