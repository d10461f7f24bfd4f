package candlecast.gateway;

import candlecast.common.Candle;
import candlecast.common.Codecs;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out of candle series to local subscribers: one event-bus consumer per series that has at least one subscriber,
 * registered with the first and unregistered after the last. Each update is decoded and encoded once; the same
 * {@link Buffer} goes to every subscriber. A subscriber whose write queue is full skips that update (counted in
 * {@link #droppedUpdates()}).
 *
 * <p>Not thread-safe: use it from one context (the owning verticle's). The counters may be read from any thread.
 */
public final class SeriesHub {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesHub.class);
  private static final Subscriber[] NONE = new Subscriber[0];

  /** One receiver of updates, typically a WebSocket connection. */
  public interface Subscriber {
    /** True when the subscriber cannot take more right now; the update is then skipped for it. */
    boolean writeQueueFull();

    /** Sends one encoded update frame (shared: must not be modified). */
    void send(Buffer update);
  }

  private final EventBus bus;
  private final Map<SeriesKey, Series> series = new HashMap<>();
  private final AtomicLong registrations = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile int activeSeries;

  public SeriesHub(EventBus bus) {
    this.bus = bus;
  }

  /**
   * Adds {@code s} to the series, registering its consumer if it is the first subscriber. The future completes when
   * the consumer registration has completed (at once for a series that is already registered); updates reach the
   * subscriber only after that. On failure the subscriber is no longer subscribed.
   */
  public Future<Void> subscribe(SeriesKey key, Subscriber s) {
    Series ser = series.get(key);
    if (ser == null) {
      ser = open(key);
    }
    ser.add(s);
    return ser.ready;
  }

  /**
   * Removes {@code s} from the series; unregisters the consumer when it was the last subscriber.
   *
   * @return whether {@code s} was subscribed
   */
  public boolean unsubscribe(SeriesKey key, Subscriber s) {
    Series ser = series.get(key);
    if (ser == null) {
      return false;
    }
    boolean removed = ser.remove(s);
    if (ser.subscribers.length == 0) {
      close(ser);
    }
    return removed;
  }

  /** Unregisters every consumer (verticle stop). */
  public Future<Void> closeAll() {
    List<Future<Void>> all = new ArrayList<>();
    for (Series ser : new ArrayList<>(series.values())) {
      ser.subscribers = NONE;
      all.add(close(ser));
    }
    return Future.join(all).mapEmpty();
  }

  /** Series with a registered (or registering) consumer. */
  public int activeSeries() {
    return activeSeries;
  }

  /** Consumers registered since creation (one per first subscriber of a series). */
  public long consumersRegistered() {
    return registrations.get();
  }

  /** Updates written to a subscriber. */
  public long deliveredUpdates() {
    return delivered.get();
  }

  /** Updates skipped for a subscriber whose write queue was full. */
  public long droppedUpdates() {
    return dropped.get();
  }

  /** Event-bus messages that were not a candle of their series. */
  public long malformedUpdates() {
    return malformed.get();
  }

  /** Subscribers of one series (0 when none). */
  public int subscribers(SeriesKey key) {
    Series ser = series.get(key);
    return ser == null ? 0 : ser.subscribers.length;
  }

  private Series open(SeriesKey key) {
    MessageConsumer<Object> consumer = bus.consumer(key.address());
    Series ser = new Series(key, consumer);
    consumer.handler(msg -> ser.deliver(msg.body()));
    series.put(key, ser);
    activeSeries = series.size();
    registrations.incrementAndGet();
    // This listener is attached before any subscriber's, so the series is live before the first ack is written.
    ser.ready = consumer.completion()
        .onSuccess(v -> ser.registered = true)
        .onFailure(err -> {
          LOG.warn("cannot register consumer for {}: {}", key.address(), err.getMessage());
          ser.subscribers = NONE;
          if (series.get(key) == ser) {
            series.remove(key);
            activeSeries = series.size();
          }
        });
    return ser;
  }

  private Future<Void> close(Series ser) {
    if (series.get(ser.key) == ser) {
      series.remove(ser.key);
      activeSeries = series.size();
    }
    return ser.consumer.unregister().onFailure(err ->
        LOG.debug("unregistering consumer of {} failed: {}", ser.key.address(), err.getMessage()));
  }

  private final class Series {
    final SeriesKey key;
    final MessageConsumer<Object> consumer;
    Future<Void> ready;
    boolean registered;
    /** Copy-on-write: subscriptions change rarely, updates are frequent. */
    Subscriber[] subscribers = NONE;

    Series(SeriesKey key, MessageConsumer<Object> consumer) {
      this.key = key;
      this.consumer = consumer;
    }

    void add(Subscriber s) {
      for (Subscriber x : subscribers) {
        if (x == s) {
          return;
        }
      }
      Subscriber[] next = Arrays.copyOf(subscribers, subscribers.length + 1);
      next[subscribers.length] = s;
      subscribers = next;
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
      Subscriber[] subs = subscribers;
      if (!registered || subs.length == 0) {
        return;
      }
      Buffer frame = encode(body);
      if (frame == null) {
        return;
      }
      for (Subscriber s : subs) {
        if (s.writeQueueFull()) {
          dropped.incrementAndGet();
        } else {
          delivered.incrementAndGet();
          s.send(frame);
        }
      }
    }

    private Buffer encode(Object body) {
      String problem;
      if (body instanceof JsonObject json) {
        try {
          Candle c = Codecs.candleFromJson(json);
          if (c.symbol().equals(key.symbol()) && c.tf() == key.tf()) {
            return Frames.candleUpdate(c);
          }
          problem = "candle of " + c.symbol() + "." + c.tf().label() + " on the address of another series";
        } catch (Codecs.DecodeException e) {
          problem = e.getMessage();
        }
      } else {
        problem = "body is " + (body == null ? "null" : body.getClass().getSimpleName()) + ", not a JSON object";
      }
      long n = malformed.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th ...: visible without flooding the log
        LOG.warn("dropping malformed update on {} ({} so far): {}", key.address(), n, problem);
      }
      return null;
    }
  }
}
