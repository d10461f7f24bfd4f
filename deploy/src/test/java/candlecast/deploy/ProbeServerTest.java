package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe endpoints over a real HTTP socket. */
class ProbeServerTest {
  private Vertx vertx;
  private WebClient web;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void readyIsUpOnlyWhenEveryCheckIsUpAndSaysWhyNot() throws Exception {
    AtomicReference<String> kafka = new AtomicReference<>("UP");
    ProbeServer probes =
        new ProbeServer(vertx, "aggregator")
            .check(
                "cluster",
                () ->
                    Future.succeededFuture(new JsonObject().put("status", "UP").put("members", 3)))
            .check(
                "kafka", () -> Future.succeededFuture(new JsonObject().put("status", kafka.get())));
    probes.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    int port = probes.actualPort();

    HttpResponse<Buffer> up = get(port, "/ready");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(
            up.bodyAsJsonObject()
                .getJsonObject("checks")
                .getJsonObject("cluster")
                .getInteger("members"))
        .isEqualTo(3);
    assertThat(up.getHeader("content-type")).isEqualTo("application/json");

    kafka.set("DOWN");
    HttpResponse<Buffer> down = get(port, "/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    assertThat(down.bodyAsJsonObject().getString("role")).isEqualTo("aggregator");

    // Liveness does not depend on the checks.
    assertThat(get(port, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aFailingOrThrowingCheckCountsAsDownWithItsReason() throws Exception {
    ProbeServer probes =
        new ProbeServer(vertx, "feed")
            .check("broken", () -> Future.failedFuture("no route to broker"))
            .check(
                "throws",
                () -> {
                  throw new IllegalStateException("boom");
                })
            .check(
                "slow",
                () -> Promise.<JsonObject>promise().future().timeout(200, TimeUnit.MILLISECONDS));
    probes.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    JsonObject checks =
        get(probes.actualPort(), "/ready").bodyAsJsonObject().getJsonObject("checks");
    assertThat(checks.getJsonObject("broken").getString("error")).isEqualTo("no route to broker");
    assertThat(checks.getJsonObject("throws").getString("error")).isEqualTo("boom");
    assertThat(checks.getJsonObject("slow").getString("status")).isEqualTo("DOWN");
  }

  @Test
  void otherPathsAndMethodsGetClearErrors() throws Exception {
    ProbeServer probes = new ProbeServer(vertx, "kafka");
    probes.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> nf = get(probes.actualPort(), "/api/candles");
    assertThat(nf.statusCode()).isEqualTo(404);
    assertThat(nf.bodyAsJsonObject().getString("error")).contains("/health and /ready");
    HttpResponse<Buffer> post =
        web.request(HttpMethod.POST, probes.actualPort(), "127.0.0.1", "/ready")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(post.statusCode()).isEqualTo(405);
    // No checks at all: ready.
    assertThat(get(probes.actualPort(), "/ready").statusCode()).isEqualTo(200);
  }

  private HttpResponse<Buffer> get(int port, String path) throws Exception {
    return web.get(port, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }
}
