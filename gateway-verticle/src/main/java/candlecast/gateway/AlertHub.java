package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's alert fires (issue 17): one bus consumer on {@code alerts.owner.<owner>} per owner
 * with at least one listener on the node (any event loop, any protocol), ref-counted. Each fire is
 * encoded once ({@link Buffer}) and handed to the listeners with one task per event loop, not per
 * listener.
 *
 * <p>All state lives on one context (the one that created the hub); listeners are called on their
 * own {@link Listener#context()}.
 */
final class AlertHub implements Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertHub.class);
  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "alert-hub";

  /** One receiver of an owner's fires. */
  interface Listener {
    /** Where {@link #fire} runs (an event loop's own context, shared by its listeners). */
    Context context();

    /** One fire event, and the same event encoded as the {@code /ws} frame. */
    void fire(JsonObject event, Buffer frame);
  }

  private static final class Owner {
    final MessageConsumer<Object> consumer;
    final Future<Void> ready;

    /** Listeners per context, copy-on-write (read by the contexts' tasks). */
    final Map<Context, Listener[]> byContext = new LinkedHashMap<>(2);

    Owner(MessageConsumer<Object> consumer) {
      this.consumer = consumer;
      this.ready = consumer.completion();
    }

    int size() {
      int n = 0;
      for (Listener[] ls : byContext.values()) {
        n += ls.length;
      }
      return n;
    }
  }

  private final Vertx vertx;
  private final Context home;
  private final Map<String, Owner> owners = new HashMap<>();
  private final AtomicLong consumers = new AtomicLong();
  private final AtomicLong fires = new AtomicLong();
  private volatile int active;
  private int users;

  AlertHub(Vertx vertx) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
  }

  /** The node's hub (created on the first caller's context); {@link #release()} it when done. */
  static AlertHub of(Vertx vertx) {
    LocalMap<String, AlertHub> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (AlertHub.class) {
      AlertHub hub = map.get(KEY);
      if (hub == null) {
        hub = new AlertHub(vertx);
        map.put(KEY, hub);
      }
      hub.users++;
      return hub;
    }
  }

  /** The node's hub (null when no gateway instance runs), without taking a reference. */
  static AlertHub current(Vertx vertx) {
    LocalMap<String, AlertHub> map = vertx.sharedData().getLocalMap(MAP);
    return map.get(KEY);
  }

  /** Gives back an {@link #of} reference; the last one unregisters every consumer. */
  Future<Void> release() {
    LocalMap<String, AlertHub> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (AlertHub.class) {
      if (--users > 0) {
        return Future.succeededFuture();
      }
      map.remove(KEY, this);
    }
    Promise<Void> done = Promise.promise();
    home.runOnContext(
        v -> {
          for (Owner o : owners.values()) {
            o.consumer.unregister();
          }
          owners.clear();
          active = 0;
          done.complete();
        });
    return done.future();
  }

  /**
   * Adds a listener of {@code owner}'s fires; the future completes (on the caller's context) once
   * the owner's consumer is registered, so no fire published afterwards is missed.
   */
  Future<Void> join(String owner, Listener l) {
    Context caller = vertx.getOrCreateContext();
    Promise<Void> result = Promise.promise();
    home.runOnContext(
        v -> {
          Owner o = owners.get(owner);
          if (o == null) {
            MessageConsumer<Object> c =
                vertx.eventBus().consumer(Addresses.alertsOwner(owner), m -> deliver(owner, m));
            o = new Owner(c);
            owners.put(owner, o);
            active = owners.size();
            consumers.incrementAndGet();
          }
          Listener[] ls = o.byContext.getOrDefault(l.context(), new Listener[0]);
          Listener[] more = Arrays.copyOf(ls, ls.length + 1);
          more[ls.length] = l;
          o.byContext.put(l.context(), more);
          o.ready.onComplete(ar -> caller.runOnContext(x -> result.handle(ar)));
        });
    return result.future();
  }

  /** Removes a listener; the owner's last one unregisters its consumer. */
  void leave(String owner, Listener l) {
    home.runOnContext(
        v -> {
          Owner o = owners.get(owner);
          if (o == null) {
            return;
          }
          Listener[] ls = o.byContext.get(l.context());
          if (ls != null) {
            Listener[] fewer = Arrays.stream(ls).filter(x -> x != l).toArray(Listener[]::new);
            if (fewer.length == 0) {
              o.byContext.remove(l.context());
            } else {
              o.byContext.put(l.context(), fewer);
            }
          }
          if (o.byContext.isEmpty()) {
            owners.remove(owner);
            active = owners.size();
            o.consumer.unregister();
          }
        });
  }

  private void deliver(String owner, Message<Object> m) {
    Owner o = owners.get(owner);
    if (o == null || !(m.body() instanceof JsonObject event)) {
      LOG.debug("alert fire for {} dropped: {}", owner, o == null ? "no listener" : "not JSON");
      return;
    }
    fires.incrementAndGet();
    Buffer frame = event.toBuffer();
    for (Map.Entry<Context, Listener[]> e : o.byContext.entrySet()) {
      Listener[] ls = e.getValue();
      e.getKey()
          .runOnContext(
              v -> {
                for (Listener l : ls) {
                  l.fire(event, frame);
                }
              });
    }
  }

  /** Owners with a registered consumer on this node (any thread). */
  int activeOwners() {
    return active;
  }

  /** Consumers registered since creation (any thread). */
  long consumersRegistered() {
    return consumers.get();
  }

  /** Fires received from the bus (once per fire and node, whatever the number of listeners). */
  long firesReceived() {
    return fires.get();
  }

  /** Listeners of {@code owner} on this node; call on any thread (a snapshot). */
  Future<Integer> listeners(String owner) {
    Promise<Integer> p = Promise.promise();
    home.runOnContext(
        v -> {
          Owner o = owners.get(owner);
          p.complete(o == null ? 0 : o.size());
        });
    return p.future();
  }
}
