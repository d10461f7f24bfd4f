package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscription the client keeps and restores after every reconnect. It is a {@link
 * Flow.Publisher} of {@link StreamEvent}s (hot: a subscriber gets what is delivered after it
 * subscribed) and calls its {@link StreamListener} when one was given. Without a listener the
 * server subscription starts at the first {@link #subscribe}.
 *
 * @param <T> the item model
 */
public abstract class Subscription<T> implements Flow.Publisher<StreamEvent<T>> {
  enum Phase {
    NEW,
    AWAIT_ACK,
    AWAIT_SNAPSHOT,
    LIVE,
    RETRY_WAIT,
    CLOSED
  }

  /** Counters of a subscription. */
  public static final class Stats {
    private final AtomicLong unrecovered = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();

    /**
     * Resumes the server could not recover (a {@code recovered == FALSE} snapshot was delivered).
     *
     * @return the count
     */
    public long unrecovered() {
      return unrecovered.get();
    }

    /**
     * Resubscriptions after the first one (reconnects, gap markers, retries).
     *
     * @return the count
     */
    public long resumes() {
      return resumes.get();
    }

    /**
     * Gap notices of the server acted upon (trades: a {@code gap} marker; candles: a {@code gap}
     * notice for windows that will not come live); each one resubscribes, so it is in {@link
     * #resumes()} too.
     *
     * @return the count
     */
    public long gaps() {
      return gaps.get();
    }
  }

  final Connection conn;
  final String channel;
  String symbol;
  final String tf;
  private final StreamListener<T> listener;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Stats stats = new Stats();
  private SubmissionPublisher<StreamEvent<T>> publisher;
  Phase phase = Phase.NEW;
  String commandId;
  int retries;
  boolean delivered;
  boolean timedOut;

  Subscription(
      Connection conn, String channel, String symbol, String tf, StreamListener<T> listener) {
    this.conn = conn;
    this.channel = channel;
    this.symbol = symbol;
    this.tf = tf;
    this.listener = listener;
  }

  /**
   * Completes when the first ack and snapshot were delivered; fails with the server's error.
   *
   * @return the future
   */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /**
   * This subscription's counters.
   *
   * @return the stats
   */
  public Stats stats() {
    return stats;
  }

  /**
   * The canonical symbol once acked (the one given before), or null for symbol-less channels.
   *
   * @return the symbol
   */
  public String symbol() {
    return symbol;
  }

  /**
   * Unsubscribes and completes the publisher's subscribers.
   *
   * @return completes when the server confirmed (or at once when not connected)
   */
  public CompletableFuture<Void> close() {
    return conn.unsubscribe(this);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super StreamEvent<T>> subscriber) {
    SubmissionPublisher<StreamEvent<T>> p;
    synchronized (this) {
      if (publisher == null) {
        publisher = new SubmissionPublisher<>(conn.publisherExecutor(), conn.publisherBuffer());
      }
      p = publisher;
    }
    p.subscribe(subscriber);
    conn.open(this);
  }

  boolean hasListener() {
    return listener != null;
  }

  // ---- hooks of the channels (all called on the client's event thread) ----

  /**
   * The subscribe command (without id), with the resume parameters when something was delivered.
   */
  abstract ObjectNode subscribeCommand();

  /** The unsubscribe command (without id). */
  abstract ObjectNode unsubscribeCommand();

  /**
   * The key live frames of this subscription are routed by (after the ack named the canonical
   * symbol).
   */
  abstract String routeKey();

  /** Whether a snapshot frame follows the ack. */
  abstract boolean expectsSnapshot();

  /** The snapshot frame of the current subscribe command. */
  abstract void onSnapshot(JsonNode frame);

  /** A live frame routed to this subscription. */
  abstract void onFrame(JsonNode frame);

  void onAck(JsonNode ack) {
    JsonNode s = ack.get("symbol");
    if (s != null && s.isTextual()) {
      symbol = s.textValue();
    }
  }

  /**
   * Whether a server error on subscribing may go away by itself (then the subscribe is retried).
   */
  boolean transientError(String code) {
    return code.endsWith("_unavailable") || "subscribe_failed".equals(code);
  }

  /**
   * Whether a server error after the ack only says "nothing yet" (the subscription stays and items
   * follow).
   */
  boolean softError(String code) {
    return false;
  }

  // ---- delivery ----

  final void emitSnapshot(Boolean recovered, List<T> items) {
    if (Boolean.FALSE.equals(recovered)) {
      stats.unrecovered.incrementAndGet();
    }
    delivered = true;
    StreamEvent.Snapshot<T> s =
        new StreamEvent.Snapshot<>(symbol, tf, recovered, List.copyOf(items));
    if (listener != null) {
      conn.guard(() -> listener.onSnapshot(s));
    }
    submit(s);
  }

  final void emitUpdate(T item) {
    delivered = true;
    if (listener != null) {
      conn.guard(() -> listener.onUpdate(item));
    }
    submit(new StreamEvent.Update<>(item));
  }

  private void submit(StreamEvent<T> e) {
    SubmissionPublisher<StreamEvent<T>> p;
    synchronized (this) {
      p = publisher;
    }
    if (p != null && p.hasSubscribers()) {
      p.submit(e);
    }
  }

  final void fail(CandlecastException e) {
    if (listener != null) {
      conn.guard(() -> listener.onError(e));
    }
    ready.completeExceptionally(e);
    finish(e);
  }

  final void finish(Throwable error) {
    phase = Phase.CLOSED;
    SubmissionPublisher<StreamEvent<T>> p;
    synchronized (this) {
      p = publisher;
    }
    if (p != null) {
      if (error == null) {
        p.close();
      } else {
        p.closeExceptionally(error);
      }
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(
          new CandlecastException(CandlecastException.CLOSED, "subscription closed"));
    }
  }

  /** The subscription is live again (or for the first time). */
  final void restored() {
    phase = Phase.LIVE;
    retries = 0;
    ready.complete(null);
    conn.restored(this);
  }

  /** Counted for every subscribe after the first. */
  final void countResume() {
    stats.resumes.incrementAndGet();
  }

  /** Counted for every gap notice acted upon. */
  final void countGap() {
    stats.gaps.incrementAndGet();
  }

  /** Drop what the server holds and subscribe again now (a gap marker or a skipped window). */
  final void resync() {
    conn.resubscribe(this, 0);
  }
}
