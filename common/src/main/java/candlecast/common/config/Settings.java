package candlecast.common.config;

import candlecast.common.Timeframe;
import java.util.List;

/**
 * Every Candlecast setting. Each has a default in {@code candlecast-defaults.yaml}, can be set in a
 * {@code --conf} file (same nested shape), by an environment variable {@code
 * CANDLECAST_<SECTION>_<KEY>} or by a system property {@code candlecast.<section>.<key>}; later
 * sources win in that order.
 *
 * <p>The settings are declared per section in package-private classes ({@link
 * HttpKafkaDataSettings}, {@link FeedSettings}, {@link AggregatorSettings}, {@link
 * GatewaySettings}, {@link ClusterSettings}) and published here under their usual names. Declaring
 * a setting registers it (see {@link SettingsRegistry#define}); initialising this class loads the
 * section classes in the order of the constants below, so {@link #ALL} holds every declared setting
 * in declaration order (the order of the documentation and of {@code --help}), and every setting
 * resolves to a value.
 */
public final class Settings {
  /** All settings, in the order they are documented. */
  public static final List<Setting<?>> ALL = SettingsRegistry.ALL;

  // ---------------------------------------------------------------- http, kafka, data
  public static final Setting<String> HTTP_HOST = HttpKafkaDataSettings.HTTP_HOST;
  public static final Setting<Integer> HTTP_PORT = HttpKafkaDataSettings.HTTP_PORT;
  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      HttpKafkaDataSettings.KAFKA_BOOTSTRAP_SERVERS;
  public static final Setting<Integer> KAFKA_PARTITIONS = HttpKafkaDataSettings.KAFKA_PARTITIONS;
  public static final Setting<Integer> KAFKA_EMBEDDED_PORT =
      HttpKafkaDataSettings.KAFKA_EMBEDDED_PORT;
  public static final Setting<Integer> KAFKA_REPLICATION_FACTOR =
      HttpKafkaDataSettings.KAFKA_REPLICATION_FACTOR;
  public static final Setting<String> KAFKA_EMBEDDED_QUORUM_VOTERS =
      HttpKafkaDataSettings.KAFKA_EMBEDDED_QUORUM_VOTERS;
  public static final Setting<Integer> KAFKA_EMBEDDED_NODE_ID =
      HttpKafkaDataSettings.KAFKA_EMBEDDED_NODE_ID;
  public static final Setting<Integer> KAFKA_EMBEDDED_CONTROLLER_PORT =
      HttpKafkaDataSettings.KAFKA_EMBEDDED_CONTROLLER_PORT;
  public static final Setting<String> KAFKA_EMBEDDED_CLUSTER_ID =
      HttpKafkaDataSettings.KAFKA_EMBEDDED_CLUSTER_ID;
  public static final Setting<String> DATA_DIR = HttpKafkaDataSettings.DATA_DIR;

