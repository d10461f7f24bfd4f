package candlecast.feed;

import candlecast.common.Book;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Keeps one symbol's {@link OrderBook} consistent with an exchange that publishes changes (diffs)
 * on a stream, a snapshot over REST and, as a check, top-of-book snapshots on a second stream; all
 * three carry the exchange's microtimestamp of the book state they describe (Bitstamp: {@code
 * diff_order_book_<pair>}, {@code /api/v2/order_book/<pair>/}, {@code order_book_<pair>}). Pure and
 * not thread-safe; the caller does the I/O each {@link Action} asks for.
 *
 * <ol>
 *   <li>{@link #subscribed()}: diffs are buffered from now on; fetch a snapshot (tagged with {@link
 *       #epoch()}).
 *   <li>{@link #snapshot}: usable only when it is at least as new as the first diff buffered
 *       (otherwise diffs between the two may have been published before the subscription: fetch
 *       again, {@link Action#RETRY_SNAPSHOT}). The book loads it, then applies the buffered diffs
 *       newer than it, in order.
 *   <li>{@link #diff}, synced: a diff not newer than the snapshot is already in it (dropped); a
 *       diff older than the last one applied is out of order; otherwise it is applied.
 *   <li>{@link #top}: a top-of-book snapshot with the same microtimestamp as the book must equal
 *       the book's best levels; one that is newer waits until the book reaches its instant.
 * </ol>
 *
 * Any inconsistency — an out-of-order diff, a crossed book, a top-of-book that differs — drops the
 * book and starts over from a fresh snapshot ({@link Action#FETCH_SNAPSHOT}); the book is published
 * only while {@link State#SYNCED}, so a crossed or stale book never leaves the feed.
 *
 * <p>Verification: once a top-of-book check has passed, the exchange is known to stamp both streams
 * alike, and a book is {@link #publishable} only at an instant a top-of-book confirmed — a lost
 * diff is caught by the next check before the book it spoiled can be published. If checks stop
 * coming ({@link #MAX_UNVERIFIED} diffs without one), books are published unverified again (a lost
 * diff is then caught at the next check that does come).
 */
final class BookSync {
  /**
   * Levels per side of the exchange's top-of-book snapshots (Bitstamp's order_book channel: 100).
   */
  static final int TOP_LEVELS = 100;

  /** Diffs applied without a top-of-book check before checks are no longer waited for. */
  static final int MAX_UNVERIFIED = 200;

  enum State {
    UNSUBSCRIBED,
    AWAITING_SNAPSHOT,
    SYNCED
  }

  /** What the caller must do after a call. */
  enum Action {
    NONE,
    /** The book changed (and is consistent): publish it in due course. */
    CHANGED,
    /**
     * The book was dropped or is not yet loaded: fetch a snapshot now, tagged with {@link
     * #epoch()}.
     */
    FETCH_SNAPSHOT,
    /**
     * The snapshot was too old: fetch another after a short delay, tagged with {@link #epoch()}.
     */
    RETRY_SNAPSHOT
  }

  /**
   * A diff, a snapshot or a top-of-book snapshot: the book's levels (or changes) as of {@code
   * timeUs}.
   */
  record Levels(long timeUs, List<Book.Level> bids, List<Book.Level> asks) {}

  private final String symbol;
  private final int maxBuffered;
  private final OrderBook book = new OrderBook();
  private final ArrayDeque<Levels> buffer = new ArrayDeque<>();
  private State state = State.UNSUBSCRIBED;

  /** Tags snapshot requests: an answer to a request from before the last (re)start is ignored. */
  private long epoch;

  private long snapshotUs;
  private long lastUs;
  private Levels pendingTop;

  /** The instant the last passed check confirmed (or the snapshot's); -1 after a restart. */
  private long verifiedUs = -1;

  /**
   * Checks have been seen to pass (kept across restarts: it is a property of the exchange's
   * streams).
   */
  private boolean checking;

  private int unverified;

  private long resyncs;
  private long staleDiffs;
  private long droppedWhileBuffering;
  private long snapshotRetries;
  private long topChecks;
  private String lastResync;

  BookSync(String symbol, int maxBuffered) {
    this.symbol = symbol;
    this.maxBuffered = maxBuffered;
  }

  State state() {
    return state;
  }

  long epoch() {
    return epoch;
  }

  /** The channel is (re)subscribed: whatever happened before is unknown, start over. */
  Action subscribed() {
    restart();
    state = State.AWAITING_SNAPSHOT;
    return Action.FETCH_SNAPSHOT;
  }

  /**
   * The channel is gone (connection lost): the book is unknown until the next subscription and
   * snapshot.
   */
  void unsubscribed() {
    restart();
    state = State.UNSUBSCRIBED;
  }

  private void restart() {
    book.clear();
    buffer.clear();
    pendingTop = null;
    verifiedUs = -1;
    epoch++;
  }

  private Action resync(String reason) {
    resyncs++;
    lastResync = reason;
    restart();
    state = State.AWAITING_SNAPSHOT;
    return Action.FETCH_SNAPSHOT;
  }

  /** A change from the stream. */
  Action diff(Levels d) {
    switch (state) {
      case UNSUBSCRIBED -> {
        return Action.NONE;
      }
      case AWAITING_SNAPSHOT -> {
        if (buffer.size() >= maxBuffered) {
          buffer.removeFirst(); // raises the bar for the snapshot: it must be newer than the first
          // diff kept
          droppedWhileBuffering++;
        }
        buffer.addLast(d);
        return Action.NONE;
      }
      default -> {
        return apply(d);
      }
    }
  }

  private Action apply(Levels d) {
    if (d.timeUs() <= snapshotUs) {
      staleDiffs++; // already in the snapshot
      return Action.NONE;
    }
    if (d.timeUs() < lastUs) {
      return resync("out-of-order diff: " + d.timeUs() + " after " + lastUs);
    }
    book.applyDiff(d.timeUs(), d.bids(), d.asks());
    lastUs = d.timeUs();
    if (++unverified > MAX_UNVERIFIED) {
      checking = false;
    }
    if (book.crossed()) {
      return resync("crossed book after the diff of " + d.timeUs());
    }
    if (pendingTop != null && pendingTop.timeUs() <= lastUs) {
      Levels t = pendingTop;
      pendingTop = null;
      if (t.timeUs() == lastUs && !matches(t)) {
        return resync("top of book of " + t.timeUs() + " differs from the book");
      }
    }
    return Action.CHANGED;
  }

  /** The answer to the snapshot request tagged {@code requestEpoch}. */
  Action snapshot(long requestEpoch, Levels s) {
    if (state != State.AWAITING_SNAPSHOT || requestEpoch != epoch) {
      return Action.NONE; // an answer to a request made before the last restart
    }
    if (!buffer.isEmpty() && s.timeUs() < buffer.peekFirst().timeUs()) {
      snapshotRetries++;
      epoch++;
      return Action.RETRY_SNAPSHOT;
    }
    book.applySnapshot(s.timeUs(), s.bids(), s.asks());
    snapshotUs = s.timeUs();
    lastUs = s.timeUs();
    verifiedUs = s.timeUs();
    unverified = 0;
    state = State.SYNCED;
    if (book.crossed()) {
      return resync("crossed snapshot of " + s.timeUs());
    }
    while (!buffer.isEmpty()) {
      if (apply(buffer.removeFirst()) == Action.FETCH_SNAPSHOT) {
        return Action.FETCH_SNAPSHOT;
      }
    }
    return Action.CHANGED;
  }

  /** A top-of-book snapshot from the check stream. */
  Action top(Levels t) {
    if (state != State.SYNCED || t.timeUs() < lastUs) {
      return Action.NONE;
    }
    if (t.timeUs() > lastUs) {
      pendingTop = t; // the book has not reached this instant yet
      return Action.NONE;
    }
    return matches(t)
        ? Action.NONE
        : resync("top of book of " + t.timeUs() + " differs from the book");
  }

  private boolean matches(Levels t) {
    topChecks++;
    Book mine = book.top(symbol, TOP_LEVELS);
    boolean ok = mine.bids().equals(t.bids()) && mine.asks().equals(t.asks());
    if (ok) {
      verifiedUs = lastUs;
      unverified = 0;
      checking = true;
    }
    return ok;
  }

  /** The best {@code depth} levels while synced, else null (the current state, verified or not). */
  Book book(int depth) {
    return state == State.SYNCED ? book.top(symbol, depth) : null;
  }

  /**
   * The best {@code depth} levels if the book may be published now: synced and, while checks are
   * known to work, confirmed at its instant by a top-of-book (or just loaded from a snapshot); else
   * null (try again later).
   */
  Book publishable(int depth) {
    return state == State.SYNCED && (!checking || verifiedUs == lastUs)
        ? book.top(symbol, depth)
        : null;
  }

  long resyncs() {
    return resyncs;
  }

  String lastResync() {
    return lastResync;
  }

  long staleDiffs() {
    return staleDiffs;
  }

  long droppedWhileBuffering() {
    return droppedWhileBuffering;
  }

  long snapshotRetries() {
    return snapshotRetries;
  }

  long topChecks() {
    return topChecks;
  }

  int levels() {
    return book.bidLevels() + book.askLevels();
  }
}
