package candlecast.deploy;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import candlecast.feed.FeedVerticle;
import candlecast.gateway.GatewayDeployment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole system in one JVM: the embedded Kafka broker (unless {@code kafka.bootstrap-servers}
 * names one), the topics, then the aggregator, the gateway and the feed on one local Vert.x. {@link
 * #stop()} undoes it in the safe order: feed first (its producer flushes), then the aggregator (its
 * last batch commits), the gateway, Vert.x and the broker last.
 */
public final class SingleNode {

  private final CandlecastConfig config;
  private final Vertx vertx;
  private EmbeddedKafka kafka;
  private String bootstrap;
  private GatewayDeployment gateway;
  private int port = -1;
  private final List<String> deployments = new ArrayList<>(); // in start order

  private SingleNode(CandlecastConfig config, Vertx vertx) {
    this.config = config;
    this.vertx = vertx;
  }

  /**
   * Starts everything. Blocking while the embedded broker starts (call it from a main or test
   * thread, never from an event loop); the returned future completes when every verticle is
   * deployed.
   */
  public static Future<SingleNode> start(CandlecastConfig config) {
    // metrics on (vertx-micrometer-metrics, Prometheus): the gateway serves them at /metrics
    return start(
        Vertx.builder().with(candlecast.gateway.GatewayMetrics.vertxOptions()).build(), config);
  }

  /** Like {@link #start(CandlecastConfig)} on a given Vert.x, which {@link #stop()} closes. */
  public static Future<SingleNode> start(Vertx vertx, CandlecastConfig config) {
    SingleNode node = new SingleNode(config, vertx);
    return node.startAll()
        .transform(
            ar -> {
              if (ar.succeeded()) {
                return Future.succeededFuture(node);
              }
              return node.stop().transform(x -> Future.failedFuture(ar.cause()));
            });
  }

  private Future<Void> startAll() {
    bootstrap = config.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
    if (bootstrap.isBlank()) {
      try {
        kafka =
            EmbeddedKafka.start(
                Path.of(config.get(Settings.DATA_DIR)).resolve("kafka"),
                config.get(Settings.KAFKA_EMBEDDED_PORT));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      bootstrap = kafka.bootstrapServers();
    }
    return KafkaTopics.ensureTopics(vertx, bootstrap, config.get(Settings.KAFKA_PARTITIONS))
        .compose(v -> deploy(new AggregatorVerticle(config, bootstrap)))
        .compose(v -> GatewayDeployment.deploy(vertx, config, g -> g))
        .onSuccess(
            g -> {
              gateway = g;
              deployments.addAll(g.ids());
              port = g.port();
            })
        .compose(v -> deploy(new FeedVerticle(config, bootstrap)));
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return vertx
        .deployVerticle(verticle)
        .map(
            id -> {
              deployments.add(id);
              return null;
            });
  }

  /**
   * Stops in reverse start order (feed, gateway, aggregator), then Vert.x, then the embedded
   * broker.
   */
  public Future<Void> stop() {
    return Shutdown.closeThenStopBroker(
        Shutdown.undeployReverse(vertx, List.copyOf(deployments)), vertx, kafka);
  }

  /** Stops the gateway alone (its clients see the connection drop); the rest keeps running. */
  public Future<Void> stopGateway() {
    GatewayDeployment g = gateway;
    if (g == null) {
      return Future.succeededFuture();
    }
    gateway = null;
    deployments.removeAll(g.ids());
    return g.undeploy();
  }

  /** Starts a new gateway on the same port as before (after {@link #stopGateway()}). */
  public Future<Void> startGateway() {
    if (gateway != null) {
      return Future.failedFuture("gateway is running");
    }
    return GatewayDeployment.deploy(vertx, config.with(Settings.HTTP_PORT, port), g -> g)
        .map(
            g -> {
              gateway = g;
              deployments.addAll(g.ids());
              return null;
            });
  }

  public int httpPort() {
    return port;
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public EmbeddedKafka embeddedKafka() {
    return kafka;
  }

  public Vertx vertx() {
    return vertx;
  }

  public CandlecastConfig config() {
    return config;
  }
}