  // ---------------------------------------------------------------- feed, sources, order books
  public static final Setting<String> FEED_SOURCE = FeedSettings.FEED_SOURCE;
  public static final Setting<List<String>> FEED_SYMBOLS = FeedSettings.FEED_SYMBOLS;
  public static final Setting<Double> FEED_RATE = FeedSettings.FEED_RATE;
  public static final Setting<Long> FEED_SEED = FeedSettings.FEED_SEED;
  public static final Setting<Long> FEED_WATERMARK_MS = FeedSettings.FEED_WATERMARK_MS;
  public static final Setting<Integer> FEED_BUFFER_RECORDS = FeedSettings.FEED_BUFFER_RECORDS;
  public static final Setting<Integer> FEED_DEDUPE_WINDOW = FeedSettings.FEED_DEDUPE_WINDOW;
  public static final Setting<Long> FEED_MAX_CLOCK_SKEW_MS = FeedSettings.FEED_MAX_CLOCK_SKEW_MS;
  public static final Setting<String> FEED_GROUP = FeedSettings.FEED_GROUP;
  public static final Setting<Long> FEED_LEASE_TIMEOUT_MS = FeedSettings.FEED_LEASE_TIMEOUT_MS;
  public static final Setting<String> FEED_FIRST_BACKFILL = FeedSettings.FEED_FIRST_BACKFILL;
  public static final Setting<List<String>> MOCK_SYMBOLS = FeedSettings.MOCK_SYMBOLS;
  public static final Setting<List<String>> MOCK_CURVE_SYMBOLS = FeedSettings.MOCK_CURVE_SYMBOLS;
  public static final Setting<Integer> MOCK_HISTORY_DAYS = FeedSettings.MOCK_HISTORY_DAYS;
  public static final Setting<Long> MOCK_HISTORY_SEED = FeedSettings.MOCK_HISTORY_SEED;
  public static final Setting<String> BITSTAMP_WS_URL = FeedSettings.BITSTAMP_WS_URL;
  public static final Setting<String> BITSTAMP_REST_URL = FeedSettings.BITSTAMP_REST_URL;
  public static final Setting<Long> BITSTAMP_HEARTBEAT_MS = FeedSettings.BITSTAMP_HEARTBEAT_MS;
  public static final Setting<Long> BITSTAMP_SILENCE_MS = FeedSettings.BITSTAMP_SILENCE_MS;
  public static final Setting<Long> BITSTAMP_BACKOFF_MIN_MS = FeedSettings.BITSTAMP_BACKOFF_MIN_MS;
  public static final Setting<Long> BITSTAMP_BACKOFF_MAX_MS = FeedSettings.BITSTAMP_BACKOFF_MAX_MS;
  public static final Setting<Long> BITSTAMP_SUBSCRIBE_TIMEOUT_MS =
      FeedSettings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS;
  public static final Setting<Long> BITSTAMP_WATERMARK_LAG_MS =
      FeedSettings.BITSTAMP_WATERMARK_LAG_MS;
  public static final Setting<String> REPLAY_FILE = FeedSettings.REPLAY_FILE;
  public static final Setting<String> REPLAY_SPEED = FeedSettings.REPLAY_SPEED;
  public static final Setting<Boolean> REPLAY_LOOP = FeedSettings.REPLAY_LOOP;
  public static final Setting<Long> REPLAY_PROGRESS_MS = FeedSettings.REPLAY_PROGRESS_MS;
  public static final Setting<Boolean> FEED_BOOKS = FeedSettings.FEED_BOOKS;
  public static final Setting<Long> FEED_BOOK_INTERVAL_MS = FeedSettings.FEED_BOOK_INTERVAL_MS;
  public static final Setting<Long> BITSTAMP_OHLC_PER_SECOND =
      FeedSettings.BITSTAMP_OHLC_PER_SECOND;
  public static final Setting<Long> BITSTAMP_OHLC_RETRIES = FeedSettings.BITSTAMP_OHLC_RETRIES;
  public static final Setting<Long> BITSTAMP_OHLC_BACKOFF_MS =
      FeedSettings.BITSTAMP_OHLC_BACKOFF_MS;

  // ---------------------------------------------------------------- aggregator
  public static final Setting<Long> AGGREGATOR_GRACE_MS = AggregatorSettings.AGGREGATOR_GRACE_MS;
  public static final Setting<Long> AGGREGATOR_CHECKPOINT_MS =
      AggregatorSettings.AGGREGATOR_CHECKPOINT_MS;
  public static final Setting<Long> AGGREGATOR_COMMIT_MS = AggregatorSettings.AGGREGATOR_COMMIT_MS;
  public static final Setting<Integer> AGGREGATOR_DEDUP_SIZE =
      AggregatorSettings.AGGREGATOR_DEDUP_SIZE;
  public static final Setting<String> AGGREGATOR_RETENTION =
      AggregatorSettings.AGGREGATOR_RETENTION;
  public static final Setting<Integer> AGGREGATOR_MAX_POLL = AggregatorSettings.AGGREGATOR_MAX_POLL;
  public static final Setting<String> AGGREGATOR_INSTANCE_ID =
      AggregatorSettings.AGGREGATOR_INSTANCE_ID;
  public static final Setting<Integer> AGGREGATOR_SESSION_TIMEOUT_MS =
      AggregatorSettings.AGGREGATOR_SESSION_TIMEOUT_MS;
  public static final Setting<Boolean> AGGREGATOR_FAST_TAKEOVER =
      AggregatorSettings.AGGREGATOR_FAST_TAKEOVER;
  public static final Setting<Long> AGGREGATOR_TICKER_MS = AggregatorSettings.AGGREGATOR_TICKER_MS;
  public static final Setting<Integer> AGGREGATOR_TRADES_RING_SIZE =
      AggregatorSettings.AGGREGATOR_TRADES_RING_SIZE;
  public static final Setting<String> AGGREGATOR_IMPORT = AggregatorSettings.AGGREGATOR_IMPORT;
  public static final Setting<Integer> AGGREGATOR_ANALYSIS_MAX_SERIES =
      AggregatorSettings.AGGREGATOR_ANALYSIS_MAX_SERIES;
  public static final Setting<Integer> AGGREGATOR_ALERTS_MAX_PER_OWNER =
      AggregatorSettings.AGGREGATOR_ALERTS_MAX_PER_OWNER;
  public static final Setting<Integer> AGGREGATOR_ALERTS_FIRE_HISTORY =
      AggregatorSettings.AGGREGATOR_ALERTS_FIRE_HISTORY;
  public static final Setting<Long> AGGREGATOR_WEBHOOK_TIMEOUT_MS =
      AggregatorSettings.AGGREGATOR_WEBHOOK_TIMEOUT_MS;
  public static final Setting<Integer> AGGREGATOR_WEBHOOK_MAX_ATTEMPTS =
      AggregatorSettings.AGGREGATOR_WEBHOOK_MAX_ATTEMPTS;
  public static final Setting<Long> AGGREGATOR_WEBHOOK_BACKOFF_MS =
      AggregatorSettings.AGGREGATOR_WEBHOOK_BACKOFF_MS;

