package candlecast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The JSON protocol ({@link JsonCommandParser}): replies echo the request id, a candle subscription
 * opens with a snapshot (or a resume), and asking for what is already so is an error.
 */
final class JsonDialect implements Dialect {
  static final JsonDialect INSTANCE = new JsonDialect();

  private JsonDialect() {}

  @Override
  public Command parse(String text) {
    return JsonCommandParser.parse(text);
  }

  @Override
  public boolean snapshots() {
    return true;
  }

  @Override
  public boolean candleGaps() {
    return true;
  }

  @Override
  public JsonObject subscribed(SeriesKey key, Object id) {
    return Frames.subscription("subscribed", key, id);
  }

  @Override
  public JsonObject alreadySubscribed(SeriesKey key, Object id) {
    return Frames.jsonError(
        ErrorCodes.ALREADY_SUBSCRIBED,
        "already subscribed to "
            + key.symbol()
            + " "
            + key.tf().label()
            + "; unsubscribe first to start over",
        id);
  }

  @Override
  public JsonObject unsubscribed(SeriesKey key, Object id, boolean wasSubscribed) {
    if (!wasSubscribed) {
      return Frames.jsonError(
          ErrorCodes.NOT_SUBSCRIBED,
          "not subscribed to " + key.symbol() + " " + key.tf().label(),
          id);
    }
    return Frames.subscription("unsubscribed", key, id);
  }

  @Override
  public JsonObject unsubscribedAll(int count, Object id) {
    return Frames.unsubscribedAll(count, id);
  }

  @Override
  public JsonObject tooManySubscriptions(StreamKey key, Object id, int max) {
    return Frames.jsonError(ErrorCodes.TOO_MANY_SUBSCRIPTIONS, Dialect.tooManyReason(max), id);
  }

  @Override
  public JsonObject error(String code, String message, StreamKey key, Object id) {
    return Frames.jsonError(code, message, id);
  }
}
