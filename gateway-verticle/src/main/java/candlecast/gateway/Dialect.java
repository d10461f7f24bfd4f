package candlecast.gateway;

import candlecast.common.Candle;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One protocol spoken on {@code /ws}: how its messages parse into {@link Command}s and how the
 * answers to them look. Every protocol maps onto the same subscriptions and limits; a new protocol
 * adds a dialect, not branches in the connection. The dialect is chosen once per message ({@link
 * WsConnection.Env#dialectFor}) and answers everything that follows from that message, including
 * the replies of a subscription it started.
 */
interface Dialect {

  /** Parses one text message. Never throws; bad input gives {@link Command.Invalid}. */
  Command parse(String text);

  /**
   * Whether a candle subscription starts with a snapshot from history; else with an ack, then live
   * updates.
   */
  boolean snapshots();

  /**
   * The ack of a candle subscription that is live (after its snapshot when {@link #snapshots()}).
   */
  JsonObject subscribed(SeriesKey key, Object id);

  /** The answer to subscribing to a series the connection already streams. */
  JsonObject alreadySubscribed(SeriesKey key, Object id);

  /**
   * The answer to unsubscribing from one series; {@code wasSubscribed} false when there was nothing
   * to drop.
   */
  JsonObject unsubscribed(SeriesKey key, Object id, boolean wasSubscribed);

  /** The answer to dropping every subscription. */
  JsonObject unsubscribedAll(int count, Object id);

  /** The refusal of a subscription beyond {@code gateway.max-subscriptions}. */
  JsonObject tooManySubscriptions(StreamKey key, Object id, int max);

  /** An error about the subscription to {@code key} (code of {@link ErrorCodes}). */
  JsonObject error(String code, String message, StreamKey key, Object id);

  /** The snapshot that opens a subscription when {@link #snapshots()}. */
  default JsonObject snapshot(SeriesKey key, Object id, Boolean recovered, List<Candle> candles) {
    return Frames.snapshot(key, id, recovered, candles);
  }

  /**
   * Whether a candle subscription is told, by a {@link SeriesGap} notice, of closed windows the
   * gateway could not deliver (issue 19); dialects of seed protocols have no such frame.
   */
  default boolean candleGaps() {
    return false;
  }

  /** The first frame of a connection of an endpoint that speaks only this dialect. */
  default JsonObject greeting(long nowMs) {
    return Frames.connected(nowMs);
  }

  /** The answer to {@link Command.Ping}. */
  default JsonObject pong(long nowMs, Object id) {
    return Frames.pong(nowMs, id);
  }

  /** The answer to {@link Command.Heartbeat}. */
  default JsonObject heartbeatAck(long nowMs, Object id) {
    return Frames.heartbeatAck(nowMs, id);
  }

  /** The error frame of a message that cannot be executed. */
  default JsonObject invalid(Command.Invalid c) {
    return c.toJson();
  }

  /** The reason both dialects give for {@link #tooManySubscriptions}. */
  static String tooManyReason(int max) {
    return "a connection may hold at most " + max + " subscriptions; unsubscribe first";
  }
}