  // ---------------------------------------------------------------- gateway
  public static final Setting<String> GATEWAY_DEFAULT_SYMBOL =
      GatewaySettings.GATEWAY_DEFAULT_SYMBOL;
  public static final Setting<Timeframe> GATEWAY_DEFAULT_TF = GatewaySettings.GATEWAY_DEFAULT_TF;
  public static final Setting<Integer> GATEWAY_SNAPSHOT_SIZE =
      GatewaySettings.GATEWAY_SNAPSHOT_SIZE;
  public static final Setting<Integer> GATEWAY_MAX_LIMIT = GatewaySettings.GATEWAY_MAX_LIMIT;
  public static final Setting<List<String>> HTTP_CORS_ORIGINS = GatewaySettings.HTTP_CORS_ORIGINS;
  public static final Setting<Integer> GATEWAY_MAX_MESSAGE_BYTES =
      GatewaySettings.GATEWAY_MAX_MESSAGE_BYTES;
  public static final Setting<Integer> GATEWAY_MAX_SUBSCRIPTIONS =
      GatewaySettings.GATEWAY_MAX_SUBSCRIPTIONS;
  public static final Setting<Double> GATEWAY_MESSAGES_PER_SECOND =
      GatewaySettings.GATEWAY_MESSAGES_PER_SECOND;
  public static final Setting<Integer> GATEWAY_MESSAGES_BURST =
      GatewaySettings.GATEWAY_MESSAGES_BURST;
  public static final Setting<Integer> GATEWAY_RATE_STRIKES = GatewaySettings.GATEWAY_RATE_STRIKES;
  public static final Setting<Integer> GATEWAY_MAX_CONNECTIONS =
      GatewaySettings.GATEWAY_MAX_CONNECTIONS;
  public static final Setting<Double> GATEWAY_CONNECTIONS_PER_SECOND =
      GatewaySettings.GATEWAY_CONNECTIONS_PER_SECOND;
  public static final Setting<Integer> GATEWAY_CONNECTIONS_BURST =
      GatewaySettings.GATEWAY_CONNECTIONS_BURST;
  public static final Setting<Long> GATEWAY_PING_INTERVAL_MS =
      GatewaySettings.GATEWAY_PING_INTERVAL_MS;
  public static final Setting<Long> GATEWAY_IDLE_TIMEOUT_MS =
      GatewaySettings.GATEWAY_IDLE_TIMEOUT_MS;
  public static final Setting<Long> GATEWAY_SLOW_CLIENT_MS = GatewaySettings.GATEWAY_SLOW_CLIENT_MS;
  public static final Setting<Integer> GATEWAY_WRITE_QUEUE_BYTES =
      GatewaySettings.GATEWAY_WRITE_QUEUE_BYTES;
  public static final Setting<Integer> GATEWAY_SEND_BUFFER_BYTES =
      GatewaySettings.GATEWAY_SEND_BUFFER_BYTES;
  public static final Setting<Integer> GATEWAY_INSTANCES = GatewaySettings.GATEWAY_INSTANCES;
  public static final Setting<Integer> GATEWAY_BATCH_MAX_SYMBOLS =
      GatewaySettings.GATEWAY_BATCH_MAX_SYMBOLS;
  public static final Setting<Long> GATEWAY_HISTORY_TIMEOUT_MS =
      GatewaySettings.GATEWAY_HISTORY_TIMEOUT_MS;
  public static final Setting<String> GATEWAY_JWT_SECRET = GatewaySettings.GATEWAY_JWT_SECRET;
  public static final Setting<String> GATEWAY_JWT_ISSUER = GatewaySettings.GATEWAY_JWT_ISSUER;
  public static final Setting<String> GATEWAY_JWT_AUDIENCE = GatewaySettings.GATEWAY_JWT_AUDIENCE;
  public static final Setting<String> GATEWAY_UI_CONFIG_FILE =
      GatewaySettings.GATEWAY_UI_CONFIG_FILE;
  public static final Setting<Integer> GATEWAY_TRADES_SNAPSHOT_SIZE =
      GatewaySettings.GATEWAY_TRADES_SNAPSHOT_SIZE;
  public static final Setting<Integer> GATEWAY_TRADES_MAX_LIMIT =
      GatewaySettings.GATEWAY_TRADES_MAX_LIMIT;
  public static final Setting<Integer> GATEWAY_TRADES_BATCH_MAX =
      GatewaySettings.GATEWAY_TRADES_BATCH_MAX;
  public static final Setting<Integer> GATEWAY_TRADES_BACKLOG =
      GatewaySettings.GATEWAY_TRADES_BACKLOG;
  public static final Setting<Integer> GATEWAY_MAX_INDICATORS =
      GatewaySettings.GATEWAY_MAX_INDICATORS;
  public static final Setting<Integer> GATEWAY_ANALYSIS_MAX_SERIES =
      GatewaySettings.GATEWAY_ANALYSIS_MAX_SERIES;
  public static final Setting<Integer> GATEWAY_PORTFOLIO_INTERVAL_MS =
      GatewaySettings.GATEWAY_PORTFOLIO_INTERVAL_MS;

