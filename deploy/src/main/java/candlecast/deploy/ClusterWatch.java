package candlecast.deploy;

import candlecast.common.Addresses;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster, for readiness: UP while the Hazelcast member runs, is not
 * merging back after a split, and sees at least {@code minMembers} members (itself included).
 * Answers {@code candlecast.health.cluster} on the local event bus only (each node reports its own
 * membership), and logs every membership change.
 */
public final class ClusterWatch implements MembershipListener, LifecycleListener {
  /** Local (never clustered) address answering this node's cluster health. */
  public static final String ADDRESS = Addresses.health("cluster");

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

  /** How often the oldest member sweeps registrations of departed nodes ({@link SubsJanitor}). */
  static final long JANITOR_PERIOD_MS = 10_000;

  /** How often the node selector is warmed for new series and owner addresses. */
  static final long WARM_PERIOD_MS = 5_000;

  /** Where vertx-hazelcast keeps a member's Vert.x node id. */
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final int minMembers;
  private volatile LifecycleEvent.LifecycleState state = LifecycleEvent.LifecycleState.STARTED;
  private final AtomicLong changes = new AtomicLong();
  private UUID membershipId;
  private UUID lifecycleId;
  private MessageConsumer<Object> consumer;
  private SubsJanitor janitor;
  private SelectorWarmer warmer;

  public ClusterWatch(Vertx vertx, HazelcastClusterManager manager, int minMembers) {
    this.vertx = vertx;
    this.manager = manager;
    this.minMembers = minMembers;
  }

  public Future<Void> start() {
    HazelcastInstance hz = manager.getHazelcastInstance();
    membershipId = hz.getCluster().addMembershipListener(this);
    lifecycleId = hz.getLifecycleService().addLifecycleListener(this);
    consumer = vertx.eventBus().localConsumer(ADDRESS, m -> m.reply(health()));
    janitor = new SubsJanitor(vertx, manager, JANITOR_PERIOD_MS);
    janitor.start();
    warmer = new SelectorWarmer(vertx, hz, WARM_PERIOD_MS);
    warmer.start();
    LOG.info(
        "cluster member {} joined: {} members",
        hz.getCluster().getLocalMember().getAddress(),
        members());
    return consumer.completion();
  }

  public Future<Void> stop() {
    if (janitor != null) {
      janitor.stop();
    }
    if (warmer != null) {
      warmer.stop();
    }
    HazelcastInstance hz = manager.getHazelcastInstance();
    try {
      if (hz.getLifecycleService().isRunning()) {
        hz.getCluster().removeMembershipListener(membershipId);
        hz.getLifecycleService().removeLifecycleListener(lifecycleId);
      }
    } catch (RuntimeException e) {
      LOG.debug("removing cluster listeners: {}", e.toString());
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Members this node sees, itself included (0 when Hazelcast does not run). */
  public int members() {
    HazelcastInstance hz = manager.getHazelcastInstance();
    try {
      return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers().size() : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * {@code {"status":"UP"|"DOWN","members":n,"minMembers":m,"state":"...","nodeId":"..."}}, plus an
   * error.
   */
  public JsonObject health() {
    int n = members();
    LifecycleEvent.LifecycleState s = state;
    String error = null;
    if (!manager.isActive() || n == 0) {
      error = "not a cluster member";
    } else if (s == LifecycleEvent.LifecycleState.MERGING
        || s == LifecycleEvent.LifecycleState.MERGE_FAILED) {
      error = "rejoining the cluster after a split (" + s + ")";
    } else if (n < minMembers) {
      error = "sees " + n + " cluster member(s), needs " + minMembers;
    }
    JsonObject o =
        new JsonObject()
            .put("status", error == null ? "UP" : "DOWN")
            .put("members", n)
            .put("minMembers", minMembers)
            .put("state", s.name())
            .put("nodeId", manager.getNodeId())
            .put("membershipChanges", changes.get());
    if (error != null) {
      o.put("error", error);
    }
    return o;
  }

  public boolean isUp() {
    return "UP".equals(health().getString("status"));
  }

  @Override
  public void memberAdded(MembershipEvent e) {
    changes.incrementAndGet();
    LOG.info(
        "cluster member added {}: {} members", e.getMember().getAddress(), e.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent e) {
    changes.incrementAndGet();
    LOG.info(
        "cluster member removed {}: {} members", e.getMember().getAddress(), e.getMembers().size());
    // the node's own components (an aggregator evicting a dead peer from the group) hear it at once
    vertx
        .eventBus()
        .publish(
            Addresses.CLUSTER_MEMBER_LEFT,
            new JsonObject()
                .put("nodeId", vertxNodeId(e.getMember()))
                .put("members", e.getMembers().size()),
            new DeliveryOptions().setLocalOnly(true));
  }

  /**
   * The Vert.x node id of a member (vertx-hazelcast keeps it in a member attribute; it is not the
   * member's uuid).
   */
  static String vertxNodeId(Member m) {
    String id = m.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
    return id != null ? id : m.getUuid().toString();
  }

  @Override
  public void stateChanged(LifecycleEvent e) {
    state = e.getState();
    if (e.getState() == LifecycleEvent.LifecycleState.MERGING
        || e.getState() == LifecycleEvent.LifecycleState.MERGED
        || e.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
      LOG.warn("cluster split healing: {}", e.getState());
    }
  }
}
