package candlecast.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Readiness check "is Kafka reachable": a {@code describeCluster} with a short timeout on one
 * long-lived admin client (asynchronous: nothing blocks an event loop). At most one request is in
 * flight; callers in between get the last answer.
 */
public final class KafkaProbe implements AutoCloseable {
  static final int TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final String bootstrap;
  private final Admin admin;
  private volatile JsonObject last;
  private Future<JsonObject> inFlight;

  public KafkaProbe(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "candlecast-ready",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
    this.last = down("not checked yet");
  }

  /** {@code {"status":"UP","brokers":n}} or {@code {"status":"DOWN","error":...}}. */
  public synchronized Future<JsonObject> check() {
    if (inFlight != null) {
      return Future.succeededFuture(last);
    }
    Promise<JsonObject> p = Promise.promise();
    inFlight = p.future();
    DescribeClusterResult cluster =
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
    var unused =
        cluster
            .nodes()
            .whenComplete(
                (nodes, err) -> { // completes p whatever the outcome
                  JsonObject r =
                      err == null
                          ? new JsonObject()
                              .put("status", "UP")
                              .put("bootstrap", bootstrap)
                              .put("brokers", nodes.size())
                          : down(Launcher.rootMessage(err));
                  synchronized (this) {
                    last = r;
                    inFlight = null;
                  }
                  vertx.runOnContext(v -> p.complete(r));
                });
    return p.future();
  }

  private JsonObject down(String why) {
    return new JsonObject().put("status", "DOWN").put("bootstrap", bootstrap).put("error", why);
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
