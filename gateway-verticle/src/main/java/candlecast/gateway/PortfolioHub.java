package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The node's live portfolio valuations (issue 17): for each owner with at least one subscriber, its
 * record (asked of {@code candlecast.portfolio}, refreshed when it changes through this node and
 * every {@link #REFRESH_MS} ms otherwise) and the tickers of its symbols (one consumer of {@code
 * ticker.<SYMBOL>} per symbol per node, shared by every owner holding it). A change recomputes the
 * owner's {@link PortfolioValuation}, at most once per {@code gateway.portfolio-interval-ms} (the
 * newest tickers at that moment win); each frame is encoded once per owner (and once per {@code
 * /ws/portfolio} symbol spelling) and handed to every subscriber, one task per subscriber context
 * ({@link PortfolioOwner}).
 *
 * <p>Shared by the node's gateway instances; lives on the context that created it (all its state is
 * touched there only).
 */
final class PortfolioHub implements Shareable {
  static final long REFRESH_MS = 5_000;
  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "portfolio-hub";

  /** A connection's interest in an owner's valuation. */
  interface Subscriber {
    /** The context the subscriber's frames are written on. */
    Context context();

    /**
     * Null for the JSON {@code portfolio} frame; else the {@code /ws/portfolio} symbol as written.
     */
    String spelling();

    /** The canonical symbol of a {@code /ws/portfolio} subscription (null for JSON). */
    String symbol();

    /** Called on {@link #context()}. */
    void write(Update u);
  }

  final Vertx vertx;
  final Context home;
  final long intervalMs;
  final long refreshMs;
  final LongSupplier clock;
  private final Map<String, PortfolioOwner> owners = new HashMap<>();
  private final Map<String, Follow> symbols = new HashMap<>();
  private int users;
  long frames;

  /** One followed ticker: its consumer, its newest value and the owners holding the symbol. */
  private static final class Follow {
    final MessageConsumer<Object> consumer;
    final Set<PortfolioOwner> owners = new HashSet<>();
    JsonObject ticker;

    Follow(MessageConsumer<Object> consumer) {
      this.consumer = consumer;
    }
  }

