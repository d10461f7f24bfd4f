package candlecast.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

/** The gateway's HTTP server settings, CORS rules and metrics handler. Pure configuration. */
final class GatewayHttp {
  private GatewayHttp() {}

  /** CORS for the REST and bridge routes (the Origin allow-list is checked before it). */
  static CorsHandler cors() {
    return CorsHandler.create()
        .addOriginWithRegex(".*") // the allow-list is enforced by AccessGuard.origin just before
        .allowedMethod(HttpMethod.GET)
        .allowedMethod(HttpMethod.POST)
        .allowedMethod(HttpMethod.OPTIONS)
        .allowedMethod(HttpMethod.PUT)
        .allowedMethod(HttpMethod.DELETE)
        .allowedHeader(OwnerIdentity.HEADER)
        .allowedHeader("Content-Type")
        .allowedHeader("Authorization")
        .maxAgeSeconds(600);
  }

  /** The server: strict thread mode, no compression, frame limits, send buffer. */
  static HttpServerOptions serverOptions(GatewayOptions options) {
    HttpServerOptions serverOptions =
        new HttpServerOptions()
            .setStrictThreadMode(true)
            // WsConnection enforces gateway.max-message-bytes itself (close 1009); the transport
            // cuts off at 64 KiB
            .setMaxWebSocketMessageSize(transportFrameLimit(options))
            .setMaxWebSocketFrameSize(transportFrameLimit(options))
            // compression would be per connection (no encode-once) and costs ~100 KiB of zlib state
            // per socket
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setWebSocketClosingTimeout(WsConnection.CLOSE_GRACE_SECONDS)
            .setAcceptBacklog(4096)
            .setTcpNoDelay(true);
    if (options.sendBufferBytes() > 0) {
      serverOptions.setSendBufferSize(options.sendBufferBytes());
    }
    return serverOptions;
  }

  /**
   * Frames up to this size reach WsConnection, which closes with 1009 above {@code
   * gateway.max-message-bytes}.
   */
  static int transportFrameLimit(GatewayOptions options) {
    return Math.max(64 * 1024, options.maxMessageBytes());
  }

  /** Prometheus scraping, or 503 when metrics are off. */
  static io.vertx.core.Handler<RoutingContext> metricsHandler() {
    MeterRegistry reg = BackendRegistries.getDefaultNow();
    if (reg instanceof PrometheusMeterRegistry prom) {
      return PrometheusScrapingHandler.create(prom);
    }
    return rc ->
        RestApi.error(
            rc,
            503,
            "metrics are off: run Vert.x with vertx-micrometer-metrics and Prometheus "
                + "enabled (GatewayMetrics.vertxOptions())");
  }
}
