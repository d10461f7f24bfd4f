package candlecast.common.config;

import static candlecast.common.config.SettingsRegistry.define;

/**
 * The {@link Settings} of the aggregator. Declaring one registers it (see {@link
 * SettingsRegistry#define}), so this class is read only through the public constants of {@link
 * Settings}, whose initialisation loads the section classes in documentation order.
 */
final class AggregatorSettings {
  static final Setting<Long> AGGREGATOR_GRACE_MS =
      define(
          "aggregator.grace-ms",
          250L,
          "Milliseconds a window stays open after its end, in event time, for trades that arrive out of order",
          Parsers.longRange(0, 3_600_000L));
  static final Setting<Long> AGGREGATOR_CHECKPOINT_MS =
      define(
          "aggregator.checkpoint-ms",
          1_000L,
          "How often the aggregator checkpoints its fold state (a crash replays at most this much)",
          Parsers.longRange(50, 600_000));
  static final Setting<Long> AGGREGATOR_COMMIT_MS =
      define(
          "aggregator.commit-ms",
          100L,
          "How often the aggregator commits its candle writes to Kafka (a transaction fenced by the consumer group)",
          Parsers.longRange(10, 5_000));
  static final Setting<Integer> AGGREGATOR_DEDUP_SIZE =
      define(
          "aggregator.dedup-size",
          8_192,
          "Trade ids remembered per symbol to drop duplicates",
          Parsers.intRange(16, 1_000_000));
  static final Setting<String> AGGREGATOR_RETENTION =
      define(
          "aggregator.retention",
          "1s=24h,1m=720h",
          "History kept in memory per timeframe, back from the newest candle (tf=duration list; unlisted = unlimited)",
          Parsers.retention());
  static final Setting<Integer> AGGREGATOR_MAX_POLL =
      define(
          "aggregator.max-poll-records",
          2_000,
          "Trades folded per batch at most",
          Parsers.intRange(1, 100_000));
  static final Setting<String> AGGREGATOR_INSTANCE_ID =
      define(
          "aggregator.instance-id",
          "",
          "Static consumer-group member id (e.g. the pod name): a restarted instance takes its partitions back at once;"
              + " empty = dynamic membership",
          Parsers.string());
  static final Setting<Integer> AGGREGATOR_SESSION_TIMEOUT_MS =
      define(
          "aggregator.session-timeout-ms",
          6_000,
          "How long the group waits for a silent aggregator before giving its partitions to another",
          Parsers.intRange(6_000, 300_000));
  static final Setting<Boolean> AGGREGATOR_FAST_TAKEOVER =
      define(
          "aggregator.fast-takeover",
          true,
          "Clustered: when an aggregator leaves the cluster (kill -9 is seen at once), the survivors evict it from the"
              + " consumer group and take its partitions without waiting for the session timeout",
          Parsers.bool());
  static final Setting<Long> AGGREGATOR_TICKER_MS =
      define(
          "aggregator.ticker-ms",
          250L,
          "Shortest interval between two ticker updates of a symbol",
          Parsers.longRange(10, 60_000));
  static final Setting<Integer> AGGREGATOR_TRADES_RING_SIZE =
      define(
          "aggregator.trades-ring-size",
          10_000,
          "Recent trades held per symbol by its aggregator (subscription snapshots, since-resume, /api/trades)",
          Parsers.intRange(1, 1_000_000));

  static final Setting<String> AGGREGATOR_IMPORT =
      define(
          "aggregator.import",
          "",
          "CSV bar files imported at start (SYMBOL:tf:path, comma-separated; e.g. AAPL:1d:/data/aapl.csv)",
          Parsers.string());

  static final Setting<Integer> AGGREGATOR_ANALYSIS_MAX_SERIES =
      define(
          "aggregator.analysis-max-series",
          5_000,
          "Analysis series (symbol, timeframe, indicator) one aggregator keeps live at most; more opens fail with 429",
          Parsers.intRange(1, 1_000_000));

  static final Setting<Integer> AGGREGATOR_ALERTS_MAX_PER_OWNER =
      define(
          "aggregator.alerts-max-per-owner",
          1_000,
          "Alerts one owner may have (any state); more creates fail with too_many_alerts (429)",
          Parsers.intRange(1, 1_000_000));

  static final Setting<Integer> AGGREGATOR_ALERTS_FIRE_HISTORY =
      define(
          "aggregator.alerts-fire-history",
          100,
          "Fire events kept per alert in every aggregator's alert directory (get, fires catch-up)",
          Parsers.intRange(1, 10_000));

  static final Setting<Long> AGGREGATOR_WEBHOOK_TIMEOUT_MS =
      define(
          "aggregator.webhook-timeout-ms",
          5_000L,
          "Milliseconds one alert webhook POST may take (connect and answer) before it counts as failed",
          Parsers.longRange(100, 120_000));

  static final Setting<Integer> AGGREGATOR_WEBHOOK_MAX_ATTEMPTS =
      define(
          "aggregator.webhook-max-attempts",
          8,
          "Attempts to deliver one alert fire to its webhook (retried on errors, timeouts and non-2xx answers)",
          Parsers.intRange(1, 50));

  static final Setting<Long> AGGREGATOR_WEBHOOK_BACKOFF_MS =
      define(
          "aggregator.webhook-backoff-ms",
          500L,
          "First webhook retry back-off; doubles each attempt, full jitter, capped at 60 s",
          Parsers.longRange(1, 60_000));

  private AggregatorSettings() {}
}