  // ---------------------------------------------------------------- cluster
  public static final Setting<String> CLUSTER_NAME = ClusterSettings.CLUSTER_NAME;
  public static final Setting<String> CLUSTER_DISCOVERY = ClusterSettings.CLUSTER_DISCOVERY;
  public static final Setting<List<String>> CLUSTER_MEMBERS = ClusterSettings.CLUSTER_MEMBERS;
  public static final Setting<String> CLUSTER_KUBERNETES_SERVICE_DNS =
      ClusterSettings.CLUSTER_KUBERNETES_SERVICE_DNS;
  public static final Setting<String> CLUSTER_HOST = ClusterSettings.CLUSTER_HOST;
  public static final Setting<String> CLUSTER_PUBLIC_HOST = ClusterSettings.CLUSTER_PUBLIC_HOST;
  public static final Setting<Integer> CLUSTER_PORT = ClusterSettings.CLUSTER_PORT;
  public static final Setting<Integer> CLUSTER_BUS_PORT = ClusterSettings.CLUSTER_BUS_PORT;
  public static final Setting<Integer> CLUSTER_HEARTBEAT_SECONDS =
      ClusterSettings.CLUSTER_HEARTBEAT_SECONDS;
  public static final Setting<Integer> CLUSTER_FAILURE_TIMEOUT_SECONDS =
      ClusterSettings.CLUSTER_FAILURE_TIMEOUT_SECONDS;
  public static final Setting<Integer> CLUSTER_MERGE_DELAY_SECONDS =
      ClusterSettings.CLUSTER_MERGE_DELAY_SECONDS;
  public static final Setting<Integer> CLUSTER_MIN_MEMBERS = ClusterSettings.CLUSTER_MIN_MEMBERS;

  private Settings() {}

  /** The setting read from environment variable {@code env}, or null when there is none. */
  public static Setting<?> byEnvName(String env) {
    return SettingsRegistry.byEnvName(env);
  }
}
