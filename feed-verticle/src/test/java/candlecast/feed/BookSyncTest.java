package candlecast.feed;

import static candlecast.feed.BookSync.Action.CHANGED;
import static candlecast.feed.BookSync.Action.FETCH_SNAPSHOT;
import static candlecast.feed.BookSync.Action.NONE;
import static candlecast.feed.BookSync.Action.RETRY_SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Book;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sync state machine against the independent {@link MarketBook}: every book it lets out is the
 * true one.
 */
class BookSyncTest {
  private final MarketBook market = new MarketBook("BTCUSD", 11, 3_000_000, 1_000_000);
  private final BookSync sync = new BookSync("BTCUSD", 1_000);

  private void assertTrue() {
    Book b = sync.book(100);
    assertThat(b).as("synced").isNotNull();
    assertThat(b).isEqualTo(market.at(b.timeUs()));
    assertThat(b).isEqualTo(market.top(100));
  }

  /**
   * Subscribes, lets {@code before} changes be buffered, takes the snapshot, then {@code after}
   * more changes.
   */
  private long syncWith(int before, int after) {
    assertThat(sync.subscribed()).isEqualTo(FETCH_SNAPSHOT);
    long epoch = sync.epoch();
    List<MarketBook.Change> buffered = new ArrayList<>();
    for (int i = 0; i < before; i++) {
      buffered.add(market.next());
    }
    BookSync.Levels snap = market.snapshot();
    for (MarketBook.Change c : buffered) {
      assertThat(sync.diff(c.levels())).isEqualTo(NONE);
    }
    for (int i = 0; i < after; i++) {
      assertThat(sync.diff(market.next().levels())).isEqualTo(NONE);
    }
    assertThat(sync.book(100)).as("nothing before the snapshot").isNull();
    return snapshot(epoch, snap);
  }

  private long snapshot(long epoch, BookSync.Levels snap) {
    assertThat(sync.snapshot(epoch, snap)).isEqualTo(CHANGED);
    return sync.staleDiffs();
  }

  @Test
  void snapshotAfterBufferedDiffsDropsTheOlderOnesAndAppliesTheNewer() {
    long stale = syncWith(5, 7);
    assertThat(stale).as("the 5 diffs before the snapshot are in it").isEqualTo(5);
    assertTrue();
    for (int i = 0; i < 200; i++) {
      assertThat(sync.diff(market.next().levels())).isEqualTo(CHANGED);
      assertTrue();
    }
    assertThat(sync.resyncs()).isZero();
  }

  @Test
  void aSnapshotOlderThanTheFirstBufferedDiffIsFetchedAgain() {
    sync.subscribed();
    BookSync.Levels old =
        market.snapshot(); // served from a stale cache: diffs between it and the stream are lost
    MarketBook.Change missed = market.next();
    MarketBook.Change seen = market.next();
    assertThat(missed.timeUs()).isLessThan(seen.timeUs());
    sync.diff(seen.levels());
    assertThat(sync.snapshot(sync.epoch(), old)).isEqualTo(RETRY_SNAPSHOT);
    assertThat(sync.book(10)).isNull();
    assertThat(sync.snapshotRetries()).isEqualTo(1);
    long epoch = sync.epoch();
    assertThat(sync.snapshot(epoch - 1, market.snapshot()))
        .as("an answer to the earlier request")
        .isEqualTo(NONE);
    sync.diff(market.next().levels());
    snapshot(epoch, market.snapshot());
    assertTrue();
  }

  @Test
  void anOutOfOrderDiffDropsTheBookUntilAFreshSnapshot() {
    syncWith(0, 0);
    MarketBook.Change older = market.next();
    MarketBook.Change newer = market.next();
    assertThat(sync.diff(newer.levels())).isEqualTo(CHANGED);
    assertThat(sync.diff(older.levels())).isEqualTo(FETCH_SNAPSHOT);
    assertThat(sync.book(100)).as("never a wrong book").isNull();
    assertThat(sync.lastResync()).startsWith("out-of-order diff");
    long epoch = sync.epoch();
    sync.diff(market.next().levels());
    snapshot(epoch, market.snapshot());
    assertTrue();
    assertThat(sync.resyncs()).isEqualTo(1);
  }

  @Test
  void aDiffNotNewerThanTheSnapshotIsAlreadyInIt() {
    syncWith(0, 0);
    long at = market.timeUs();
    assertThat(sync.diff(new BookSync.Levels(at, List.of(new Book.Level(1, 0)), List.of())))
        .isEqualTo(NONE);
    assertThat(sync.staleDiffs()).isEqualTo(1);
    assertTrue();
  }

