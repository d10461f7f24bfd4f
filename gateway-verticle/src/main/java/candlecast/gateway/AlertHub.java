package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Every {@code sweepMs} the hub reads each owner's recent fires from the alert service ({@code
 * op:"fires"}) and delivers those that the log held on two sweeps in a row but that never came live
 * ({@link FireRepair}): a fire lost on the bus (published while the cluster re-formed) reaches the
 * listeners late rather than never. Live and repaired fires are delivered once each.
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

  /** How often each owner's fire log is swept (ms). */
  static final long SWEEP_MS = 10_000;

  /** Fires asked per sweep request (the service's page). */
  static final int SWEEP_PAGE = 500;

  private static final class Owner {
    final MessageConsumer<Object> consumer;
    final Future<Void> ready;
    final FireRepair repair = new FireRepair(System.currentTimeMillis());

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
  private final AtomicLong repaired = new AtomicLong();
  private final AtomicLong sweeps = new AtomicLong();
  private final long sweepTimer;
  private final DeliveryOptions sweepOptions;
  private volatile int active;
  private int users;

  AlertHub(Vertx vertx) {
    this(vertx, SWEEP_MS);
  }

  /** A hub that sweeps every {@code sweepMs}. */
  AlertHub(Vertx vertx, long sweepMs) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.sweepOptions = new DeliveryOptions().setSendTimeout(Math.max(1_000, sweepMs));
    this.sweepTimer = vertx.setPeriodic(sweepMs, id -> sweep());
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
          vertx.cancelTimer(sweepTimer);
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
    if (o.repair.live(event)) {
      fanOut(o, event);
    }
  }

  private static void fanOut(Owner o, JsonObject event) {
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

  /** Asks every owner's recent fires of the alert service and delivers what never came live. */
  private void sweep() {
    long now = System.currentTimeMillis();
    for (Map.Entry<String, Owner> e : owners.entrySet()) {
      String owner = e.getKey();
      Owner o = e.getValue();
      JsonObject req =
          new JsonObject()
              .put("op", "fires")
              .put("owner", owner)
              .put("since", o.repair.since(now))
              .put("limit", SWEEP_PAGE);
      vertx
          .eventBus()
          .<Object>request(Addresses.ALERTS, req, sweepOptions)
          .onSuccess(m -> swept(owner, o, m.body(), now))
          .onFailure(err -> LOG.debug("alert sweep of {} failed: {}", owner, err.toString()));
    }
  }

  private void swept(String owner, Owner o, Object body, long now) {
    if (owners.get(owner) != o || !(body instanceof JsonObject reply)) {
      return; // the owner's last listener left meanwhile, or a malformed reply
    }
    sweeps.incrementAndGet();
    List<JsonObject> logged = new ArrayList<>();
    for (Object f : reply.getJsonArray("fires", new JsonArray())) {
      if (f instanceof JsonObject j) {
        logged.add(j);
      }
    }
    for (JsonObject f : o.repair.sweep(logged, now)) {
      repaired.incrementAndGet();
      LOG.info(
          "alert fire {} of {} never came live: delivered from the log", f.getValue("fire"), owner);
      fanOut(o, AlertsChannel.asFrame(f));
    }
  }

  /** Fires delivered from the log because they never came live (any thread). */
  long firesRepaired() {
    return repaired.get();
  }

  /** Sweep replies handled, over all owners (any thread). */
  long sweepsDone() {
    return sweeps.get();
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
