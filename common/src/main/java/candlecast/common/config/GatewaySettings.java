package candlecast.common.config;

import static candlecast.common.config.SettingsRegistry.define;

import candlecast.common.Timeframe;
import java.util.List;

/**
 * The {@link Settings} of the gateway (including {@code http.cors-origins}). Declaring one
 * registers it (see {@link SettingsRegistry#define}), so this class is read only through the public
 * constants of {@link Settings}, whose initialisation loads the section classes in documentation
 * order.
 */
final class GatewaySettings {
  static final Setting<String> GATEWAY_DEFAULT_SYMBOL =
      define(
          "gateway.default-symbol",
          "BTCUSD",
          "Symbol of raw WebSocket commands that name none",
          Parsers.symbol());
  static final Setting<Timeframe> GATEWAY_DEFAULT_TF =
      define(
          "gateway.default-tf", Timeframe.M1, "Timeframe the page opens with", Parsers.timeframe());
  static final Setting<Integer> GATEWAY_SNAPSHOT_SIZE =
      define(
          "gateway.snapshot-size",
          500,
          "Candles sent as the snapshot of a new subscription",
          Parsers.intRange(1, 10_000));
  static final Setting<Integer> GATEWAY_MAX_LIMIT =
      define(
          "gateway.max-limit",
          5_000,
          "Largest limit accepted by /api/candles",
          Parsers.intRange(1, 100_000));
  static final Setting<List<String>> HTTP_CORS_ORIGINS =
      define(
          "http.cors-origins",
          List.of(),
          "Comma-separated origins (scheme://host[:port]) allowed on /ws, /eventbus and /api besides same-origin and "
              + "localhost; empty = same-origin and localhost only; * = any",
          Parsers.stringList());
  static final Setting<Integer> GATEWAY_MAX_MESSAGE_BYTES =
      define(
          "gateway.max-message-bytes",
          4096,
          "Largest WebSocket frame/message a client may send; larger closes the connection with 1009",
          Parsers.intRange(256, 1 << 20));
  static final Setting<Integer> GATEWAY_MAX_SUBSCRIPTIONS =
      define(
          "gateway.max-subscriptions",
          32,
          "Subscriptions one connection may hold",
          Parsers.intRange(1, 10_000));
  static final Setting<Double> GATEWAY_MESSAGES_PER_SECOND =
      define(
          "gateway.messages-per-second",
          20.0,
          "Incoming messages per second per connection (token bucket refill rate)",
          Parsers.positiveDouble());
  static final Setting<Integer> GATEWAY_MESSAGES_BURST =
      define(
          "gateway.messages-burst",
          40,
          "Token bucket size for incoming messages per connection",
          Parsers.intRange(1, 1_000_000));
  static final Setting<Integer> GATEWAY_RATE_STRIKES =
      define(
          "gateway.rate-strikes",
          20,
          "Rate-limited messages in a row after which the connection is closed with 1008",
          Parsers.intRange(1, 1_000_000));
  static final Setting<Integer> GATEWAY_MAX_CONNECTIONS =
      define(
          "gateway.max-connections",
          10_000,
          "Open client connections (WebSocket + SockJS) per node; beyond, handshakes get 503",
          Parsers.intRange(1, 1_000_000));
  static final Setting<Double> GATEWAY_CONNECTIONS_PER_SECOND =
      define(
          "gateway.connections-per-second",
          20.0,
          "New connections per second per client address (token bucket refill rate); beyond, 429",
          Parsers.positiveDouble());
  static final Setting<Integer> GATEWAY_CONNECTIONS_BURST =
      define(
          "gateway.connections-burst",
          100,
          "Token bucket size for new connections per client address",
          Parsers.intRange(1, 1_000_000));
  static final Setting<Long> GATEWAY_PING_INTERVAL_MS =
      define(
          "gateway.ping-interval-ms",
          30_000L,
          "The server pings a WebSocket that sent nothing for this long",
          Parsers.longRange(100, 3_600_000L));
  static final Setting<Long> GATEWAY_IDLE_TIMEOUT_MS =
      define(
          "gateway.idle-timeout-ms",
          75_000L,
          "A WebSocket that sent nothing (not even a pong) for this long is closed",
          Parsers.longRange(200, 86_400_000L));
  static final Setting<Long> GATEWAY_SLOW_CLIENT_MS =
      define(
          "gateway.slow-client-ms",
          10_000L,
          "A client whose write queue stays full this long is closed with 1013",
          Parsers.longRange(10, 3_600_000L));
  static final Setting<Integer> GATEWAY_WRITE_QUEUE_BYTES =
      define(
          "gateway.write-queue-bytes",
          65_536,
          "Bytes queued for one client before it counts as slow (then only the newest update per series is kept)",
          Parsers.intRange(1024, 64 << 20));
  static final Setting<Integer> GATEWAY_SEND_BUFFER_BYTES =
      define(
          "gateway.send-buffer-bytes",
          0,
          "Kernel send buffer (SO_SNDBUF) per client socket; 0 = the OS default (autotuned)",
          Parsers.intRange(0, 64 << 20));
  static final Setting<Integer> GATEWAY_INSTANCES =
      define(
          "gateway.instances",
          0,
          "Gateway verticle instances (event loops) per node sharing the HTTP port; 0 = one per CPU core",
          Parsers.intRange(0, 256));
  static final Setting<Integer> GATEWAY_BATCH_MAX_SYMBOLS =
      define(
          "gateway.batch-max-symbols",
          20,
          "Symbols one POST /api/candles/batch may ask for",
          Parsers.intRange(1, 1000));
  static final Setting<Long> GATEWAY_HISTORY_TIMEOUT_MS =
      define(
          "gateway.history-timeout-ms",
          5_000L,
          "How long the gateway waits for history and tickers",
          Parsers.longRange(10, 600_000L));
  static final Setting<String> GATEWAY_JWT_SECRET =
      define(
          "gateway.jwt-secret",
          "",
          "HS256 secret; when set, /ws, /eventbus and /api require a JWT (Bearer header or access_token parameter)",
          Parsers.string());
  static final Setting<String> GATEWAY_JWT_ISSUER =
      define(
          "gateway.jwt-issuer",
          "",
          "Required JWT issuer (iss) when authentication is on; empty = any",
          Parsers.string());
  static final Setting<String> GATEWAY_JWT_AUDIENCE =
      define(
          "gateway.jwt-audience",
          "",
          "Required JWT audience (aud) when authentication is on; empty = any",
          Parsers.string());
  static final Setting<String> GATEWAY_UI_CONFIG_FILE =
      define(
          "gateway.ui-config-file",
          "",
          "JSON file that replaces the built-in page configuration served at /api/ui-config",
          Parsers.string());
  static final Setting<Integer> GATEWAY_TRADES_SNAPSHOT_SIZE =
      define(
          "gateway.trades-snapshot-size",
          100,
          "Trades in the snapshot of a new trades subscription; the default limit of /api/trades",
          Parsers.intRange(1, 100_000));
  static final Setting<Integer> GATEWAY_TRADES_MAX_LIMIT =
      define(
          "gateway.trades-max-limit",
          10_000,
          "Largest limit of /api/trades, and the most trades a trades subscription's since-resume recovers",
          Parsers.intRange(1, 1_000_000));
  static final Setting<Integer> GATEWAY_TRADES_BATCH_MAX =
      define(
          "gateway.trades-batch-max",
          100,
          "Most trades in one trades frame (caps the subscription's batch)",
          Parsers.intRange(1, 10_000));
  static final Setting<Integer> GATEWAY_TRADES_BACKLOG =
      define(
          "gateway.trades-backlog",
          1_000,
          "Trades a trades subscription keeps while its client is congested (the newest; older ones give a gap)",
          Parsers.intRange(1, 1_000_000));
  static final Setting<Integer> GATEWAY_MAX_INDICATORS =
      define(
          "gateway.max-indicators",
          16,
          "Distinct analysis subscriptions (indicator, patterns, risk) one connection may hold",
          Parsers.intRange(1, 10_000));
  static final Setting<Integer> GATEWAY_ANALYSIS_MAX_SERIES =
      define(
          "gateway.analysis-max-series",
          2_000,
          "Distinct analysis series (symbol, timeframe, indicator and parameters) one gateway node follows",
          Parsers.intRange(1, 1_000_000));

  static final Setting<Integer> GATEWAY_PORTFOLIO_INTERVAL_MS =
      define(
          "gateway.portfolio-interval-ms",
          250,
          "At most one portfolio valuation per owner per this many milliseconds (issue 17)",
          Parsers.intRange(10, 60_000));

  private GatewaySettings() {}
}
