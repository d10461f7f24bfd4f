package candlecast.deploy;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.common.Addresses;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaQuorum;
import candlecast.common.kafka.KafkaTopics;
import candlecast.feed.FeedVerticle;
import candlecast.gateway.GatewayDeployment;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One role in its own JVM. {@code feed}, {@code aggregator} and {@code gateway} join the Hazelcast
 * cluster (see {@link ClusterSetup}) and use the external Kafka named by {@code
 * kafka.bootstrap-servers}; {@code kafka} runs the embedded broker alone (no cluster) for local
 * clusters.
 *
 * <p>Nodes without a gateway serve {@link ProbeServer} probes on the HTTP port: {@code /ready} is
 * UP when this node is a cluster member (see {@link ClusterWatch}) and its own component (asked on
 * the local event bus only) reports UP. When Kafka is not reachable at start, the node keeps
 * running, reports not ready and retries until it is.
 */
public final class RoleNode {
  private static final Logger LOG = LoggerFactory.getLogger(RoleNode.class);
  static final long COMPONENT_TIMEOUT_MS = 1_000;
  static final long RETRY_MIN_MS = 500;
  static final long RETRY_MAX_MS = 5_000;

  private final Role role;
  private final CandlecastConfig config;
  private Vertx vertx;
  private ClusterSetup.Clustered clustered;
  private ClusterWatch watch;
  private ProbeServer probes;
  private KafkaProbe kafkaProbe;
  private EmbeddedKafka kafka;
  private volatile GatewayDeployment gateway;
  private final List<String> deployments = new ArrayList<>();
  private volatile String waitingFor = "starting";
  private volatile boolean stopping;
  private long retryTimer = -1;

  private RoleNode(Role role, CandlecastConfig config) {
    this.role = role;
    this.config = config;
  }

