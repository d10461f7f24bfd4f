package candlecast.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The probe endpoints of a node without a gateway (feed, aggregator, kafka): {@code GET /health}
 * (liveness: the process answers) and {@code GET /ready} (readiness: 200 when every check is UP,
 * else 503), both JSON {@code {"status":..., "role":..., "checks":{name:{status,...}}}}. Everything
 * else is 404.
 */
public final class ProbeServer {
  private final Vertx vertx;
  private final String role;
  private final Map<String, Supplier<Future<JsonObject>>> checks = new LinkedHashMap<>();
  private HttpServer server;

  public ProbeServer(Vertx vertx, String role) {
    this.vertx = vertx;
    this.role = role;
  }

  /** Adds a readiness check; its future yields a JSON object whose {@code status} is UP or DOWN. */
  public ProbeServer check(String name, Supplier<Future<JsonObject>> check) {
    checks.put(name, check);
    return this;
  }

  public Future<HttpServer> listen(String host, int port) {
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
      respond(req, 405, new JsonObject().put("error", "only GET /health and GET /ready"));
      return;
    }
    switch (req.path()) {
      case "/health" -> respond(req, 200, new JsonObject().put("status", "UP").put("role", role));
      case "/ready" ->
          readiness()
              .onComplete(
                  ar -> {
                    JsonObject doc =
                        ar.succeeded()
                            ? ar.result()
                            : new JsonObject()
                                .put("status", "DOWN")
                                .put("role", role)
                                .put("error", String.valueOf(ar.cause()));
                    respond(req, "UP".equals(doc.getString("status")) ? 200 : 503, doc);
                  });
      default ->
          respond(
              req,
              404,
              new JsonObject()
                  .put(
                      "error",
                      "not found: "
                          + req.path()
                          + " (this "
                          + role
                          + " node serves /health and /ready)"));
    }
  }

  /** Runs every check; a check that fails or times out counts as DOWN. */
  Future<JsonObject> readiness() {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<JsonObject>> results = new ArrayList<>();
    for (String n : names) {
      Future<JsonObject> f;
      try {
        f = checks.get(n).get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      results.add(
          f.recover(
              err ->
                  Future.succeededFuture(
                      new JsonObject()
                          .put("status", "DOWN")
                          .put("error", String.valueOf(err.getMessage())))));
    }
    return Future.join(results)
        .map(
            cf -> {
              JsonObject out = new JsonObject();
              boolean up = true;
              for (int i = 0; i < names.size(); i++) {
                JsonObject r = results.get(i).result();
                out.put(names.get(i), r);
                up &= "UP".equals(r.getString("status"));
              }
              return new JsonObject()
                  .put("status", up ? "UP" : "DOWN")
                  .put("role", role)
                  .put("checks", out);
            });
  }

  private static void respond(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }
}
