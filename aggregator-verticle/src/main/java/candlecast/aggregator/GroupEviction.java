package candlecast.aggregator;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fast takeover (issue 19): the consumer group learns that an aggregator died only after its
 * session timeout (6 s), but the Hazelcast cluster sees a {@code kill -9}ed member go within
 * milliseconds (its connections close). Every clustered aggregator is therefore a static group
 * member whose instance id is entered in {@link Addresses#AGGREGATOR_INSTANCES} under its cluster
 * node id; when the local cluster watch says a member left ({@link Addresses#CLUSTER_MEMBER_LEFT}),
 * each surviving aggregator removes that member's instance from the group (Kafka's admin API,
 * KIP-345) and asks its own fold loop to rejoin, so the departed member's partitions are assigned
 * to the survivors at once. Removing an already removed member fails harmlessly, so every survivor
 * does it and none has to be elected. Kafka fences the removed instance: a paused owner that
 * resumes gets its partitions revoked as lost on its next poll.
 *
 * <p>A clean stop removes this node's own instance too (a static member does not leave the group
 * when its consumer closes).
 */
final class GroupEviction {
  private static final Logger LOG = LoggerFactory.getLogger(GroupEviction.class);
  private static final long ADMIN_TIMEOUT_MS = 5_000;
  private static final long CACHE_REFRESH_MS = 2_000;

  private final Vertx vertx;
  private final Context context;
  private final String groupId;
  private final String nodeId;
  private final String instanceId;
  private final Map<String, Object> adminConfig;
  private final Runnable rejoin;
  private Admin admin;
  private AsyncMap<String, String> instances;
  private MessageConsumer<JsonObject> consumer;
  private final EvictionGuard guard = new EvictionGuard();
  private long ticker = -1;

  /**
   * A copy of the instance map, refreshed every {@link #CACHE_REFRESH_MS}: right after a member's
   * death the map's partitions it owned are being promoted from their backups, and a read waits for
   * that; the copy answers at once (the map is asked only for a node the copy does not know).
   */
  private Map<String, String> cached = Map.of();

  /** A read of the instance map is under way (context only). */
  private boolean refreshing;

  private long refresher = -1;

  /**
   * @param rejoin asks this node's fold loop to rejoin the group (any thread)
   */
  GroupEviction(
      Vertx vertx,
      Context context,
      FoldOptions options,
      String nodeId,
      Map<String, Object> adminConfig,
      Runnable rejoin) {
    this.vertx = vertx;
    this.context = context;
    this.groupId = options.groupId();
    this.instanceId = options.instanceId();
    this.nodeId = nodeId;
    this.adminConfig = adminConfig;
    this.rejoin = rejoin;
  }

  /**
   * This node's cluster node id (from the local cluster watch), or null when the node is not
   * clustered.
   */
  static Future<String> localNodeId(Vertx vertx) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture(null);
    }
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(5_000);
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.health("cluster"), new JsonObject(), local)
        .map(m -> m.body().getString("nodeId"))
        .otherwise(e -> null);
  }

  /**
   * The group instance id of an aggregator: the configured one; else, clustered with fast takeover,
   * one derived from the cluster node id; else none (dynamic membership).
   */
  static String instanceId(String configured, String nodeId, boolean fastTakeover) {
    if (!configured.isBlank()) {
      return configured;
    }
    return fastTakeover && nodeId != null ? "aggregator-" + nodeId : "";
  }

  /** Enters this node in the instance map and listens for members leaving. */
  Future<Void> start() {
    return vertx
        .executeBlocking(() -> Admin.create(adminConfig), false)
        .compose(
            a -> {
              admin = a;
              return vertx.sharedData().<String, String>getAsyncMap(Addresses.AGGREGATOR_INSTANCES);
            })
        .compose(
            m -> {
              instances = m;
              return m.put(nodeId, instanceId);
            })
        .compose(
            v -> {
              consumer =
                  vertx.eventBus().localConsumer(Addresses.CLUSTER_MEMBER_LEFT, this::onLeft);
              ticker =
                  vertx.setPeriodic(
                      EvictionGuard.TICK_MS, id -> guard.tick(System.currentTimeMillis()));
              refresher = vertx.setPeriodic(1, CACHE_REFRESH_MS, id -> refreshCache());
              LOG.info("fast takeover on: node {} is group instance {}", nodeId, instanceId);
              return consumer.completion();
            });
  }

  private void onLeft(Message<JsonObject> m) {
    String left = m.body().getString("nodeId");
    if (left == null || left.equals(nodeId)) {
      return;
    }
    String refusal = guard.refusal(System.currentTimeMillis(), m.body().getInteger("members", 0));
    if (refusal != null) {
      LOG.info("node {} left the cluster; evicting nobody: {}", left, refusal);
      return;
    }
    long t0 = System.nanoTime();
    String known = cached.get(left);
    (known != null ? Future.succeededFuture(known) : instances.get(left))
        .onSuccess(
            inst -> {
              if (inst != null) {
                evict(left, inst, t0);
              }
            })
        .onFailure(e -> LOG.warn("cannot read the aggregator instances: {}", e.toString()));
  }

  private void evict(String left, String inst, long t0) {
    remove(inst)
        .onComplete(
            ar -> {
              rejoin.run();
              long ms = (System.nanoTime() - t0) / 1_000_000;
              if (ar.succeeded()) {
                LOG.info(
                    "aggregator {} (node {}) left the cluster: evicted from the group in {} ms",
                    inst,
                    left,
                    ms);
              } else {
                // another survivor was faster, or the member had left the group already
                LOG.info(
                    "aggregator {} (node {}) left the cluster; not evicted here: {}",
                    inst,
                    left,
                    ar.cause().toString());
              }
              var unused = instances.remove(left);
            });
  }

  /**
   * Re-reads the instance map, one read at a time: while a paused member owns some of its
   * partitions a read waits until Hazelcast drops that member (the failure timeout), and a new read
   * every tick would pile up on the worker pool, where the event bus's registration lookups wait
   * too.
   */
  private void refreshCache() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    instances
        .entries()
        .onSuccess(m -> cached = Map.copyOf(m))
        .onFailure(e -> LOG.debug("reading the aggregator instances: {}", e.toString()))
        .onComplete(ar -> refreshing = false);
  }

  /** Removes a static member from the group; completes on this verticle's context. */
  private Future<Void> remove(String inst) {
    Promise<Void> p = Promise.promise();
    var unused =
        admin
            .removeMembersFromConsumerGroup(
                groupId,
                new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(inst))))
            .all()
            .whenComplete(
                (v, e) ->
                    context.runOnContext(
                        x -> {
                          if (e == null) {
                            p.complete();
                          } else {
                            p.fail(e);
                          }
                        }));
    return p.future();
  }

  /**
   * After the fold loop has stopped (blocking; worker thread): leaves the instance map and removes
   * this node's own static member, so its partitions move at once.
   */
  void stopBlocking() {
    if (admin == null) {
      return;
    }
    try {
      admin
          .removeMembersFromConsumerGroup(
              groupId,
              new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(instanceId))))
          .all()
          .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      LOG.info("left the group as instance {}", instanceId);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.info("leaving the group as instance {}: {}", instanceId, e.toString());
    } finally {
      admin.close(java.time.Duration.ofMillis(ADMIN_TIMEOUT_MS));
    }
  }

  /** Unregisters the listener and this node's map entry (on the verticle's context). */
  Future<Void> stop() {
    if (ticker >= 0) {
      vertx.cancelTimer(ticker);
      vertx.cancelTimer(refresher);
    }
    Future<Void> unreg = consumer == null ? Future.succeededFuture() : consumer.unregister();
    Future<Void> entry =
        instances == null
            ? Future.succeededFuture()
            : instances.remove(nodeId).<Void>mapEmpty().otherwiseEmpty();
    return Future.all(unreg, entry).mapEmpty();
  }

  /** The admin client's settings: the bootstrap of the fold loop's consumer. */
  static Map<String, Object> adminConfig(FoldOptions options) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        options.bootstrap(),
        "client.id",
        "candlecast-aggregator-eviction");
  }
}