  /**
   * Starts {@code role} (not {@link Role#ALL}). Blocking while an embedded broker starts: call it
   * from a main or test thread. The future completes when the node listens and (for clustered
   * roles) has joined the cluster; a feed or aggregator may still be waiting for Kafka then ({@code
   * /ready} says so).
   */
  public static Future<RoleNode> start(Role role, CandlecastConfig config, VertxOptions options) {
    if (role == Role.ALL) {
      return Future.failedFuture(new IllegalArgumentException("role all runs in SingleNode"));
    }
    if ((role == Role.FEED || role == Role.AGGREGATOR)
        && config.get(Settings.KAFKA_BOOTSTRAP_SERVERS).isBlank()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "role "
                  + role.label()
                  + " needs an external Kafka: set "
                  + Settings.KAFKA_BOOTSTRAP_SERVERS.envName()
                  + " (e.g. 127.0.0.1:9092 of 'candlecast.jar kafka')"));
    }
    RoleNode node = new RoleNode(role, config);
    Future<Void> started =
        role == Role.KAFKA ? node.startKafka(options) : node.startClustered(options);
    return started.transform(
        ar ->
            ar.succeeded()
                ? Future.succeededFuture(node)
                : node.stop().transform(x -> Future.failedFuture(ar.cause())));
  }

  private Future<Void> startKafka(VertxOptions options) {
    vertx = Vertx.vertx(options);
    boolean quorum = !config.get(Settings.KAFKA_EMBEDDED_QUORUM_VOTERS).isBlank();
    try {
      Path dir = Path.of(config.get(Settings.DATA_DIR)).resolve("kafka");
      int port = config.get(Settings.KAFKA_EMBEDDED_PORT);
      kafka = quorum ? EmbeddedKafka.start(dir, port, quorum()) : EmbeddedKafka.start(dir, port);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    probes =
        new ProbeServer(vertx, role.label())
            .check(
                "kafka",
                () ->
                    Future.succeededFuture(
                        kafka.isRunning() && waitingFor == null
                            ? new JsonObject()
                                .put("status", "UP")
                                .put("bootstrap", kafka.bootstrapServers())
                            : new JsonObject()
                                .put("status", "DOWN")
                                .put("error", waitingFor == null ? "stopped" : waitingFor)));
    if (quorum) {
      // the other brokers of the quorum may not be registered yet: topics with their replicas are
      // created as soon as they are (ready from then on)
      return probes
          .listen(config.get(Settings.HTTP_HOST), config.get(Settings.HTTP_PORT))
          .onSuccess(s -> createQuorumTopics(RETRY_MIN_MS))
          .mapEmpty();
    }
    return KafkaTopics.ensureTopics(
            vertx, kafka.bootstrapServers(), config.get(Settings.KAFKA_PARTITIONS))
        .onSuccess(v -> waitingFor = null)
        .compose(v -> probes.listen(config.get(Settings.HTTP_HOST), config.get(Settings.HTTP_PORT)))
        .mapEmpty();
  }

  /** This broker's membership of its quorum, from the settings. */
  private KafkaQuorum quorum() {
    return new KafkaQuorum(
        config.get(Settings.KAFKA_EMBEDDED_NODE_ID),
        config.get(Settings.KAFKA_EMBEDDED_CONTROLLER_PORT),
        config.get(Settings.KAFKA_EMBEDDED_QUORUM_VOTERS),
        config.get(Settings.KAFKA_EMBEDDED_CLUSTER_ID),
        config.get(Settings.KAFKA_REPLICATION_FACTOR));
  }

  /** Creates the topics with their replicas, retrying with back-off until the quorum can. */
  private void createQuorumTopics(long nextDelay) {
    if (stopping) {
      return;
    }
    KafkaTopics.ensureTopics(
            vertx,
            kafka.bootstrapServers(),
            config.get(Settings.KAFKA_PARTITIONS),
            config.get(Settings.KAFKA_REPLICATION_FACTOR))
        .onSuccess(v -> waitingFor = null)
        .onFailure(
            err -> {
              waitingFor = "cannot create topics yet: " + Launcher.rootMessage(err);
              LOG.warn("{}; retrying in {} ms", waitingFor, nextDelay);
              retryTimer =
                  vertx.setTimer(
                      nextDelay, t -> createQuorumTopics(Math.min(RETRY_MAX_MS, nextDelay * 2)));
            });
  }

  private Future<Void> startClustered(VertxOptions options) {
    return ClusterSetup.start(config, options)
        .compose(
            c -> {
              clustered = c;
              vertx = c.vertx();
              watch =
                  new ClusterWatch(vertx, c.manager(), config.get(Settings.CLUSTER_MIN_MEMBERS));
              return watch.start();
            })
        .compose(
            v -> {
              if (role == Role.GATEWAY) {
                // the cluster part of the gateway's /ready: this node's membership, merging state
                // and minimum members
                waitingFor = null;
                return GatewayDeployment.deploy(
                        vertx,
                        config,
                        g -> g.clusterCheck(x -> Future.succeededFuture(watch.health())))
                    .map(
                        g -> {
                          gateway = g;
                          deployments.addAll(g.ids());
                          return null;
                        });
              }
              kafkaProbe = new KafkaProbe(vertx, config.get(Settings.KAFKA_BOOTSTRAP_SERVERS));
              probes =
                  new ProbeServer(vertx, role.label())
                      .check("cluster", () -> Future.succeededFuture(watch.health()))
                      .check("kafka", kafkaProbe::check)
                      .check(role.label(), this::componentHealth);
              return probes
                  .listen(config.get(Settings.HTTP_HOST), config.get(Settings.HTTP_PORT))
                  .onSuccess(
                      s -> {
                        waitingFor =
                            "waiting for Kafka at " + config.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
                        startTier(RETRY_MIN_MS);
                      })
                  .mapEmpty();
            });
  }

  /**
   * Creates the topics if needed, then deploys the tier; retries with back-off while Kafka is
   * unreachable.
   */
  private void startTier(long nextDelay) {
    if (stopping) {
      return;
    }
    String bootstrap = config.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
    KafkaTopics.ensureTopics(
            vertx,
            bootstrap,
            config.get(Settings.KAFKA_PARTITIONS),
            config.get(Settings.KAFKA_REPLICATION_FACTOR))
        .compose(
            v ->
                stopping
                    ? Future.succeededFuture()
                    : deploy(
                        role == Role.FEED
                            ? new FeedVerticle(config, bootstrap)
                            : new AggregatorVerticle(config, bootstrap)))
        .onSuccess(
            v -> {
              waitingFor = null;
              LOG.info("{} started against Kafka at {}", role.label(), bootstrap);
            })
        .onFailure(
            err -> {
              if (stopping) {
                return;
              }
              waitingFor =
                  "cannot start against Kafka at " + bootstrap + ": " + Launcher.rootMessage(err);
              LOG.warn("{}; retrying in {} ms", waitingFor, nextDelay);
              retryTimer =
                  vertx.setTimer(nextDelay, t -> startTier(Math.min(RETRY_MAX_MS, nextDelay * 2)));
            });
  }

  /** The local component's own health (never another node's): a local-only request. */
  private Future<JsonObject> componentHealth() {
    String waiting = waitingFor;
    if (waiting != null) {
      return Future.succeededFuture(new JsonObject().put("status", "DOWN").put("error", waiting));
    }
    DeliveryOptions local =
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(COMPONENT_TIMEOUT_MS);
    return vertx
        .eventBus()
        .<Object>request(Addresses.health(role.label()), new JsonObject(), local)
        .map(
            m ->
                m.body() instanceof JsonObject j
                    ? j
                    : new JsonObject()
                        .put("status", "DOWN")
                        .put("error", "reply is not a JSON object"))
        .recover(
            err ->
                Future.succeededFuture(
                    new JsonObject()
                        .put("status", "DOWN")
                        .put(
                            "error",
                            err instanceof ReplyException re
                                ? re.failureType() + ": " + re.getMessage()
                                : String.valueOf(err.getMessage()))));
  }

  private Future<Void> deploy(Deployable verticle) {
    return vertx
        .deployVerticle(verticle)
        .map(
            id -> {
              deployments.add(id);
              return null;
            });
  }

  /**
   * Undeploys the tier (flushing what it holds), leaves the cluster, closes Vert.x, then stops a
   * broker.
   */
  public Future<Void> stop() {
    stopping = true;
    if (vertx == null) {
      return Future.succeededFuture();
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    Future<Void> f = Shutdown.undeployReverse(vertx, List.copyOf(deployments));
    deployments.clear();
    Future<Void> rest =
        f.compose(
                v ->
                    probes == null
                        ? Future.<Void>succeededFuture()
                        : probes.close().otherwiseEmpty())
            .compose(
                v -> watch == null ? Future.<Void>succeededFuture() : watch.stop().otherwiseEmpty())
            .compose(
                v ->
                    kafkaProbe == null
                        ? Future.<Void>succeededFuture()
                        : vertx
                            .<Void>executeBlocking(
                                () -> {
                                  kafkaProbe.close();
                                  return null;
                                })
                            .otherwiseEmpty());
    return Shutdown.closeThenStopBroker(rest, vertx, kafka);
  }

  public Role role() {
    return role;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The HTTP port of the gateway or of the probes; -1 before they listen. */
  public int httpPort() {
    if (gateway != null) {
      return gateway.port();
    }
    return probes == null ? -1 : probes.actualPort();
  }

  /** This node's cluster view (null for the kafka role). */
  public ClusterWatch cluster() {
    return watch;
  }

  /** The embedded broker of the kafka role (null otherwise). */
  public EmbeddedKafka embeddedKafka() {
    return kafka;
  }

  /** Why the node is not serving yet (null once its tier runs). */
  public String waitingFor() {
    return waitingFor;
  }

  @Override
  public String toString() {
    return "RoleNode["
        + role.label()
        + (clustered == null ? "" : " " + clustered.manager().getNodeId())
        + "]";
  }
}
