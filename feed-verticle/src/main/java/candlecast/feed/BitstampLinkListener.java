package candlecast.feed;

import candlecast.common.Trade;
import java.util.List;

/** What the {@link BitstampLink} tells its source, on the feed's context. */
interface BitstampLinkListener {
  /**
   * No connection is subscribed; {@code open}: one is open and subscribing (else one is being
   * connected).
   */
  void unsubscribed(boolean open, String why);

  /**
   * {@code c} is subscribed to {@code symbols} and took over; {@code early} are its trades from
   * before, in id order ({@link BitstampConnection#earlyDropped} says whether some were dropped);
   * {@code switched}: it replaced a live connection (maintenance).
   */
  void subscribed(BitstampConnection c, List<String> symbols, List<Trade> early, boolean switched);

  /** The active connection was lost (told before a replacement is promoted or scheduled). */
  void activeLost(BitstampConnection c);

  /** A live trade of the active connection. */
  void trade(Trade t);

  /** A channel of the active connection was acknowledged late. */
  void channelCovered(String symbol);

  /** Something went wrong (logged once per distinct problem). */
  void problem(String message);
}
