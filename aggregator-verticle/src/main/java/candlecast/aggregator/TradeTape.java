package candlecast.aggregator;

import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent trades of the symbols an aggregator owns (one {@link TradeRing} each): fed with each
 * poll batch's trades, it returns the one update per symbol to publish on {@code trades.<SYMBOL>},
 * and it answers trade requests ({@link TradeQuery}). Pure apart from the result types; confined to
 * the aggregator's event loop.
 */
final class TradeTape {
  /** Failure code of a request for trades after a position the ring no longer holds. */
  static final int NOT_HELD = 410;

  private final int capacity;
  private final int defaultLimit;
  private final Map<String, TradeRing> rings = new HashMap<>();

  /**
   * @param capacity trades held per symbol
   * @param defaultLimit trades answered when a request names no limit
   */
  TradeTape(int capacity, int defaultLimit) {
    this.capacity = capacity;
    this.defaultLimit = defaultLimit;
  }

  /** Takes the rings rebuilt from Kafka for the symbols of a partition this instance took over. */
  void adopt(Map<String, TradeRing> loaded) {
    rings.putAll(loaded);
  }

  void remove(String symbol) {
    rings.remove(symbol);
  }

  /** The ring of a symbol, null when none is held. */
  TradeRing ring(String symbol) {
    return rings.get(symbol);
  }

  /**
   * Appends one symbol's trades of a poll batch (log order) to its ring.
   *
   * @return the update to publish ({@link TapeCodec#update}) with the trades that were new, or null
   *     when none was (all of them were already held: the batch was read again after a rewind)
   */
  JsonObject append(String symbol, List<TapeTrade> trades) {
    // A symbol without a ring has had no trade before this batch in its partition (the rings of
    // every symbol of a
    // taken-over partition are rebuilt), so its ring is complete from the start of the log.
    TradeRing ring = rings.computeIfAbsent(symbol, s -> new TradeRing(capacity, -1));
    long prev = ring.lastSeq();
    List<TapeTrade> added = new ArrayList<>(trades.size());
    for (TapeTrade t : trades) {
      if (ring.append(t)) {
        added.add(t);
      }
    }
    return added.isEmpty() ? null : TapeCodec.update(symbol, prev, added);
  }

  /**
   * Answers {@code {"op":"trades",...}} for an owned symbol: {@code
   * {"symbol","lastSeq","more","trades":[…]}}, {@code lastSeq} being the tape position the reply is
   * complete up to (the newest held). Fails with 400 for a bad request and {@link #NOT_HELD} when
   * the trades after {@code since}/{@code afterSeq} are no longer all held.
   */
  Future<JsonObject> answer(JsonObject body) {
    TradeQuery q;
    try {
      q = TradeQuery.parse(body, defaultLimit);
    } catch (IllegalArgumentException e) {
      return fail(400, e.getMessage());
    }
    TradeRing ring = rings.get(q.symbol());
    if (ring == null) {
      ring = new TradeRing(1, -1); // owned, but no trade yet: an empty, complete tape
    }
    List<TapeTrade> trades;
    boolean more = false;
    if (q.since() != null || q.afterSeq() != null) {
      TradeRing.Slice s =
          q.since() != null
              ? ring.afterId(q.since(), q.limit())
              : ring.afterSeq(q.afterSeq(), q.limit());
      if (s == null) {
        return fail(NOT_HELD, notHeld(q, ring));
      }
      trades = s.trades();
      more = s.more();
    } else if (q.from() != null) {
      trades = ring.from(q.from(), q.limit());
    } else {
      trades = ring.last(q.limit());
    }
    return Future.succeededFuture(
        new JsonObject()
            .put(TapeCodec.SYMBOL, q.symbol())
            .put("lastSeq", ring.lastSeq())
            .put("more", more)
            .put(TapeCodec.TRADES, TapeCodec.toJsonArray(trades)));
  }

  private static String notHeld(TradeQuery q, TradeRing ring) {
    String after = q.since() != null ? "trade id " + q.since() : "tape position " + q.afterSeq();
    String oldest =
        ring.size() == 0 ? "none is held" : "the oldest held is trade id " + ring.oldestId();
    return "the trades of "
        + q.symbol()
        + " after "
        + after
        + " are no longer held ("
        + oldest
        + ")";
  }

  private static <T> Future<T> fail(int code, String message) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
  }
}
