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
 * names one) and the gateway side by side, then the topics, then the aggregator and the feed, all
 * on one local Vert.x. {@link #stop()} undoes it in the safe order: feed first (its producer
 * flushes), the gateway, the aggregator (its last batch commits), Vert.x and the broker last.
 */
public final class SingleNode {

  private final CandlecastConfig config;
  private final Vertx vertx;
  private EmbeddedKafka kafka;
  private String bootstrap;
  private GatewayDeployment gateway;
  private int port = -1;
  private String aggregatorId;
  private String feedId;

  private SingleNode(CandlecastConfig config, Vertx vertx) {
    this.config = config;
    this.vertx = vertx;
  }

  /**
   * Starts everything (the embedded broker on a worker thread); the returned future completes when
   * every verticle is deployed.
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

  /**
   * The broker (started on a worker thread) and the gateway, which needs no Kafka, come up side by
   * side; once the topics exist the aggregator and the feed deploy side by side. {@code /ready}
   * answers 503 until every part is up, so nothing is served half-started.
   */
  private Future<Void> startAll() {
    Future<GatewayDeployment> gatewayUp =
        GatewayDeployment.deploy(vertx, config, g -> g)
            .onSuccess(
                g -> {
                  gateway = g;
                  port = g.port();
                });
    Future<Void> backend =
        startBroker()
            .compose(b -> KafkaTopics.ensureTopics(vertx, b, config.get(Settings.KAFKA_PARTITIONS)))
            .compose(
                v ->
                    Future.join(
                        deploy(new AggregatorVerticle(config, bootstrap))
                            .onSuccess(id -> aggregatorId = id),
                        deploy(new FeedVerticle(config, bootstrap)).onSuccess(id -> feedId = id)))
            .mapEmpty();
    return Future.join(gatewayUp, backend).mapEmpty();
  }

  /** The embedded broker unless one is configured; completes with the bootstrap servers. */
  private Future<String> startBroker() {
    bootstrap = config.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
    if (!bootstrap.isBlank()) {
      return Future.succeededFuture(bootstrap);
    }
    return vertx
        .executeBlocking(
            () ->
                EmbeddedKafka.start(
                    Path.of(config.get(Settings.DATA_DIR)).resolve("kafka"),
                    config.get(Settings.KAFKA_EMBEDDED_PORT)))
        .map(
            k -> {
              kafka = k;
              bootstrap = k.bootstrapServers();
              return bootstrap;
            });
  }

  private Future<String> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle);
  }

  /** What runs, in start order: aggregator, gateway, feed. */
  private List<String> deployments() {
    List<String> ids = new ArrayList<>();
    if (aggregatorId != null) {
      ids.add(aggregatorId);
    }
    if (gateway != null) {
      ids.addAll(gateway.ids());
    }
    if (feedId != null) {
      ids.add(feedId);
    }
    return ids;
  }

  /**
   * Stops in reverse start order (feed, gateway, aggregator), then Vert.x, then the embedded
   * broker.
   */
  public Future<Void> stop() {
    return Shutdown.closeThenStopBroker(
        Shutdown.undeployReverse(vertx, deployments()), vertx, kafka);
  }

  /** Stops the gateway alone (its clients see the connection drop); the rest keeps running. */
  public Future<Void> stopGateway() {
    GatewayDeployment g = gateway;
    if (g == null) {
      return Future.succeededFuture();
    }
    gateway = null;
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
