package candlecast.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream a {@code /ws} connection subscribed to: the {@link SeriesHub} delivers its updates
 * here, and it hands them to its connection's {@link OutboundWriter} (it is its own lane there).
 * Until it is live (its snapshot is being fetched) updates are buffered, boundedly: closed candles
 * are always kept, open ones up to {@link #MAX_BUFFERED}.
 *
 * <p>Closing the connection cancels every subscription, so {@link #cancelled()} also means
 * "connection gone". Event-loop confined.
 */
abstract class Subscription extends OutboundWriter.Lane implements SeriesHub.Subscriber {
  /**
   * Live updates buffered per subscription while its snapshot is fetched (closed candles are always
   * kept).
   */
  static final int MAX_BUFFERED = 2_048;

  final StreamKey key;
  final Object id;
  final Subscriptions owner;
  private boolean cancelled;

  /** While the snapshot is fetched: live updates wait here; null once live. */
  private List<Update> buffer = new ArrayList<>(0);

  Subscription(Subscriptions owner, StreamKey key, Object id) {
    super(owner.writer);
    this.owner = owner;
    this.key = key;
    this.id = id;
  }

  /** What {@code list} says about this subscription. */
  abstract JsonObject describe();

  /**
   * Starts the stream once its consumer is registered (an ack or a snapshot, then live updates).
   * The future completes when the subscription no longer holds up the connection's next command.
   */
  abstract Future<Void> start();

  /** A live update after the snapshot: filter, throttle, then {@link #emit}. */
  abstract void live(Update u);

  final boolean cancelled() {
    return cancelled;
  }

  /** Ends the subscription: nothing more is buffered, parked or emitted. */
  void cancel() {
    cancelled = true;
    buffer = null;
    writer.forget(this);
  }

  @Override
  public final void deliver(Update u) {
    if (cancelled) {
      return;
    }
    if (buffer != null) {
      if (buffer.size() < MAX_BUFFERED || u.closed()) {
        buffer.add(u);
      } else {
        owner.env.metrics().updatesDropped.increment();
      }
      return;
    }
    live(u);
  }

  /** The update to the client: written now, or parked while the connection is congested. */
  final void emit(Update u) {
    writer.offer(this, u);
  }

  /** Whether the snapshot is still awaited (updates are buffered). */
  final boolean buffering() {
    return buffer != null;
  }

  /**
   * Ends buffering: the buffered updates go through {@link #live} in arrival order, then live ones
   * follow.
   */
  final void goLive() {
    List<Update> buffered = buffer;
    buffer = null;
    if (buffered == null) {
      return;
    }
    for (Update u : buffered) {
      if (cancelled) {
        return;
      }
      if (buffer != null) {
        buffer.add(u); // live() started holding again (a seam repair): keep the order
      } else {
        live(u);
      }
    }
  }

  /**
   * Holds {@code u} and every later update until {@link #goLive()} (a repair of the seam between
   * the snapshot and the live stream is under way).
   */
  final void holdFrom(Update u) {
    buffer = new ArrayList<>();
    buffer.add(u);
  }

  final void reply(JsonObject frame) {
    owner.flow.reply(frame);
  }

  /** Ends this subscription from its own side (e.g. history says the symbol does not exist). */
  final void drop() {
    owner.drop(this);
  }
}
