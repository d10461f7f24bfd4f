package candlecast.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP-level guards in front of {@code /ws}, {@code /eventbus/*} and {@code /api/*}: the origin
 * allow-list, the optional JWT, and (for WebSocket handshakes) the node's connection limits. Each
 * refusal is a JSON error and counted.
 */
final class AccessGuard {
  static final String TOKEN_PARAM = "access_token";

  private final OriginPolicy origins;
  private final GatewayOptions options;
  private final GatewayNode node;
  private final JWTAuth jwt;

  AccessGuard(Vertx vertx, GatewayOptions options, GatewayNode node) {
    this.options = options;
    this.node = node;
    this.origins = new OriginPolicy(options.corsOrigins());
    this.jwt = options.authEnabled() ? jwt(vertx, options) : null;
  }

  static JWTAuth jwt(Vertx vertx, GatewayOptions o) {
    JWTOptions jo = new JWTOptions();
    if (!o.jwtIssuer().isEmpty()) {
      jo.setIssuer(o.jwtIssuer());
    }
    if (!o.jwtAudience().isEmpty()) {
      jo.addAudience(o.jwtAudience());
    }
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(o.jwtSecret()))
            .setJWTOptions(jo));
  }

  OriginPolicy originPolicy() {
    return origins;
  }

  /**
   * {@link #origin} as a security-policy handler (Vert.x Web orders those before user handlers,
   * with CORS).
   */
  io.vertx.ext.web.handler.SecurityPolicyHandler originHandler() {
    return this::origin;
  }

  /** Refuses a request whose Origin is not allowed (403). */
  void origin(RoutingContext rc) {
    String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
    if (origins.allows(origin, rc.request().getHeader(HttpHeaders.HOST))) {
      rc.next();
      return;
    }
    node.metrics.refusedOrigin.increment();
    RestApi.error(
        rc,
        403,
        "origin '"
            + CommandParser.echo(origin)
            + "' is not allowed; allowed: same-origin, "
            + "localhost and CANDLECAST_HTTP_CORS_ORIGINS");
  }

  /**
   * When JWT authentication is on: requires a valid token in {@code Authorization: Bearer <jwt>} or
   * in the {@code access_token} query parameter (browsers cannot set headers on WebSockets); 401
   * otherwise. CORS preflights pass (they carry no credentials).
   */
  void auth(RoutingContext rc) {
    if (jwt == null || HttpMethod.OPTIONS.equals(rc.request().method())) {
      rc.next();
      return;
    }
    String token = null;
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    }
    if (token == null) {
      token = rc.request().getParam(TOKEN_PARAM);
    }
    if (token == null || token.isEmpty()) {
      unauthorized(
          rc,
          "authentication required: send a JWT as 'Authorization: Bearer <token>' or ?"
              + TOKEN_PARAM
              + "=<token>");
      return;
    }
    rc.request().pause();
    jwt.authenticate(new TokenCredentials(token))
        .onComplete(
            ar -> {
              rc.request().resume();
              if (ar.succeeded()) {
                // ctx.user() for the checks behind (OperatorGuard)
                ((io.vertx.ext.web.impl.UserContextInternal) rc.userContext()).setUser(ar.result());
                rc.next();
              } else {
                unauthorized(
                    rc,
                    "invalid token: "
                        + CommandParser.echo(String.valueOf(ar.cause().getMessage())));
              }
            });
  }

  private void unauthorized(RoutingContext rc, String why) {
    node.metrics.refusedAuth.increment();
    rc.response().putHeader("WWW-Authenticate", "Bearer");
    RestApi.error(rc, 401, why);
  }

  /**
   * For a WebSocket handshake: reserves a connection slot, or answers 429 (this address opens
   * connections too fast) or 503 (the node is full). Returns whether a slot was reserved (release
   * it with {@link GatewayNode#release()}).
   */
  boolean admitConnection(RoutingContext rc) {
    String ip =
        rc.request().remoteAddress() == null
            ? "unknown"
            : rc.request().remoteAddress().hostAddress();
    if (!node.connectRate.tryAcquire(ip, System.nanoTime())) {
      node.metrics.refusedConnectionRate.increment();
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
      RestApi.error(
          rc,
          429,
          "too many new connections from "
              + ip
              + "; at most "
              + options.connectionsPerSecond()
              + " per second (bursts of "
              + options.connectionsBurst()
              + ")");
      return false;
    }
    if (!node.reserve(options.maxConnections())) {
      node.metrics.refusedMaxConnections.increment();
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      RestApi.error(
          rc,
          503,
          "this gateway node is full ("
              + options.maxConnections()
              + " connections); try "
              + "another node or later");
      return false;
    }
    return true;
  }
}
