package candlecast.deploy;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes event-bus registrations of nodes that left the cluster, as a second line behind
 * vertx-hazelcast's own clean-up on a member's removal, which can fail (an operation timing out
 * while the cluster re-forms) and is not retried: the dead node's registrations would then stay in
 * the subscription map forever and every send round-robined to them would fail. Only the oldest
 * member sweeps, on a worker thread, every {@code periodMs}; a node's registrations go once it was
 * absent in two sweeps ({@link StaleSubs}).
 *
 * <p>Every member also puts its own node info back into {@code __vertx.nodeInfo} when it is missing
 * there: the same failed clean-up skips that step after a merge, and until it is back every other
 * node refuses to connect to this one ("Not a member of the cluster"; 75 s in a chaos smoke).
 */
final class SubsJanitor {
  private static final Logger LOG = LoggerFactory.getLogger(SubsJanitor.class);

  static final String NODE_INFO_MAP = "__vertx.nodeInfo";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final HazelcastInstance hz;
  private final long periodMs;
  private final StaleSubs<HazelcastRegistrationInfo> stale = new StaleSubs<>();
  private final AtomicLong removed = new AtomicLong();
  private long timer = -1;
  private boolean sweeping;

  SubsJanitor(Vertx vertx, HazelcastClusterManager manager, long periodMs) {
    this.vertx = vertx;
    this.manager = manager;
    this.hz = manager.getHazelcastInstance();
    this.periodMs = periodMs;
  }

  void start() {
    timer = vertx.setPeriodic(periodMs, t -> sweep());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Registrations removed so far. */
  long removed() {
    return removed.get();
  }

  /** Runs one sweep (a no-op on any member but the oldest); completes with the count removed. */
  Future<Integer> sweep() {
    if (sweeping) {
      return Future.succeededFuture(0);
    }
    sweeping = true;
    return vertx
        .executeBlocking(this::sweepBlocking, false)
        .onComplete(
            ar -> {
              sweeping = false;
              if (ar.failed()) {
                LOG.debug("subscription sweep failed: {}", ar.cause().toString());
              } else if (ar.result() > 0) {
                LOG.warn("removed {} event-bus registration(s) of departed nodes", ar.result());
              }
            });
  }

  private int sweepBlocking() {
    if (!hz.getLifecycleService().isRunning()) {
      return 0;
    }
    restoreOwnNodeInfo();
    Set<Member> members = hz.getCluster().getMembers();
    if (members.isEmpty() || !members.iterator().next().localMember()) {
      stale.reset();
      return 0;
    }
    Set<String> live = members.stream().map(ClusterWatch::vertxNodeId).collect(Collectors.toSet());
    MultiMap<String, HazelcastRegistrationInfo> subs = hz.getMultiMap(ClusterSetup.SUBS_MAP);
    List<StaleSubs.Entry<HazelcastRegistrationInfo>> entries = new ArrayList<>();
    for (Map.Entry<String, HazelcastRegistrationInfo> e : subs.entrySet()) {
      entries.add(new StaleSubs.Entry<>(e.getKey(), e.getValue().unwrap().nodeId(), e.getValue()));
    }
    int n = 0;
    for (StaleSubs.Entry<HazelcastRegistrationInfo> e : stale.sweep(live, entries)) {
      if (subs.remove(e.address(), e.value())) {
        n++;
      }
    }
    removed.addAndGet(n);
    return n;
  }

  private void restoreOwnNodeInfo() {
    NodeInfo own = manager.getNodeInfo();
    String id = manager.getNodeId();
    if (own == null || id == null) {
      return; // not started yet
    }
    IMap<String, HazelcastNodeInfo> infos = hz.getMap(NODE_INFO_MAP);
    if (infos.putIfAbsent(id, new HazelcastNodeInfo(own)) == null) {
      LOG.warn("this node's info was missing from the cluster; put it back");
    }
  }
}
