package candlecast.common.config;

import candlecast.common.Timeframe;
import java.util.List;

/**
 * Every Candlecast setting. Each has a default in {@code candlecast-defaults.yaml}, can be set in a {@code --conf}
 * file (same nested shape), by an environment variable {@code CANDLECAST_<SECTION>_<KEY>} or by a system property
 * {@code candlecast.<section>.<key>}; later sources win in that order.
 */
public final class Settings {
  private Settings() {
  }

  public static final Setting<String> HTTP_HOST =
      new Setting<>("http.host", "0.0.0.0", "Interface the gateway listens on", Parsers.string());
  public static final Setting<Integer> HTTP_PORT =
      new Setting<>("http.port", 8080, "Gateway HTTP/WebSocket port", Parsers.intRange(1, 65535));

  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      new Setting<>("kafka.bootstrap-servers", "",
          "Kafka bootstrap servers; empty starts the embedded single-node broker", Parsers.string());
  public static final Setting<Integer> KAFKA_PARTITIONS =
      new Setting<>("kafka.partitions", 4, "Partitions of the trades and candles topics when Candlecast creates them",
          Parsers.intRange(1, 1024));
  public static final Setting<Integer> KAFKA_EMBEDDED_PORT =
      new Setting<>("kafka.embedded-port", 9092, "Listener port of the embedded broker (0 = any free port)",
          Parsers.intRange(0, 65535));

  public static final Setting<String> DATA_DIR =
      new Setting<>("data.dir", "./candlecast-data", "Directory for the embedded broker's log and local state",
          Parsers.string());

  public static final Setting<String> FEED_SOURCE =
      new Setting<>("feed.source", "mock", "Trade source: mock, bitstamp or replay",
          Parsers.oneOf("mock", "bitstamp", "replay"));
  public static final Setting<List<String>> FEED_SYMBOLS =
      new Setting<>("feed.symbols", List.of("BTCUSD", "ETHUSD"), "Comma-separated symbols the feed produces",
          Parsers.symbols());
  public static final Setting<Double> FEED_RATE =
      new Setting<>("feed.rate", 20.0, "Mock feed: trades per second per symbol", Parsers.positiveDouble());
  public static final Setting<Long> FEED_SEED =
      new Setting<>("feed.seed", 0L, "Mock feed: random seed (0 = seed from the clock)",
          Parsers.longRange(Long.MIN_VALUE, Long.MAX_VALUE));

  public static final Setting<Long> AGGREGATOR_GRACE_MS =
      new Setting<>("aggregator.grace-ms", 250L,
          "Milliseconds a window stays open after its end, in event time, for trades that arrive out of order",
          Parsers.longRange(0, 3_600_000L));

  public static final Setting<String> GATEWAY_DEFAULT_SYMBOL =
      new Setting<>("gateway.default-symbol", "BTCUSD", "Symbol of raw WebSocket commands that name none",
          Parsers.symbol());
  public static final Setting<Timeframe> GATEWAY_DEFAULT_TF =
      new Setting<>("gateway.default-tf", Timeframe.M1, "Timeframe the page opens with", Parsers.timeframe());
  public static final Setting<Integer> GATEWAY_SNAPSHOT_SIZE =
      new Setting<>("gateway.snapshot-size", 500, "Candles sent as the snapshot of a new subscription",
          Parsers.intRange(1, 10_000));
  public static final Setting<Integer> GATEWAY_MAX_LIMIT =
      new Setting<>("gateway.max-limit", 5_000, "Largest limit accepted by /api/candles",
          Parsers.intRange(1, 100_000));

  // ---------------------------------------------------------------- feed sources (issue 3: feed-verticle owns this block)
  // (add feed settings here and list them in FEED_SETTINGS)

  // ---------------------------------------------------------------- aggregator (issue 4: aggregator owns this block)
  // (add aggregator settings here and list them in AGGREGATOR_SETTINGS)

  // ---------------------------------------------------------------- gateway (issue 5: gateway owns this block)
  // (add gateway settings here and list them in GATEWAY_SETTINGS)

  // ---------------------------------------------------------------- cluster (issue 7: deploy owns this block)
  // (add cluster settings here and list them in CLUSTER_SETTINGS)

  private static final List<Setting<?>> CORE_SETTINGS = List.of(
      HTTP_HOST, HTTP_PORT,
      KAFKA_BOOTSTRAP_SERVERS, KAFKA_PARTITIONS, KAFKA_EMBEDDED_PORT,
      DATA_DIR);
  private static final List<Setting<?>> FEED_SETTINGS = List.of(
      FEED_SOURCE, FEED_SYMBOLS, FEED_RATE, FEED_SEED);
  private static final List<Setting<?>> AGGREGATOR_SETTINGS = List.of(
      AGGREGATOR_GRACE_MS);
  private static final List<Setting<?>> GATEWAY_SETTINGS = List.of(
      GATEWAY_DEFAULT_SYMBOL, GATEWAY_DEFAULT_TF, GATEWAY_SNAPSHOT_SIZE, GATEWAY_MAX_LIMIT);
  private static final List<Setting<?>> CLUSTER_SETTINGS = List.of();

  /** All settings, in the order they are documented. */
  public static final List<Setting<?>> ALL = concat(CORE_SETTINGS, FEED_SETTINGS, AGGREGATOR_SETTINGS,
      GATEWAY_SETTINGS, CLUSTER_SETTINGS);

  @SafeVarargs
  private static List<Setting<?>> concat(List<Setting<?>>... lists) {
    java.util.ArrayList<Setting<?>> all = new java.util.ArrayList<>();
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (List<Setting<?>> l : lists) {
      for (Setting<?> s : l) {
        if (!keys.add(s.key())) {
          throw new IllegalStateException("duplicate setting " + s.key());
        }
        all.add(s);
      }
    }
    return List.copyOf(all);
  }

  public static Setting<?> byEnvName(String env) {
    for (Setting<?> s : ALL) {
      if (s.envName().equals(env)) {
        return s;
      }
    }
    return null;
  }
}
