package candlecast.common.config;

import static candlecast.common.config.SettingsRegistry.define;

import java.util.List;

/**
 * The {@link Settings} of the feed, its sources (mock, bitstamp, replay) and its order books.
 * Declaring one registers it (see {@link SettingsRegistry#define}), so this class is read only
 * through the public constants of {@link Settings}, whose initialisation loads the section classes
 * in documentation order.
 */
final class FeedSettings {
  static final Setting<String> FEED_SOURCE =
      define(
          "feed.source",
          "mock",
          "Trade source: mock, bitstamp or replay",
          Parsers.oneOf("mock", "bitstamp", "replay"));
  static final Setting<List<String>> FEED_SYMBOLS =
      define(
          "feed.symbols",
          List.of("BTCUSD", "ETHUSD"),
          "Comma-separated symbols the feed produces",
          Parsers.symbols());
  static final Setting<Double> FEED_RATE =
      define(
          "feed.rate", 20.0, "Mock feed: trades per second per symbol", Parsers.positiveDouble());
  static final Setting<Long> FEED_SEED =
      define(
          "feed.seed",
          0L,
          "Mock feed: random seed (0 = seed from the clock)",
          Parsers.longRange(Long.MIN_VALUE, Long.MAX_VALUE));
  static final Setting<Long> FEED_WATERMARK_MS =
      define(
          "feed.watermark-ms",
          250L,
          "Interval of watermark records for symbols without trades (lets windows close in a quiet market); 0 = off",
          Parsers.longRange(0, 3_600_000L));
  static final Setting<Integer> FEED_BUFFER_RECORDS =
      define(
          "feed.buffer-records",
          100_000,
          "Records the feed holds for Kafka while it is slow or down; beyond, the feed records a gap",
          Parsers.intRange(10, 2_000_000));
  static final Setting<Integer> FEED_DEDUPE_WINDOW =
      define(
          "feed.dedupe-window",
          65_536,
          "Trade ids remembered per symbol to drop duplicates",
          Parsers.intRange(16, 10_000_000));
  static final Setting<Long> FEED_MAX_CLOCK_SKEW_MS =
      define(
          "feed.max-clock-skew-ms",
          60_000L,
          "Live trades whose time is further than this from the local clock go to trades.dlq",
          Parsers.longRange(1, 86_400_000L));
  static final Setting<String> FEED_GROUP =
      define(
          "feed.group",
          "",
          "Feed instances with the same group elect one leader that writes (the others stand by); empty = derived "
              + "from the sources and symbols, so replicas with the same configuration form one group",
          Parsers.oneOfPattern(
              "[A-Za-z0-9._-]{0,100}", "letters, digits, '.', '_' or '-', at most 100"));
  static final Setting<Long> FEED_LEASE_TIMEOUT_MS =
      define(
          "feed.lease-timeout-ms",
          6_000L,
          "How long a silent feed leader keeps the lease before a standby takes over (Kafka session timeout; "
              + "the broker's group.min.session.timeout.ms is the floor, 6000 by default)",
          Parsers.longRange(500, 300_000L));
  static final Setting<String> FEED_FIRST_BACKFILL =
      define(
          "feed.first-backfill",
          "hour",
          "Bitstamp, on a start with no trade of a symbol in the log: back-fill since the start of the current "
              + "minute, hour or day (UTC), or none",
          Parsers.oneOf("none", "minute", "hour", "day"));
  static final Setting<List<String>> MOCK_SYMBOLS =
      define(
          "mock.symbols",
          List.of(),
          "Mock source symbols; empty = feed.symbols when feed.source is mock. With bitstamp or replay, a list runs "
              + "the mock alongside for these symbols",
          Parsers.symbolList());
  static final Setting<List<String>> MOCK_CURVE_SYMBOLS =
      define(
          "mock.curve-symbols",
          List.of("PUMPSOL"),
          "Mock symbols simulated as PumpFun-style bonding-curve tokens (price in SOL per token)",
          Parsers.symbolList());
  static final Setting<Integer> MOCK_HISTORY_DAYS =
      define(
          "mock.history-days",
          30,
          "Mock first run: days of deterministic history written before going live for mock symbols the trades "
              + "log holds no trade of (so charts open full at every timeframe); 0 = off",
          Parsers.intRange(0, 366));
  static final Setting<Long> MOCK_HISTORY_SEED =
      define(
          "mock.history-seed",
          1L,
          "Mock first run: seed of the history (the same seed, days and start time give the same trades)",
          Parsers.longRange(Long.MIN_VALUE, Long.MAX_VALUE));
  static final Setting<String> BITSTAMP_WS_URL =
      define(
          "bitstamp.ws-url",
          "wss://ws.bitstamp.net",
          "Bitstamp WebSocket URL",
          Parsers.url("ws", "wss"));
  static final Setting<String> BITSTAMP_REST_URL =
      define(
          "bitstamp.rest-url",
          "https://www.bitstamp.net",
          "Bitstamp REST base URL (back-fill)",
          Parsers.url("http", "https"));
  static final Setting<Long> BITSTAMP_HEARTBEAT_MS =
      define(
          "bitstamp.heartbeat-ms",
          20_000L,
          "Interval of bts:heartbeat frames",
          Parsers.longRange(10, 3_600_000L));
  static final Setting<Long> BITSTAMP_SILENCE_MS =
      define(
          "bitstamp.silence-ms",
          60_000L,
          "Reconnect when no frame arrived for this long (watchdog)",
          Parsers.longRange(50, 3_600_000L));
  static final Setting<Long> BITSTAMP_BACKOFF_MIN_MS =
      define(
          "bitstamp.backoff-min-ms",
          500L,
          "First reconnect delay (doubles per failed attempt, jittered)",
          Parsers.longRange(1, 600_000L));
  static final Setting<Long> BITSTAMP_BACKOFF_MAX_MS =
      define(
          "bitstamp.backoff-max-ms",
          30_000L,
          "Largest reconnect delay",
          Parsers.longRange(1, 3_600_000L));
  static final Setting<Long> BITSTAMP_SUBSCRIBE_TIMEOUT_MS =
      define(
          "bitstamp.subscribe-timeout-ms",
          10_000L,
          "How long a new connection waits for subscription acks before going on with the acknowledged channels",
          Parsers.longRange(10, 600_000L));
  static final Setting<Long> BITSTAMP_WATERMARK_LAG_MS =
      define(
          "bitstamp.watermark-lag-ms",
          1_000L,
          "Watermarks trail the local clock by this much (covers network delay and clock skew)",
          Parsers.longRange(0, 600_000L));
  static final Setting<String> REPLAY_FILE =
      define(
          "replay.file",
          "",
          "CSV file (symbol,id,time,price,amount,side; .gz = gzip) the replay source reads",
          Parsers.string());
  static final Setting<String> REPLAY_SPEED =
      define(
          "replay.speed",
          "1",
          "Replay speed: a multiple of the recorded speed (e.g. 1, 10, 0.5) or max",
          Parsers.replaySpeed());
  static final Setting<Boolean> REPLAY_LOOP =
      define(
          "replay.loop",
          false,
          "Start over at the end of the file (ids and times shifted past the last)",
          Parsers.bool());
  static final Setting<Long> REPLAY_PROGRESS_MS =
      define(
          "replay.progress-ms",
          5_000L,
          "Interval of the replay's progress line; 0 = only at the end",
          Parsers.longRange(0, 3_600_000L));
  static final Setting<Boolean> FEED_BOOKS =
      define(
          "feed.books",
          true,
          "Order books: maintain and publish them (bitstamp: from its book channels; mock: a synthetic book around "
              + "the price, a curve token's curve); replay symbols have none",
          Parsers.bool());
  static final Setting<Long> FEED_BOOK_INTERVAL_MS =
      define(
          "feed.book-interval-ms",
          100L,
          "Shortest interval between two books of a symbol written to the books topic (newer changes coalesce)",
          Parsers.longRange(10, 60_000L));

  static final Setting<Long> BITSTAMP_OHLC_PER_SECOND =
      define(
          "bitstamp.ohlc-per-second",
          5L,
          "Requests per second at most to the exchange's OHLC endpoint (deep history; token bucket)",
          Parsers.longRange(1, 100));
  static final Setting<Long> BITSTAMP_OHLC_RETRIES =
      define(
          "bitstamp.ohlc-retries",
          5L,
          "Retries of an OHLC page answered 429 or 5xx (or not answered), with doubling back-off",
          Parsers.longRange(0, 20));
  static final Setting<Long> BITSTAMP_OHLC_BACKOFF_MS =
      define(
          "bitstamp.ohlc-backoff-ms",
          1_000L,
          "First back-off after a 429/5xx from the OHLC endpoint (doubles per retry; Retry-After wins)",
          Parsers.longRange(1, 600_000L));

  private FeedSettings() {}
}
