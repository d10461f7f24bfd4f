package candlecast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The replies every endpoint of the seed's stream service shares ({@code /ws/stream}, {@code
 * /ws/analysis}): welcome, pong, heartbeat ack, subscription acks and errors with ISO-8601
 * timestamps ({@link StreamFrames}), naming the symbol as the client wrote it. Subscriptions start
 * live (no snapshots). Subclasses parse their commands and give the clock.
 */
abstract class SeedStreamMessages implements Dialect {
  abstract long now();

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

  /**
   * Subscriptions start live: the service has no snapshots (a {@code data} message with the current
   * value opens).
   */
  @Override
  public boolean snapshots() {
    return false;
  }

  @Override
  public JsonObject subscribed(SeriesKey key, Object id) {
    return subscription("subscribed", key.symbol());
  }

  /** Subscribing again is acknowledged again: the client is subscribed, as it asked. */
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
