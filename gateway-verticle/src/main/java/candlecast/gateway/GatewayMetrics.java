package candlecast.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's own counters, one set per node (shared by its gateway instances, thread-safe),
 * exported through vertx-micrometer-metrics' Prometheus registry when Vert.x runs with metrics
 * enabled (see {@link #vertxOptions()}). Names start with {@code candlecast_gateway_}.
 */
public final class GatewayMetrics {
  public final LongAdder wsMessagesIn = new LongAdder();
  public final LongAdder sockJsMessagesIn = new LongAdder();

  /** Candle/ticker update frames written to clients (both protocols' /ws clients). */
  public final LongAdder updatesOut = new LongAdder();

  /** Replies, snapshots and errors written to /ws clients. */
  public final LongAdder repliesOut = new LongAdder();

  /** Updates a congested client never got (replaced by a newer one of the same series). */
  public final LongAdder updatesDropped = new LongAdder();

  /**
   * Subscriptions whose first live close skipped windows after their snapshot, fetched for them
   * ({@link CandleSubscription}).
   */
  public final LongAdder seamRepairs = new LongAdder();

  public final LongAdder slowClientCloses = new LongAdder();
  public final LongAdder idleCloses = new LongAdder();
  public final LongAdder oversizeCloses = new LongAdder();
  public final LongAdder rateLimited = new LongAdder();
  public final LongAdder rateLimitCloses = new LongAdder();
  public final LongAdder refusedMaxConnections = new LongAdder();
  public final LongAdder refusedConnectionRate = new LongAdder();
  public final LongAdder refusedOrigin = new LongAdder();
  public final LongAdder refusedAuth = new LongAdder();
  public final Timer fanout;
  public final Timer historyLatency;

  GatewayMetrics(GatewayNode node) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    MeterRegistry reg = registry == null ? new SimpleMeterRegistry() : registry;
    fanout =
        Timer.builder("candlecast.gateway.fanout")
            .description("Time to write one update to every local subscriber of its series")
            .publishPercentiles(0.5, 0.99, 0.999)
            .register(reg);
    historyLatency =
        Timer.builder("candlecast.gateway.history.latency")
            .description("Round trip of history requests (snapshots, resume, REST)")
            .publishPercentiles(0.5, 0.99)
            .register(reg);
    counter(reg, "candlecast.gateway.messages.in", "protocol", "websocket", wsMessagesIn);
    counter(reg, "candlecast.gateway.messages.in", "protocol", "sockjs", sockJsMessagesIn);
    counter(reg, "candlecast.gateway.messages.out", "kind", "update", updatesOut);
    counter(reg, "candlecast.gateway.messages.out", "kind", "reply", repliesOut);
    counter(reg, "candlecast.gateway.updates.dropped", null, null, updatesDropped);
    counter(reg, "candlecast.gateway.seam.repairs", null, null, seamRepairs);
    counter(reg, "candlecast.gateway.closes", "reason", "slow_client", slowClientCloses);
    counter(reg, "candlecast.gateway.closes", "reason", "idle", idleCloses);
    counter(reg, "candlecast.gateway.closes", "reason", "oversize", oversizeCloses);
    counter(reg, "candlecast.gateway.closes", "reason", "rate_limit", rateLimitCloses);
    counter(reg, "candlecast.gateway.rate.limited", null, null, rateLimited);
    counter(reg, "candlecast.gateway.refused", "reason", "max_connections", refusedMaxConnections);
    counter(reg, "candlecast.gateway.refused", "reason", "connection_rate", refusedConnectionRate);
    counter(reg, "candlecast.gateway.refused", "reason", "origin", refusedOrigin);
    counter(reg, "candlecast.gateway.refused", "reason", "auth", refusedAuth);
    gauge(reg, "websocket", n -> n.wsConnections.get(), node);
    gauge(reg, "sockjs", n -> n.sockJsSessions.get(), node);
    gauge(reg, "socketio", n -> n.socketIoSessions.get(), node);
  }

  private static void counter(
      MeterRegistry reg, String name, String tag, String value, LongAdder a) {
    FunctionCounter.Builder<LongAdder> b = FunctionCounter.builder(name, a, LongAdder::doubleValue);
    if (tag != null) {
      b.tag(tag, value);
    }
    b.register(reg);
  }

  private static void gauge(
      MeterRegistry reg, String protocol, ToDoubleFunction<GatewayNode> f, GatewayNode node) {
    Gauge.builder("candlecast.gateway.connections", node, f)
        .tag("protocol", protocol)
        .description("Open client connections")
        .register(reg);
  }

  void recordFanout(long nanos) {
    fanout.record(nanos, TimeUnit.NANOSECONDS);
  }

  void recordHistory(Duration d) {
    historyLatency.record(d);
  }

  /**
   * Vert.x options with vertx-micrometer-metrics enabled and a Prometheus registry (scraped at
   * {@code /metrics}). Event-bus metrics are off: they would cost a label lookup on every candle
   * message.
   */
  public static VertxOptions vertxOptions() {
    return new VertxOptions()
        .setPreferNativeTransport(true)
        .setMetricsOptions(
            new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS)
                .setEnabled(true));
  }
}
