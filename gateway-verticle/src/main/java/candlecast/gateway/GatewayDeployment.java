package candlecast.gateway;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The gateway of one node: {@code gateway.instances} {@link GatewayVerticle} instances (default 0 =
 * one per core), each on its own event loop, sharing the HTTP port (Vert.x spreads accepted
 * connections over them) and the node's state ({@link GatewayNode}: connection limits, counts,
 * metrics). With port 0 the instances share one random port (see {@link
 * GatewayVerticle#randomPortGroup}).
 */
public final class GatewayDeployment {
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_GROUPS =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Vertx vertx;
  private final List<String> ids = new ArrayList<>();
  private GatewayVerticle first;

  private GatewayDeployment(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Instances to deploy for {@code config} (0 = the number of available processors). */
  public static int instances(CandlecastConfig config) {
    int n = config.get(Settings.GATEWAY_INSTANCES);
    return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Deploys the gateway. {@code setup} may configure each instance before it is deployed (e.g. a
   * cluster check). On failure whatever was deployed is undeployed again.
   */
  public static Future<GatewayDeployment> deploy(
      Vertx vertx, CandlecastConfig config, UnaryOperator<GatewayVerticle> setup) {
    GatewayDeployment d = new GatewayDeployment(vertx);
    int n = instances(config);
    int group = RANDOM_PORT_GROUPS.incrementAndGet();
    GatewayVerticle first =
        setup.apply(new GatewayVerticle(config)).randomPortGroup(group).announce(true, n);
    return vertx
        .deployVerticle(first)
        .compose(
            id -> {
              d.ids.add(id);
              d.first = first;
              if (n == 1) {
                return Future.succeededFuture(d);
              }
              return vertx
                  .deployVerticle(
                      () ->
                          setup
                              .apply(new GatewayVerticle(config))
                              .randomPortGroup(group)
                              .announce(false, n),
                      new DeploymentOptions().setInstances(n - 1))
                  .map(
                      id2 -> {
                        d.ids.add(id2);
                        return d;
                      })
                  .recover(err -> d.undeploy().transform(x -> Future.failedFuture(err)));
            });
  }

  /** The deployment ids (one for the first instance, one for the others). */
  public List<String> ids() {
    return List.copyOf(ids);
  }

  /** The first instance (its node-wide counters speak for all). */
  GatewayVerticle first() {
    return first;
  }

  /** The port every instance listens on. */
  public int port() {
    return first.actualPort();
  }

  /** Undeploys every instance (last deployed first). */
  public Future<Void> undeploy() {
    Future<Void> f = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      f = f.compose(v -> vertx.undeploy(id));
    }
    return f;
  }
}
