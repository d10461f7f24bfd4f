package candlecast.gateway;

import candlecast.common.DecodeException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out of streams (candle series and tickers) to local subscribers: one event-bus consumer per
 * stream that has at least one subscriber, registered with the first and unregistered after the
 * last. Each update is decoded and encoded once ({@link StreamKey#toUpdate}); the same {@link
 * Update} (and its buffer) goes to every subscriber.
 *
 * <p>Not thread-safe: use it from one context (the owning verticle's). The counters may be read
 * from any thread.
 */
public final class SeriesHub {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesHub.class);
  private static final Subscriber[] NONE = new Subscriber[0];

  /** One receiver of updates, typically one subscription of a WebSocket connection. */
  public interface Subscriber {
    /** Takes one update (shared: must not be modified). Never throws. */
    void deliver(Update update);

    /**
     * Told that closed windows of a candle series will not come ({@link SeriesGap}; the notice is
     * shared and comes right before the next window delivered). Never throws. Ignored by default.
     */
    default void gap(Update notice) {}
  }

  /** Told when a stream's local subscriber count changes (for /connections). */
  public interface CountListener {
    void changed(String address, int delta);
  }

  private final EventBus bus;
  private final CountListener counts;
  private final LongConsumer fanoutNanos;
  private final Map<StreamKey, Series> series = new HashMap<>();
  private final AtomicLong registrations = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final SeriesRepair.Counters repairs = new SeriesRepair.Counters();
  private final SeriesRepair.Policy repairPolicy;
  private volatile int activeSeries;

  public SeriesHub(EventBus bus) {
    this(bus, (a, d) -> {}, n -> {});
  }

  public SeriesHub(EventBus bus, CountListener counts, LongConsumer fanoutNanos) {
    this(bus, counts, fanoutNanos, SeriesRepair.Policy.once(5_000));
  }

  /**
   * With the repair's retries: each history request waits {@code historyTimeoutMs}, and a hole is
   * asked for again until {@code giveUpMs} after it was seen (issue 19).
   */
  public SeriesHub(
      Vertx vertx,
      CountListener counts,
      LongConsumer fanoutNanos,
      long historyTimeoutMs,
      long giveUpMs) {
    this(
        vertx.eventBus(),
        counts,
        fanoutNanos,
        new SeriesRepair.Policy(vertx, historyTimeoutMs, giveUpMs));
  }

  private SeriesHub(
      EventBus bus, CountListener counts, LongConsumer fanoutNanos, SeriesRepair.Policy policy) {
    this.bus = bus;
    this.counts = counts;
    this.fanoutNanos = fanoutNanos;
    this.repairPolicy = policy;
  }

  /**
   * Adds {@code s} to the stream, registering its consumer if it is the first subscriber. The
   * future completes when the consumer registration has completed (at once for a stream that is
   * already registered); updates reach the subscriber only after that. On failure the subscriber is
   * no longer subscribed.
   */
  public Future<Void> subscribe(StreamKey key, Subscriber s) {
    return subscribe0(key, s);
  }

  /**
   * The hub's own instance of {@code key} when the stream has subscribers, else {@code key} (issue
   * 20: subscribers of one stream share one key object instead of one each).
   */
  @SuppressWarnings("unchecked")
  <K extends StreamKey> K canonical(K key) {
    Series ser = series.get(key);
    return ser == null ? key : (K) ser.key;
  }

  private Future<Void> subscribe0(StreamKey key, Subscriber s) {
    Series ser = series.get(key);
    if (ser == null) {
      ser = open(key);
    }
    if (ser.add(s)) {
      counts.changed(key.address(), 1);
    }
    return ser.ready;
  }

  /**
   * Removes {@code s} from the stream; unregisters the consumer when it was the last subscriber.
   *
   * @return whether {@code s} was subscribed
   */
  public boolean unsubscribe(StreamKey key, Subscriber s) {
    Series ser = series.get(key);
    if (ser == null) {
      return false;
    }
    boolean removed = ser.remove(s);
    if (removed) {
      counts.changed(key.address(), -1);
    }
    if (ser.subscribers.length == 0) {
      close(ser);
    }
    return removed;
  }

  /** Unregisters every consumer (verticle stop). */
  public Future<Void> closeAll() {
    List<Future<Void>> all = new ArrayList<>();
    for (Series ser : new ArrayList<>(series.values())) {
      if (ser.subscribers.length > 0) {
        counts.changed(ser.key.address(), -ser.subscribers.length);
      }
      ser.subscribers = NONE;
      all.add(close(ser));
    }
    return Future.join(all).mapEmpty();
  }

  /** Streams with a registered (or registering) consumer. */
  public int activeSeries() {
    return activeSeries;
  }

  /** Consumers registered since creation (one per first subscriber of a stream). */
  public long consumersRegistered() {
    return registrations.get();
  }

  /** Event-bus messages received by the consumers. */
  public long updatesReceived() {
    return received.get();
  }

  /** Updates handed to a subscriber. */
  public long deliveredUpdates() {
    return delivered.get();
  }

  /** Event-bus messages that were not an update of their stream. */
  public long malformedUpdates() {
    return malformed.get();
  }

  /** Re-published candle updates dropped (windows already forwarded closed). */
  public long republishedDropped() {
    return repairs.dropped().get();
  }

  /** Holes in a series' closed windows seen (closes lost on the bus). */
  public long holesSeen() {
    return repairs.holes().get();
  }

  /** Closed windows fetched from history to fill holes. */
  public long windowsRepaired() {
    return repairs.repaired().get();
  }

  /** Holes that could not be filled (history failed, or too many updates waited). */
  public long repairsFailed() {
    return repairs.failed().get();
  }

  /** History requests of a repair asked again after a retryable failure. */
  public long repairRetries() {
    return repairs.retries().get();
  }

  /** Gap notices sent (runs of closed windows announced missing, see {@link SeriesGap}). */
  public long gapsAnnounced() {
    return repairs.announced().get();
  }

  /** Subscribers of one stream (0 when none). */
  public int subscribers(StreamKey key) {
    Series ser = series.get(key);
    return ser == null ? 0 : ser.subscribers.length;
  }

  private Series open(StreamKey key) {
    MessageConsumer<Object> consumer = bus.consumer(key.address());
    Series ser = new Series(key, consumer);
    consumer.handler(msg -> ser.deliver(msg.body()));
    series.put(key, ser);
    activeSeries = series.size();
    registrations.incrementAndGet();
    // This listener is attached before any subscriber's, so the stream is live before the first ack
    // is written.
    ser.ready =
        consumer
            .completion()
            .onSuccess(
                v -> {
                  ser.registered = true;
                  if (ser.repair != null) {
                    ser.repair.prime(ser);
                  }
                })
            .onFailure(
                err -> {
                  LOG.warn("cannot register consumer for {}: {}", key.address(), err.getMessage());
                  if (ser.subscribers.length > 0) {
                    counts.changed(key.address(), -ser.subscribers.length);
                  }
                  ser.subscribers = NONE;
                  if (series.get(key) == ser) {
                    series.remove(key);
                    activeSeries = series.size();
                  }
                });
    return ser;
  }

  private Future<Void> close(Series ser) {
    if (ser.repair != null) {
      ser.repair.close();
    }
    if (series.get(ser.key) == ser) {
      series.remove(ser.key);
      activeSeries = series.size();
    }
    return ser.consumer
        .unregister()
        .onFailure(
            err ->
                LOG.debug(
                    "unregistering consumer of {} failed: {}",
                    ser.key.address(),
                    err.getMessage()));
  }

  private final class Series implements SeriesRepair.Sink {
    final StreamKey key;
    final MessageConsumer<Object> consumer;

    /** Candle series only: keeps the closed windows whole (null for other streams). */
    final SeriesRepair repair;

    Future<Void> ready;
    boolean registered;

    /** Copy-on-write: subscriptions change rarely, updates are frequent. */
    Subscriber[] subscribers = NONE;

    Series(StreamKey key, MessageConsumer<Object> consumer) {
      this.key = key;
      this.consumer = consumer;
      this.repair =
          key instanceof SeriesKey sk ? new SeriesRepair(sk, bus, repairs, repairPolicy) : null;
    }

    boolean add(Subscriber s) {
      for (Subscriber x : subscribers) {
        if (x == s) {
          return false;
        }
      }
      Subscriber[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
      next[subscribers.length] = s;
      subscribers = next;
      return true;
    }

    boolean remove(Subscriber s) {
      Subscriber[] cur = subscribers;
      for (int i = 0; i < cur.length; i++) {
        if (cur[i] == s) {
          Subscriber[] next = new Subscriber[cur.length - 1];
          System.arraycopy(cur, 0, next, 0, i);
          System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
          subscribers = next;
          return true;
        }
      }
      return false;
    }

    void deliver(Object body) {
      received.incrementAndGet();
      Subscriber[] subs = subscribers;
      if (!registered || subs.length == 0) {
        return;
      }
      long start = System.nanoTime();
      Update u;
      try {
        u = key.toUpdate(body);
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        long n = malformed.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th ...: visible without flooding the log
          LOG.warn(
              "dropping malformed update on {} ({} so far): {}", key.address(), n, e.getMessage());
        }
        return;
      }
      if (repair == null) {
        fanOut(u);
      } else {
        repair.accept(u, this);
      }
      fanoutNanos.accept(System.nanoTime() - start);
    }

    @Override
    public void accept(Update u) {
      fanOut(u);
    }

    @Override
    public void gap(Update notice) {
      for (Subscriber s : subscribers) {
        try {
          s.gap(notice);
        } catch (RuntimeException e) {
          failures.incrementAndGet();
          LOG.warn("subscriber of {} failed on a gap notice", key.address(), e);
        }
      }
    }

    void fanOut(Update u) {
      Subscriber[] subs = subscribers;
      delivered.addAndGet(subs.length);
      for (Subscriber s : subs) {
        try {
          s.deliver(u);
        } catch (RuntimeException e) {
          // one broken subscriber must never cost the others their update
          long n = failures.incrementAndGet();
          if (Long.bitCount(n) == 1) {
            LOG.warn("subscriber of {} failed ({} so far)", key.address(), n, e);
          }
        }
      }
    }
  }
}
