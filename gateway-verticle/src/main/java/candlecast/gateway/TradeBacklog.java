package candlecast.gateway;

import java.util.ArrayDeque;

/**
 * What a trades subscription keeps while its client is congested (its lane policy in the {@link
 * OutboundWriter}): the newest frames, as long as they hold at most {@code maxTrades} trades
 * (always the newest frame), and a gap marker for the older ones it drops: {@code
 * {"type":"gap","channel":"trades","symbol","since","dropped"}}, written before the frames that
 * follow the gap, tells the client from which trade id to fill it ({@code since}, e.g. with {@code
 * GET /api/trades?since=}, or by subscribing again with {@code since}). Memory per subscription is
 * bounded by the references to at most {@code maxTrades} trades' shared frames.
 *
 * <p>The frames are {@link Update}s whose detail is a {@link TradeBatch.Chunk}, or a gap mark of
 * the subscription itself ({@link Mark}: trades it could not get, see {@link TradesSubscription}).
 * Pure; event-loop confined.
 */
final class TradeBacklog {
  /**
   * The detail of a gap marker the subscription sends: the trades after {@code since} up to the
   * next are missing.
   */
  record Mark(Long since) {}

  private final String symbol;
  private final int maxTrades;
  private final ArrayDeque<Update> parked = new ArrayDeque<>();
  private int trades;

  /** Id of the last trade offered (written or parked); null while none was. */
  private Long lastOffered;

  /**
   * Id of the trade before the oldest parked frame; null when unknown (none sent yet, or after a
   * mark).
   */
  private Long beforeHead;

  private boolean gap;
  private Long gapSince;

  /** Trades dropped in the pending gap; -1 when not known (a mark was folded into it). */
  private long gapDropped;

  /**
   * @param lastSent id of the last trade the client has (its {@code since}), null when none
   */
  TradeBacklog(String symbol, int maxTrades, Long lastSent) {
    this.symbol = symbol;
    this.maxTrades = maxTrades;
    this.lastOffered = lastSent;
  }

  /**
   * The client gets (or will get) {@code u} next: it is after {@link #lastOffered()} from now on.
   */
  void offered(Update u) {
    if (u.detail() instanceof TradeBatch.Chunk c) {
      lastOffered = c.lastId();
    }
  }

  /** The client has the trades up to this id (a snapshot ends with it); null when none. */
  void offered(Long id) {
    lastOffered = id;
  }

  /** Id of the last trade offered to the client; null when none was. */
  Long lastOffered() {
    return lastOffered;
  }

  /**
   * Parks {@code u}; drops the oldest frames beyond {@code maxTrades} into the gap. Returns the
   * frames dropped.
   */
  int park(Update u) {
    if (parked.isEmpty()) {
      beforeHead = lastOffered;
    }
    parked.addLast(u);
    trades += count(u);
    int dropped = 0;
    while (trades > maxTrades && parked.size() > 1) {
      Update head = parked.pollFirst();
      trades -= count(head);
      dropped++;
      if (head.detail() instanceof Mark m) {
        open(m.since());
        gapDropped = -1;
        beforeHead = null;
      } else {
        TradeBatch.Chunk c = (TradeBatch.Chunk) head.detail();
        open(beforeHead);
        if (gapDropped >= 0) {
          gapDropped += c.count();
        }
        beforeHead = c.lastId();
      }
    }
    return dropped;
  }

  private void open(Long since) {
    if (!gap) {
      gap = true;
      gapSince = since;
      gapDropped = 0;
    }
  }

  /**
   * Writes the gap marker, then the parked frames, while the socket takes them; false when it
   * filled up again.
   */
  boolean flush(OutboundWriter w) {
    if (gap) {
      if (!w.takes()) {
        return false;
      }
      w.write(
          new Update(
              Frames.tradesGap(symbol, gapSince, gapDropped >= 0 ? gapDropped : null),
              0,
              0,
              false));
      gap = false;
    }
    while (!parked.isEmpty()) {
      if (!w.takes()) {
        return false;
      }
      Update u = parked.pollFirst();
      trades -= count(u);
      w.write(u);
      beforeHead = u.detail() instanceof TradeBatch.Chunk c ? c.lastId() : null;
    }
    return true;
  }

  /** Parked frames, the gap marker included. */
  int parked() {
    return parked.size() + (gap ? 1 : 0);
  }

  /** Trades in the parked frames. */
  int parkedTrades() {
    return trades;
  }

  void clear() {
    parked.clear();
    trades = 0;
    gap = false;
  }

  private static int count(Update u) {
    return u.detail() instanceof TradeBatch.Chunk c ? c.count() : 0;
  }
}
