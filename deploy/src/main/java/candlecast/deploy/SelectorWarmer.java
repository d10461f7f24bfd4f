package candlecast.deploy;

import candlecast.common.Addresses;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's event-bus node selector warm for the addresses it may publish or send to (issue
 * 19: a SIGSTOPped aggregator stalled its symbols' live updates for ~35 s).
 *
 * <p>Vert.x resolves an address's registrations from Hazelcast's {@code __vertx.subs} the first
 * time a node publishes or sends to it, then keeps them current from registration events. A node
 * that takes over a paused owner's symbols publishes on addresses it never used; when that owner
 * also owned the Hazelcast partitions of those keys, the first lookup waits until Hazelcast drops
 * the silent member (the failure timeout). So every {@code periodMs} this reads the keys of {@code
 * __vertx.subs} (on one thread of its own: a read that waits on a silent member holds only that)
 * and asks the node selector about each Candlecast series or owner address it does not yet follow,
 * so it is resolved before it is needed.
 *
 * <p>Vert.x has no public API for this: the selector is read from the clustered event bus by
 * reflection. When that fails (another Vert.x version), the warmer logs once and does nothing.
 */
final class SelectorWarmer {
  private static final Logger LOG = LoggerFactory.getLogger(SelectorWarmer.class);

  /** Address prefixes warmed: what aggregators publish and gateways send to. */
  static final List<String> PREFIXES =
      List.of(
          Addresses.CANDLES_PREFIX,
          Addresses.TRADES_PREFIX,
          Addresses.TICKER_PREFIX,
          Addresses.BOOK_PREFIX,
          Addresses.ANALYSIS_PREFIX,
          Addresses.ALERTS_OWNER_PREFIX,
          Addresses.PORTFOLIO_OWNER_PREFIX,
          Addresses.owner(""));

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final long periodMs;
  private final NodeSelector selector;
  private WorkerExecutor worker;
  private long timer = -1;
  private boolean warming;

  SelectorWarmer(Vertx vertx, HazelcastInstance hz, long periodMs) {
    this.vertx = vertx;
    this.hz = hz;
    this.periodMs = periodMs;
    this.selector = selectorOf(vertx);
  }

  /** Whether the node selector could be reached (else {@link #start} does nothing). */
  boolean available() {
    return selector != null;
  }

  void start() {
    if (selector == null) {
      return;
    }
    worker = vertx.createSharedWorkerExecutor("candlecast-selector-warmer", 1);
    timer = vertx.setPeriodic(1, periodMs, t -> warm());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (worker != null) {
      var unused = worker.close();
    }
  }

  /** One round (skipped while the previous one runs); completes with the addresses warmed. */
  Future<Integer> warm() {
    if (warming || worker == null) {
      return Future.succeededFuture(0);
    }
    warming = true;
    return worker
        .executeBlocking(this::warmBlocking, false)
        .onComplete(
            ar -> {
              warming = false;
              if (ar.failed()) {
                LOG.debug("warming the node selector failed: {}", ar.cause().toString());
              }
            });
  }

  private int warmBlocking() {
    Set<Object> keys = hz.getMultiMap(ClusterSetup.SUBS_MAP).keySet();
    int n = 0;
    for (Object k : keys) {
      if (k instanceof String address && wanted(address) && !selector.wantsUpdatesFor(address)) {
        selector.selectForPublish(address, IGNORE);
        n++;
      }
    }
    if (n > 0) {
      LOG.debug("node selector warmed for {} addresses", n);
    }
    return n;
  }

  /** Whether the selector follows {@code address} (its registrations are known here). */
  boolean follows(String address) {
    return selector != null && selector.wantsUpdatesFor(address);
  }

  static boolean wanted(String address) {
    for (String p : PREFIXES) {
      if (address.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static final Completable<Iterable<String>> IGNORE = (nodes, failure) -> {};

  private static NodeSelector selectorOf(Vertx vertx) {
    Object bus = vertx.eventBus();
    for (Class<?> c = bus.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField("nodeSelector");
        f.setAccessible(true);
        if (f.get(bus) instanceof NodeSelector s) {
          return s;
        }
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (ReflectiveOperationException | RuntimeException e) {
        break;
      }
    }
    LOG.info(
        "the event bus's node selector is not reachable ({}): takeovers may wait for Hazelcast"
            + " to drop a silent member",
        bus.getClass().getName());
    return null;
  }
}