  @Test
  void aCrossingDiffOrSnapshotTriggersAResync() {
    syncWith(0, 0);
    Book now = market.top(1);
    BookSync.Levels crossing =
        new BookSync.Levels(
            market.timeUs() + 1, List.of(new Book.Level(now.bestAsk(), 1)), List.of());
    assertThat(sync.diff(crossing)).isEqualTo(FETCH_SNAPSHOT);
    assertThat(sync.lastResync()).startsWith("crossed book");
    BookSync.Levels crossedSnapshot =
        new BookSync.Levels(
            market.timeUs(), List.of(new Book.Level(10, 1)), List.of(new Book.Level(9, 1)));
    assertThat(sync.snapshot(sync.epoch(), crossedSnapshot)).isEqualTo(FETCH_SNAPSHOT);
    assertThat(sync.lastResync()).startsWith("crossed snapshot");
    assertThat(sync.book(1)).isNull();
  }

  @Test
  void aMissedDiffIsCaughtByTheNextTopOfBookWithTheSameTime() {
    syncWith(0, 0);
    MarketBook.Change lost = market.next();
    MarketBook.Change next = market.next();
    // the top-of-book of the lost change arrives before the book reached that instant: it waits,
    // then is skipped
    assertThat(
            sync.top(
                new BookSync.Levels(
                    lost.timeUs(),
                    market.at(lost.timeUs()).bids(),
                    market.at(lost.timeUs()).asks())))
        .isEqualTo(NONE);
    assertThat(sync.diff(next.levels())).isEqualTo(CHANGED);
    Book truth = market.at(next.timeUs());
    BookSync.Action a = sync.top(new BookSync.Levels(next.timeUs(), truth.bids(), truth.asks()));
    boolean visible = !lost.bids().isEmpty() || !lost.asks().isEmpty();
    assertThat(visible).isTrue();
    assertThat(a).isEqualTo(FETCH_SNAPSHOT);
    assertThat(sync.lastResync()).contains("differs from the book");
  }

  @Test
  void aTopOfBookThatArrivesBeforeItsDiffIsCheckedWhenTheBookGetsThere() {
    syncWith(0, 0);
    MarketBook.Change c = market.next();
    Book truth = market.at(c.timeUs());
    assertThat(sync.top(new BookSync.Levels(c.timeUs(), truth.bids(), truth.asks())))
        .isEqualTo(NONE);
    long checks = sync.topChecks();
    assertThat(sync.diff(c.levels())).isEqualTo(CHANGED);
    assertThat(sync.topChecks()).isEqualTo(checks + 1);
    assertThat(sync.resyncs()).isZero();
  }

  @Test
  void unsubscribedKnowsNothingAndIgnoresEverything() {
    syncWith(2, 2);
    sync.unsubscribed();
    assertThat(sync.book(10)).isNull();
    assertThat(sync.diff(market.next().levels())).isEqualTo(NONE);
    assertThat(sync.snapshot(sync.epoch(), market.snapshot())).isEqualTo(NONE);
    assertThat(sync.state()).isEqualTo(BookSync.State.UNSUBSCRIBED);
  }

