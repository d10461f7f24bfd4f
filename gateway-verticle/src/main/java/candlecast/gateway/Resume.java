package candlecast.gateway;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * History requests of a subscription and the decision whether a {@code since} could be honoured.
 * Pure.
 */
public final class Resume {
  private Resume() {}

  /** {@link #firstCloseAfter}: nothing to check (no snapshot to join). */
  public static final long NO_SEAM = Long.MIN_VALUE;

  /**
   * Open time of the first closed window a subscription must receive live after its snapshot: the
   * window after the snapshot's newest closed candle; without a closed one, the snapshot's oldest
   * open candle; and at least the window holding {@code since} when the client resumes from later;
   * {@link #NO_SEAM} when none of these tells.
   *
   * <p>The hub's own run of closes does not tell it: a new series on a gateway is seeded by a
   * separate history answer, which may be newer than this subscriber's snapshot (the two requests
   * travel through different aggregators); a window that closed in between and was lost on the bus
   * is then missing for this subscriber only (chaos run60 seed 23).
   */
  public static long firstCloseAfter(List<Candle> snapshot, Long since, Timeframe tf) {
    long next = NO_SEAM;
    long oldestOpen = Long.MAX_VALUE;
    for (Candle c : snapshot) {
      if (c.closed()) {
        next = Math.max(next, tf.windowEnd(c.openTime()));
      } else {
        oldestOpen = Math.min(oldestOpen, c.openTime());
      }
    }
    if (next == NO_SEAM && oldestOpen != Long.MAX_VALUE) {
      next = oldestOpen;
    }
    if (since != null) {
      next = Math.max(next, tf.windowStart(since));
    }
    return next;
  }

  /** The {@code candlecast.history} request of a plain snapshot: the newest {@code n} candles. */
  public static JsonObject snapshotRequest(SeriesKey key, int n) {
    return new JsonObject().put("symbol", key.symbol()).put("tf", key.tf().label()).put("limit", n);
  }

  /** The request for everything from {@code since} on (at most {@code limit} candles). */
  public static JsonObject sinceRequest(SeriesKey key, long since, int limit) {
    return new JsonObject()
        .put("symbol", key.symbol())
        .put("tf", key.tf().label())
        .put("from", since)
        .put("limit", limit);
  }

  /**
   * Whether the reply to {@link #sinceRequest} holds every candle from {@code since} on.
   *
   * @param oldest the reply's {@code oldest} (open time of the oldest candle held), null when
   *     absent
   */
  public static boolean recovered(
      long since, List<Candle> candles, Long oldest, int limit, Timeframe tf) {
    if (candles.size() >= limit && candles.get(0).openTime() > since) {
      return false; // truncated: more candles since then than one reply may carry
    }
    if (oldest != null) {
      return since >= oldest;
    }
    // a history tier that does not report "oldest": the first candle must be the one at (or right
    // after) since
    long next = tf.isAligned(since) ? since : tf.windowEnd(tf.windowStart(since));
    return !candles.isEmpty() && candles.get(0).openTime() <= next;
  }

  /**
   * The reply's candles, oldest first, decoded; throws {@link DecodeException} on a malformed
   * reply.
   */
  public static List<Candle> candles(Object replyBody, SeriesKey key) {
    if (!(replyBody instanceof JsonObject reply)
        || !(reply.getValue("candles") instanceof JsonArray arr)) {
      throw new DecodeException("history reply is not {\"candles\":[...]}");
    }
    List<Candle> out = new ArrayList<>(arr.size());
    for (Object o : arr) {
      if (!(o instanceof JsonObject j)) {
        throw new DecodeException("history reply holds a non-object candle");
      }
      Candle c = CandleCodec.fromJson(j);
      if (!c.symbol().equals(key.symbol()) || c.tf() != key.tf()) {
        throw new DecodeException("history reply holds a candle of another series");
      }
      out.add(c);
    }
    return out;
  }

  /** The reply's {@code oldest}, null when absent or not a number. */
  public static Long oldest(Object replyBody) {
    if (replyBody instanceof JsonObject reply && reply.getValue("oldest") instanceof Number n) {
      return n.longValue();
    }
    return null;
  }
}
