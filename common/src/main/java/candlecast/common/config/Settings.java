package candlecast.common.config;

import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every Candlecast setting. Each has a default in {@code candlecast-defaults.yaml}, can be set in a
 * {@code --conf} file (same nested shape), by an environment variable {@code
 * CANDLECAST_<SECTION>_<KEY>} or by a system property {@code candlecast.<section>.<key>}; later
 * sources win in that order.
 *
 * <p>Declaring a setting registers it (see {@link #define}): {@link #ALL} holds every declared
 * setting, in declaration order (the order of the documentation and of {@code --help}), so every
 * setting resolves to a value.
 */
public final class Settings {
  private static final List<Setting<?>> REGISTRY = new ArrayList<>();
  private static final Map<String, Setting<?>> BY_ENV_NAME = new HashMap<>();

  /** All settings, in the order they are documented. */
  public static final List<Setting<?>> ALL = Collections.unmodifiableList(REGISTRY);

  private Settings() {}

  // ---------------------------------------------------------------- http, kafka, data
  public static final Setting<String> HTTP_HOST =
      define("http.host", "0.0.0.0", "Interface the gateway listens on", Parsers.string());
  public static final Setting<Integer> HTTP_PORT =
      define("http.port", 8080, "Gateway HTTP/WebSocket port", Parsers.intRange(1, 65535));
  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      define(
          "kafka.bootstrap-servers",
          "",
          "Kafka bootstrap servers; empty starts the embedded single-node broker",
          Parsers.string());
  public static final Setting<Integer> KAFKA_PARTITIONS =
      define(
          "kafka.partitions",
          4,
          "Partitions of the trades and candles topics when Candlecast creates them",
          Parsers.intRange(1, 1024));
  public static final Setting<Integer> KAFKA_EMBEDDED_PORT =
      define(
          "kafka.embedded-port",
          9092,
          "Listener port of the embedded broker (0 = any free port)",
          Parsers.intRange(0, 65535));
  public static final Setting<String> DATA_DIR =
      define(
          "data.dir",
          "./candlecast-data",
          "Directory for the embedded broker's log and local state",
          Parsers.string());

  // ---------------------------------------------------------------- feed and its sources (mock,
  // bitstamp, replay)
  public static final Setting<String> FEED_SOURCE =
      define(
          "feed.source",
          "mock",
          "Trade source: mock, bitstamp or replay",
          Parsers.oneOf("mock", "bitstamp", "replay"));
  public static final Setting<List<String>> FEED_SYMBOLS =
      define(
          "feed.symbols",
          List.of("BTCUSD", "ETHUSD"),
          "Comma-separated symbols the feed produces",
          Parsers.symbols());
  public static final Setting<Double> FEED_RATE =
      define(
          "feed.rate", 20.0, "Mock feed: trades per second per symbol", Parsers.positiveDouble());
  public static final Setting<Long> FEED_SEED =
      define(
          "feed.seed",
          0L,
          "Mock feed: random seed (0 = seed from the clock)",
          Parsers.longRange(Long.MIN_VALUE, Long.MAX_VALUE));
  public static final Setting<Long> FEED_WATERMARK_MS =
      define(
          "feed.watermark-ms",
          250L,
          "Interval of watermark records for symbols without trades (lets windows close in a quiet market); 0 = off",
          Parsers.longRange(0, 3_600_000L));
  public static final Setting<Integer> FEED_BUFFER_RECORDS =
      define(
          "feed.buffer-records",
          100_000,
          "Records the feed holds for Kafka while it is slow or down; beyond, the feed records a gap",
          Parsers.intRange(10, 2_000_000));
  public static final Setting<Integer> FEED_DEDUPE_WINDOW =
      define(
          "feed.dedupe-window",
          65_536,
          "Trade ids remembered per symbol to drop duplicates",
          Parsers.intRange(16, 10_000_000));
  public static final Setting<Long> FEED_MAX_CLOCK_SKEW_MS =
      define(
          "feed.max-clock-skew-ms",
          60_000L,
          "Live trades whose time is further than this from the local clock go to trades.dlq",
          Parsers.longRange(1, 86_400_000L));
  public static final Setting<String> FEED_GROUP =
      define(
          "feed.group",
          "",
          "Feed instances with the same group elect one leader that writes (the others stand by); empty = derived "
              + "from the sources and symbols, so replicas with the same configuration form one group",
          Parsers.oneOfPattern(
              "[A-Za-z0-9._-]{0,100}", "letters, digits, '.', '_' or '-', at most 100"));
  public static final Setting<Long> FEED_LEASE_TIMEOUT_MS =
      define(
          "feed.lease-timeout-ms",
          6_000L,
          "How long a silent feed leader keeps the lease before a standby takes over (Kafka session timeout; "
              + "the broker's group.min.session.timeout.ms is the floor, 6000 by default)",
          Parsers.longRange(500, 300_000L));
  public static final Setting<String> FEED_FIRST_BACKFILL =
      define(
          "feed.first-backfill",
          "hour",
          "Bitstamp, on a start with no trade of a symbol in the log: back-fill since the start of the current "
              + "minute, hour or day (UTC), or none",
          Parsers.oneOf("none", "minute", "hour", "day"));
  public static final Setting<List<String>> MOCK_SYMBOLS =
      define(
          "mock.symbols",
          List.of(),
          "Mock source symbols; empty = feed.symbols when feed.source is mock. With bitstamp or replay, a list runs "
              + "the mock alongside for these symbols",
          Parsers.symbolList());
  public static final Setting<List<String>> MOCK_CURVE_SYMBOLS =
      define(
          "mock.curve-symbols",
          List.of("PUMPSOL"),
          "Mock symbols simulated as PumpFun-style bonding-curve tokens (price in SOL per token)",
          Parsers.symbolList());
  public static final Setting<String> BITSTAMP_WS_URL =
      define(
          "bitstamp.ws-url",
          "wss://ws.bitstamp.net",
          "Bitstamp WebSocket URL",
          Parsers.url("ws", "wss"));
  public static final Setting<String> BITSTAMP_REST_URL =
      define(
          "bitstamp.rest-url",
          "https://www.bitstamp.net",
          "Bitstamp REST base URL (back-fill)",
          Parsers.url("http", "https"));
  public static final Setting<Long> BITSTAMP_HEARTBEAT_MS =
      define(
          "bitstamp.heartbeat-ms",
          20_000L,
          "Interval of bts:heartbeat frames",
          Parsers.longRange(10, 3_600_000L));
  public static final Setting<Long> BITSTAMP_SILENCE_MS =
      define(
          "bitstamp.silence-ms",
          60_000L,
          "Reconnect when no frame arrived for this long (watchdog)",
          Parsers.longRange(50, 3_600_000L));
  public static final Setting<Long> BITSTAMP_BACKOFF_MIN_MS =
      define(
          "bitstamp.backoff-min-ms",
          500L,
          "First reconnect delay (doubles per failed attempt, jittered)",
          Parsers.longRange(1, 600_000L));
  public static final Setting<Long> BITSTAMP_BACKOFF_MAX_MS =
      define(
          "bitstamp.backoff-max-ms",
          30_000L,
          "Largest reconnect delay",
          Parsers.longRange(1, 3_600_000L));
  public static final Setting<Long> BITSTAMP_SUBSCRIBE_TIMEOUT_MS =
      define(
          "bitstamp.subscribe-timeout-ms",
          10_000L,
          "How long a new connection waits for subscription acks before going on with the acknowledged channels",
          Parsers.longRange(10, 600_000L));
  public static final Setting<Long> BITSTAMP_WATERMARK_LAG_MS =
      define(
          "bitstamp.watermark-lag-ms",
          1_000L,
          "Watermarks trail the local clock by this much (covers network delay and clock skew)",
          Parsers.longRange(0, 600_000L));
  public static final Setting<String> REPLAY_FILE =
      define(
          "replay.file",
          "",
          "CSV file (symbol,id,time,price,amount,side; .gz = gzip) the replay source reads",
          Parsers.string());
  public static final Setting<String> REPLAY_SPEED =
      define(
          "replay.speed",
          "1",
          "Replay speed: a multiple of the recorded speed (e.g. 1, 10, 0.5) or max",
          Parsers.replaySpeed());
  public static final Setting<Boolean> REPLAY_LOOP =
      define(
          "replay.loop",
          false,
          "Start over at the end of the file (ids and times shifted past the last)",
          Parsers.bool());
  public static final Setting<Long> REPLAY_PROGRESS_MS =
      define(
          "replay.progress-ms",
          5_000L,
          "Interval of the replay's progress line; 0 = only at the end",
          Parsers.longRange(0, 3_600_000L));
  public static final Setting<Boolean> FEED_BOOKS =
      define(
          "feed.books",
          true,
          "Order books: maintain and publish them (bitstamp: from its book channels; mock: a synthetic book around "
              + "the price, a curve token's curve); replay symbols have none",
          Parsers.bool());
  public static final Setting<Long> FEED_BOOK_INTERVAL_MS =
      define(
          "feed.book-interval-ms",
          100L,
          "Shortest interval between two books of a symbol written to the books topic (newer changes coalesce)",
          Parsers.longRange(10, 60_000L));

  // ---------------------------------------------------------------- aggregator
  public static final Setting<Long> AGGREGATOR_GRACE_MS =
      define(
          "aggregator.grace-ms",
          250L,
          "Milliseconds a window stays open after its end, in event time, for trades that arrive out of order",
          Parsers.longRange(0, 3_600_000L));
  public static final Setting<Long> AGGREGATOR_CHECKPOINT_MS =
      define(
          "aggregator.checkpoint-ms",
          1_000L,
          "How often the aggregator checkpoints its fold state (a crash replays at most this much)",
          Parsers.longRange(50, 600_000));
  public static final Setting<Integer> AGGREGATOR_DEDUP_SIZE =
      define(
          "aggregator.dedup-size",
          8_192,
          "Trade ids remembered per symbol to drop duplicates",
          Parsers.intRange(16, 1_000_000));
  public static final Setting<String> AGGREGATOR_RETENTION =
      define(
          "aggregator.retention",
          "1s=24h,1m=720h",
          "History kept in memory per timeframe, back from the newest candle (tf=duration list; unlisted = unlimited)",
          Parsers.retention());
  public static final Setting<Integer> AGGREGATOR_MAX_POLL =
      define(
          "aggregator.max-poll-records",
          2_000,
          "Trades folded per batch at most",
          Parsers.intRange(1, 100_000));
  public static final Setting<String> AGGREGATOR_INSTANCE_ID =
      define(
          "aggregator.instance-id",
          "",
          "Static consumer-group member id (e.g. the pod name): a restarted instance takes its partitions back at once;"
              + " empty = dynamic membership",
          Parsers.string());
  public static final Setting<Integer> AGGREGATOR_SESSION_TIMEOUT_MS =
      define(
          "aggregator.session-timeout-ms",
          6_000,
          "How long the group waits for a silent aggregator before giving its partitions to another",
          Parsers.intRange(6_000, 300_000));
  public static final Setting<Long> AGGREGATOR_TICKER_MS =
      define(
          "aggregator.ticker-ms",
          250L,
          "Shortest interval between two ticker updates of a symbol",
          Parsers.longRange(10, 60_000));
  public static final Setting<Integer> AGGREGATOR_TRADES_RING_SIZE =
      define(
          "aggregator.trades-ring-size",
          10_000,
          "Recent trades held per symbol by its aggregator (subscription snapshots, since-resume, /api/trades)",
          Parsers.intRange(1, 1_000_000));

  // ---------------------------------------------------------------- gateway
  public static final Setting<String> GATEWAY_DEFAULT_SYMBOL =
      define(
          "gateway.default-symbol",
          "BTCUSD",
          "Symbol of raw WebSocket commands that name none",
          Parsers.symbol());
  public static final Setting<Timeframe> GATEWAY_DEFAULT_TF =
      define(
          "gateway.default-tf", Timeframe.M1, "Timeframe the page opens with", Parsers.timeframe());
  public static final Setting<Integer> GATEWAY_SNAPSHOT_SIZE =
      define(
          "gateway.snapshot-size",
          500,
          "Candles sent as the snapshot of a new subscription",
          Parsers.intRange(1, 10_000));
  public static final Setting<Integer> GATEWAY_MAX_LIMIT =
      define(
          "gateway.max-limit",
          5_000,
          "Largest limit accepted by /api/candles",
          Parsers.intRange(1, 100_000));
  public static final Setting<List<String>> HTTP_CORS_ORIGINS =
      define(
          "http.cors-origins",
          List.of(),
          "Comma-separated origins (scheme://host[:port]) allowed on /ws, /eventbus and /api besides same-origin and "
              + "localhost; empty = same-origin and localhost only; * = any",
          Parsers.stringList());
  public static final Setting<Integer> GATEWAY_MAX_MESSAGE_BYTES =
      define(
          "gateway.max-message-bytes",
          4096,
          "Largest WebSocket frame/message a client may send; larger closes the connection with 1009",
          Parsers.intRange(256, 1 << 20));
  public static final Setting<Integer> GATEWAY_MAX_SUBSCRIPTIONS =
      define(
          "gateway.max-subscriptions",
          32,
          "Subscriptions one connection may hold",
          Parsers.intRange(1, 10_000));
  public static final Setting<Double> GATEWAY_MESSAGES_PER_SECOND =
      define(
          "gateway.messages-per-second",
          20.0,
          "Incoming messages per second per connection (token bucket refill rate)",
          Parsers.positiveDouble());
  public static final Setting<Integer> GATEWAY_MESSAGES_BURST =
      define(
          "gateway.messages-burst",
          40,
          "Token bucket size for incoming messages per connection",
          Parsers.intRange(1, 1_000_000));
  public static final Setting<Integer> GATEWAY_RATE_STRIKES =
      define(
          "gateway.rate-strikes",
          20,
          "Rate-limited messages in a row after which the connection is closed with 1008",
          Parsers.intRange(1, 1_000_000));
  public static final Setting<Integer> GATEWAY_MAX_CONNECTIONS =
      define(
          "gateway.max-connections",
          10_000,
          "Open client connections (WebSocket + SockJS) per node; beyond, handshakes get 503",
          Parsers.intRange(1, 1_000_000));
  public static final Setting<Double> GATEWAY_CONNECTIONS_PER_SECOND =
      define(
          "gateway.connections-per-second",
          20.0,
          "New connections per second per client address (token bucket refill rate); beyond, 429",
          Parsers.positiveDouble());
  public static final Setting<Integer> GATEWAY_CONNECTIONS_BURST =
      define(
          "gateway.connections-burst",
          100,
          "Token bucket size for new connections per client address",
          Parsers.intRange(1, 1_000_000));
  public static final Setting<Long> GATEWAY_PING_INTERVAL_MS =
      define(
          "gateway.ping-interval-ms",
          30_000L,
          "The server pings a WebSocket that sent nothing for this long",
          Parsers.longRange(100, 3_600_000L));
  public static final Setting<Long> GATEWAY_IDLE_TIMEOUT_MS =
      define(
          "gateway.idle-timeout-ms",
          75_000L,
          "A WebSocket that sent nothing (not even a pong) for this long is closed",
          Parsers.longRange(200, 86_400_000L));
  public static final Setting<Long> GATEWAY_SLOW_CLIENT_MS =
      define(
          "gateway.slow-client-ms",
          10_000L,
          "A client whose write queue stays full this long is closed with 1013",
          Parsers.longRange(10, 3_600_000L));
  public static final Setting<Integer> GATEWAY_WRITE_QUEUE_BYTES =
      define(
          "gateway.write-queue-bytes",
          65_536,
          "Bytes queued for one client before it counts as slow (then only the newest update per series is kept)",
          Parsers.intRange(1024, 64 << 20));
  public static final Setting<Integer> GATEWAY_SEND_BUFFER_BYTES =
      define(
          "gateway.send-buffer-bytes",
          0,
          "Kernel send buffer (SO_SNDBUF) per client socket; 0 = the OS default (autotuned)",
          Parsers.intRange(0, 64 << 20));
  public static final Setting<Integer> GATEWAY_INSTANCES =
      define(
          "gateway.instances",
          0,
          "Gateway verticle instances (event loops) per node sharing the HTTP port; 0 = one per CPU core",
          Parsers.intRange(0, 256));
  public static final Setting<Integer> GATEWAY_BATCH_MAX_SYMBOLS =
      define(
          "gateway.batch-max-symbols",
          20,
          "Symbols one POST /api/candles/batch may ask for",
          Parsers.intRange(1, 1000));
  public static final Setting<Long> GATEWAY_HISTORY_TIMEOUT_MS =
      define(
          "gateway.history-timeout-ms",
          5_000L,
          "How long the gateway waits for history and tickers",
          Parsers.longRange(10, 600_000L));
  public static final Setting<String> GATEWAY_JWT_SECRET =
      define(
          "gateway.jwt-secret",
          "",
          "HS256 secret; when set, /ws, /eventbus and /api require a JWT (Bearer header or access_token parameter)",
          Parsers.string());
  public static final Setting<String> GATEWAY_JWT_ISSUER =
      define(
          "gateway.jwt-issuer",
          "",
          "Required JWT issuer (iss) when authentication is on; empty = any",
          Parsers.string());
  public static final Setting<String> GATEWAY_JWT_AUDIENCE =
      define(
          "gateway.jwt-audience",
          "",
          "Required JWT audience (aud) when authentication is on; empty = any",
          Parsers.string());
  public static final Setting<String> GATEWAY_UI_CONFIG_FILE =
      define(
          "gateway.ui-config-file",
          "",
          "JSON file that replaces the built-in page configuration served at /api/ui-config",
          Parsers.string());
  public static final Setting<Integer> GATEWAY_TRADES_SNAPSHOT_SIZE =
      define(
          "gateway.trades-snapshot-size",
          100,
          "Trades in the snapshot of a new trades subscription; the default limit of /api/trades",
          Parsers.intRange(1, 100_000));
  public static final Setting<Integer> GATEWAY_TRADES_MAX_LIMIT =
      define(
          "gateway.trades-max-limit",
          10_000,
          "Largest limit of /api/trades, and the most trades a trades subscription's since-resume recovers",
          Parsers.intRange(1, 1_000_000));
  public static final Setting<Integer> GATEWAY_TRADES_BATCH_MAX =
      define(
          "gateway.trades-batch-max",
          100,
          "Most trades in one trades frame (caps the subscription's batch)",
          Parsers.intRange(1, 10_000));
  public static final Setting<Integer> GATEWAY_TRADES_BACKLOG =
      define(
          "gateway.trades-backlog",
          1_000,
          "Trades a trades subscription keeps while its client is congested (the newest; older ones give a gap)",
          Parsers.intRange(1, 1_000_000));

  // ---------------------------------------------------------------- cluster
  public static final Setting<String> CLUSTER_NAME =
      define(
          "cluster.name",
          "candlecast",
          "Hazelcast cluster name: only nodes with the same name join",
          Parsers.string());
  public static final Setting<String> CLUSTER_DISCOVERY =
      define(
          "cluster.discovery",
          "tcp-ip",
          "How nodes find each other: tcp-ip (cluster.members) or kubernetes (DNS of a headless Service)",
          Parsers.oneOf("tcp-ip", "kubernetes"));
  public static final Setting<List<String>> CLUSTER_MEMBERS =
      define(
          "cluster.members",
          List.of("127.0.0.1"),
          "tcp-ip discovery: comma-separated host[:port] of members to contact",
          Parsers.stringList());
  public static final Setting<String> CLUSTER_KUBERNETES_SERVICE_DNS =
      define(
          "cluster.kubernetes-service-dns",
          "",
          "kubernetes discovery: DNS name of the headless Service selecting every Candlecast pod",
          Parsers.string());
  public static final Setting<String> CLUSTER_HOST =
      define(
          "cluster.host",
          "127.0.0.1",
          "Address Hazelcast and the event bus bind to and advertise (the pod IP on Kubernetes)",
          Parsers.string());
  public static final Setting<String> CLUSTER_PUBLIC_HOST =
      define(
          "cluster.public-host",
          "",
          "Address other nodes use to reach this one's event bus, when not cluster.host (NAT)",
          Parsers.string());
  public static final Setting<Integer> CLUSTER_PORT =
      define(
          "cluster.port",
          5701,
          "Hazelcast member port (the next free one of 20 when taken)",
          Parsers.intRange(1, 65535));
  public static final Setting<Integer> CLUSTER_BUS_PORT =
      define(
          "cluster.bus-port",
          0,
          "Event-bus TCP port between nodes (0 = any free port)",
          Parsers.intRange(0, 65535));
  public static final Setting<Integer> CLUSTER_HEARTBEAT_SECONDS =
      define(
          "cluster.heartbeat-seconds",
          1,
          "Seconds between Hazelcast heartbeats",
          Parsers.intRange(1, 60));
  public static final Setting<Integer> CLUSTER_FAILURE_TIMEOUT_SECONDS =
      define(
          "cluster.failure-timeout-seconds",
          5,
          "Seconds without a heartbeat after which a member is declared dead",
          Parsers.intRange(2, 600));
  public static final Setting<Integer> CLUSTER_MERGE_DELAY_SECONDS =
      define(
          "cluster.merge-delay-seconds",
          5,
          "Seconds between checks that merge a member back after a split (e.g. a paused process)",
          Parsers.intRange(1, 600));
  public static final Setting<Integer> CLUSTER_MIN_MEMBERS =
      define(
          "cluster.min-members",
          1,
          "Members a node must see to report itself ready",
          Parsers.intRange(1, 1000));

  /**
   * Creates and registers a setting.
   *
   * @throws IllegalStateException when a setting with the same key (or environment variable) is
   *     already registered
   */
  private static <T> Setting<T> define(
      String key, T defaultValue, String description, Function<String, T> parser) {
    Setting<T> s = new Setting<>(key, defaultValue, description, parser);
    if (BY_ENV_NAME.putIfAbsent(s.envName(), s) != null) {
      throw new IllegalStateException("duplicate setting " + key);
    }
    REGISTRY.add(s);
    return s;
  }

  /** The setting read from environment variable {@code env}, or null when there is none. */
  public static Setting<?> byEnvName(String env) {
    return BY_ENV_NAME.get(env);
  }
}