  PortfolioHub(Vertx vertx, long intervalMs, long refreshMs, LongSupplier clock) {
    this.vertx = vertx;
    this.home = ((io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext()).unwrap();
    this.intervalMs = intervalMs;
    this.refreshMs = refreshMs;
    this.clock = clock;
    this.changes =
        vertx
            .eventBus()
            .consumer(
                Addresses.PORTFOLIO_CHANGED,
                m -> {
                  if (m.body() instanceof JsonObject j
                      && j.getValue("owner") instanceof String o
                      && j.getValue("record") instanceof JsonObject r) {
                    PortfolioOwner po = owners.get(o);
                    if (po != null) {
                      po.record(r);
                    }
                  }
                });
  }

  private final MessageConsumer<Object> changes;

  /** Bridge registrations of {@code portfolio.<owner>} on this node, per owner. */
  private final Map<String, BridgeOwner> bridged = new HashMap<>();

  /** The node's one subscriber of an owner for the bridge: publishes each frame on this node. */
  private final class BridgeOwner implements Subscriber {
    final String owner;
    int registrations;
    boolean live;

    BridgeOwner(String owner) {
      this.owner = owner;
    }

    @Override
    public Context context() {
      return home;
    }

    @Override
    public String spelling() {
      return null;
    }

    @Override
    public String symbol() {
      return null;
    }

    @Override
    public void write(Update u) {
      if (live) {
        vertx
            .eventBus()
            .publish(
                Addresses.PORTFOLIO_OWNER_PREFIX + owner,
                new JsonObject(u.frame()),
                new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
      }
    }
  }

  /**
   * A bridge socket registered {@code portfolio.<owner>}: the node values the owner (once for all
   * its sockets) and publishes each valuation on that address, on this node only. Completes when
   * the record is read ({@link #kick} then sends the current valuation).
   */
  Future<Void> bridgeRegister(String owner) {
    Promise<Void> result = Promise.promise();
    Context caller = vertx.getOrCreateContext();
    home.runOnContext(
        v -> {
          BridgeOwner b = bridged.get(owner);
          if (b != null) {
            b.registrations++;
            caller.runOnContext(x -> result.complete());
            return;
          }
          BridgeOwner nb = new BridgeOwner(owner);
          nb.registrations = 1;
          bridged.put(owner, nb);
          owner(owner)
              .join(nb)
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      nb.live = true;
                    } else if (bridged.get(owner) == nb) {
                      bridged.remove(owner);
                    }
                    caller.runOnContext(x -> result.handle(ar.mapEmpty()));
                  });
        });
    return result.future();
  }

  /** Sends the owner's valuation now, or when the interval allows (a bridge socket registered). */
  void kick(String owner) {
    home.runOnContext(
        v -> {
          PortfolioOwner o = owners.get(owner);
          if (o != null) {
            o.changed();
          }
        });
  }

  /** A bridge registration of {@code portfolio.<owner>} ended. */
  void bridgeUnregister(String owner) {
    home.runOnContext(
        v -> {
          BridgeOwner b = bridged.get(owner);
          if (b != null && --b.registrations == 0) {
            bridged.remove(owner);
            PortfolioOwner o = owners.get(owner);
            if (o != null) {
              o.leave(b);
            }
          }
        });
  }

  /** The node's hub (created on the first caller's context); {@link #release()} when done. */
  static PortfolioHub of(Vertx vertx, long intervalMs) {
    LocalMap<String, PortfolioHub> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (PortfolioHub.class) {
      PortfolioHub h = map.get(KEY);
      if (h == null) {
        h = new PortfolioHub(vertx, intervalMs, REFRESH_MS, System::currentTimeMillis);
        map.put(KEY, h);
      }
      h.users++;
      return h;
    }
  }

  /** The node's hub, null when no gateway instance runs one. */
  static PortfolioHub current(Vertx vertx) {
    LocalMap<String, PortfolioHub> map = vertx.sharedData().getLocalMap(MAP);
    return map.get(KEY);
  }

  /** Gives back an {@link #of} reference; the last one forgets the hub. */
  void release() {
    LocalMap<String, PortfolioHub> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (PortfolioHub.class) {
      if (--users == 0) {
        map.remove(KEY, this);
        home.runOnContext(
            v -> {
              changes.unregister();
              new HashSet<>(owners.values()).forEach(PortfolioOwner::end);
            });
      }
    }
  }

  /**
   * Joins {@code s} to {@code owner}'s valuation; completes on the caller's context with the
   * current frame for it once the record is read (fails when it cannot be).
   */
  Future<Update> join(String owner, Subscriber s) {
    Context caller = vertx.getOrCreateContext();
    Promise<Update> result = Promise.promise();
    home.runOnContext(
        v -> owner(owner).join(s).onComplete(ar -> caller.runOnContext(x -> result.handle(ar))));
    return result.future();
  }

  /** {@code s} leaves {@code owner}'s valuation (the last subscriber ends it). */
  void leave(String owner, Subscriber s) {
    home.runOnContext(
        v -> {
          PortfolioOwner o = owners.get(owner);
          if (o != null) {
            o.leave(s);
          }
        });
  }

  /** The owner's record changed through this node: use it now. */
  void recordChanged(String owner, JsonObject record) {
    home.runOnContext(
        v -> {
          PortfolioOwner o = owners.get(owner);
          if (o != null) {
            o.record(record);
          }
        });
  }

  /** The newest ticker of a symbol this node follows (home context). */
  JsonObject ticker(String symbol) {
    Follow f = symbols.get(symbol);
    return f == null ? null : f.ticker;
  }

  /** Symbols followed (home context; for tests). */
  int followed() {
    return symbols.size();
  }

  /** Owners with subscribers (home context; for tests). */
  int owners() {
    return owners.size();
  }

  private PortfolioOwner owner(String owner) {
    return owners.computeIfAbsent(owner, k -> new PortfolioOwner(this, k));
  }

  void ended(PortfolioOwner o) {
    owners.remove(o.owner, o);
  }

  /**
   * {@code o} holds {@code symbol}: follow its ticker (first holder subscribes, asks the current).
   */
  void follow(String symbol, PortfolioOwner o) {
    Follow f = symbols.get(symbol);
    if (f == null) {
      MessageConsumer<Object> c =
          vertx.eventBus().consumer(Addresses.ticker(symbol), m -> onTicker(symbol, m.body()));
      Follow nf = new Follow(c);
      symbols.put(symbol, nf);
      f = nf;
      vertx
          .eventBus()
          .request(Addresses.TICKERS, new JsonObject().put("symbol", symbol))
          .onSuccess(
              m -> {
                if (m.body() instanceof JsonObject b
                    && b.getJsonArray("tickers", new JsonArray()).size() > 0
                    && nf.ticker == null) {
                  onTicker(symbol, b.getJsonArray("tickers").getValue(0));
                }
              });
    }
    f.owners.add(o);
  }

  /** {@code o} no longer holds {@code symbol} (the last holder unsubscribes). */
  void unfollow(String symbol, PortfolioOwner o) {
    Follow f = symbols.get(symbol);
    if (f != null && f.owners.remove(o) && f.owners.isEmpty()) {
      symbols.remove(symbol);
      f.consumer.unregister();
    }
  }

  private void onTicker(String symbol, Object body) {
    Follow f = symbols.get(symbol);
    if (f == null || !(body instanceof JsonObject t)) {
      return;
    }
    f.ticker = t;
    for (PortfolioOwner o : f.owners) {
      o.changed();
    }
  }
}