  @Test
  void aFullBufferDropsItsOldestDiffsAndTheSnapshotMustBeNewerThanTheFirstKept() {
    BookSync small = new BookSync("BTCUSD", 3);
    small.subscribed();
    long epoch = small.epoch();
    BookSync.Levels early = market.snapshot();
    List<MarketBook.Change> changes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      changes.add(market.next());
      small.diff(changes.get(i).levels());
    }
    assertThat(small.droppedWhileBuffering()).isEqualTo(2);
    assertThat(small.snapshot(epoch, early)).isEqualTo(RETRY_SNAPSHOT);
    assertThat(small.snapshot(small.epoch(), market.snapshot())).isEqualTo(CHANGED);
    assertThat(small.book(100)).isEqualTo(market.top(100));
  }

  /**
   * Once checks work, a book is publishable only at a checked instant: a lost diff never reaches a
   * reader.
   */
  @Test
  void aBookIsPublishableOnlyOnceATopOfBookConfirmedItsInstant() {
    syncWith(0, 0);
    assertThat(sync.publishable(10)).as("just loaded from the snapshot").isNotNull();
    MarketBook.Change c = market.next();
    sync.diff(c.levels());
    assertThat(sync.publishable(10)).as("checks not seen yet: published unverified").isNotNull();
    Book truth = market.at(c.timeUs());
    sync.top(new BookSync.Levels(c.timeUs(), truth.bids(), truth.asks()));
    MarketBook.Change lost = market.next();
    MarketBook.Change next = market.next();
    sync.diff(next.levels());
    assertThat(sync.book(100))
        .as("the current state misses a change")
        .isNotEqualTo(market.at(next.timeUs()));
    assertThat(sync.publishable(100)).as("not confirmed: withheld").isNull();
    Book t2 = market.at(next.timeUs());
    assertThat(sync.top(new BookSync.Levels(next.timeUs(), t2.bids(), t2.asks())))
        .isEqualTo(FETCH_SNAPSHOT);
    assertThat(lost.timeUs()).isLessThan(next.timeUs());
    // without checks for too long, books are published unverified again
    long epoch = sync.epoch();
    snapshot(epoch, market.snapshot());
    for (int i = 0; i <= BookSync.MAX_UNVERIFIED; i++) {
      sync.diff(market.next().levels());
    }
    assertThat(sync.publishable(10)).isEqualTo(market.top(10));
  }

  /**
   * A long random run with everything a stream can do wrong — lost diffs, old diffs sent again,
   * duplicates, snapshots that are late, early or answer an older request, reconnects: after every
   * message a publishable book is exactly the true book at its instant, and after every top-of-book
   * message so is the current book.
   */
  @Test
  void underRandomFaultsEveryBookLetOutIsTheTrueOne() {
    Random rnd = new Random(5);
    List<MarketBook.Change> sent = new ArrayList<>();
    List<Long> pendingRequests = new ArrayList<>();
    pendingRequests.add(sync.subscribed() == FETCH_SNAPSHOT ? sync.epoch() : -1);
    int withheld = 0;
    int correct = 0;
    for (int step = 0; step < 20_000; step++) {
      MarketBook.Change c = market.next();
      sent.add(c);
      int fault = rnd.nextInt(200);
      BookSync.Action a;
      if (fault == 0) {
        a = NONE; // lost
      } else if (fault == 1 && sent.size() > 3) {
        a = sync.diff(sent.get(sent.size() - 2 - rnd.nextInt(2)).levels()); // an old one again
        a = merge(a, sync.diff(c.levels()));
      } else if (fault == 2) {
        a = merge(sync.diff(c.levels()), sync.diff(c.levels())); // duplicate
      } else if (fault == 3) {
        sync.unsubscribed();
        a = sync.subscribed();
      } else {
        a = sync.diff(c.levels());
      }
      if (a == FETCH_SNAPSHOT || a == RETRY_SNAPSHOT) {
        pendingRequests.add(sync.epoch());
      }
      assertPublishableIsTrue(step);
      if (!pendingRequests.isEmpty() && rnd.nextInt(4) == 0) {
        long epoch = pendingRequests.remove(rnd.nextInt(pendingRequests.size()));
        BookSync.Action s = sync.snapshot(epoch, market.snapshot());
        if (s == FETCH_SNAPSHOT || s == RETRY_SNAPSHOT) {
          pendingRequests.add(sync.epoch());
        }
      }
      Book truth = market.at(c.timeUs());
      BookSync.Action t = sync.top(new BookSync.Levels(c.timeUs(), truth.bids(), truth.asks()));
      if (t == FETCH_SNAPSHOT) {
        pendingRequests.add(sync.epoch());
      }
      Book b = sync.book(100);
      if (b == null) {
        withheld++;
      } else {
        assertThat(b).as("step %d", step).isEqualTo(market.at(b.timeUs()));
        correct++;
      }
      if (sync.state() == BookSync.State.AWAITING_SNAPSHOT && pendingRequests.isEmpty()) {
        pendingRequests.add(sync.epoch()); // the caller always has a request out while awaiting
      }
    }
    assertThat(correct).as("mostly synced").isGreaterThan(15_000);
    assertThat(withheld).isPositive();
    assertThat(sync.resyncs()).isPositive();
  }

  private void assertPublishableIsTrue(int step) {
    Book p = sync.publishable(100);
    if (p != null) {
      assertThat(p).as("publishable at step %d", step).isEqualTo(market.at(p.timeUs()));
    }
  }

  private static BookSync.Action merge(BookSync.Action a, BookSync.Action b) {
    return a == FETCH_SNAPSHOT || b == FETCH_SNAPSHOT ? FETCH_SNAPSHOT : b;
  }
}
