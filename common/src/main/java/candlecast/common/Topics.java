package candlecast.common;

/** Kafka topic names and record keys. */
public final class Topics {
  /** Trades, key = symbol, value = {@link TradeCodec#encode} JSON. */
  public static final String TRADES = "trades";

  /**
   * Candles, compacted, key = {@code SYMBOL|tf|openTimeMs}, value = {@link CandleCodec#encode}
   * JSON.
   */
  public static final String CANDLES = "candles";

  /**
   * Aggregator checkpoints, compacted, partitioned like {@code trades}: partition p holds the
   * checkpoints of trades partition p (key {@code trades-<p>}), so the newest one is the
   * partition's last record.
   */
  public static final String CHECKPOINTS = "candlecast.checkpoints";

  /** Trades rejected by validation, with the reason. */
  public static final String TRADES_DLQ = "trades.dlq";

  /** Trades older than an already closed window. */
  public static final String TRADES_LATE = "trades.late";

  /**
   * The feed's leader lease: one partition, never written. The member of the feed group assigned it
   * is the leader (the one feed instance that writes {@code trades}).
   */
  public static final String FEED_LEASE = "feed.lease";

  /**
   * Order books, compacted, key = symbol, partitioned like {@code trades} (same partition count and
   * key, so partition p holds the books of the symbols of trades partition p); value = {@link
   * BookCodec#encode} JSON, the best 100 levels per side.
   */
  public static final String BOOKS = "books";

  /**
   * Deep history: the ranges of each series already asked of the exchange (issue 15), compacted,
   * one partition, key = {@code SYMBOL|tf}, value = {@code
   * {"symbol","tf","ranges":[[fromMs,toMs],...]}} (window open times, inclusive, merged). A range
   * is recorded after its bars are in {@code candles}, also when the exchange had none, so nothing
   * is asked twice, across restarts too.
   */
  public static final String CANDLES_FETCHED = "candles.fetched";

  /**
   * Alerts (issue 17), compacted, partitioned like {@code trades}: an alert lives in the partition
   * of its symbol's trades; key = alert id, value = the alert record JSON (docs/PROTOCOL.md
   * "Alerts"); a delete is a tombstone.
   */
  public static final String ALERTS = "alerts";

  /**
   * Alert fires (issue 17), a log partitioned like {@code trades}; key = fire id {@code
   * <alertId>|<cause>}, value = the fire event JSON. Written by the symbol's owner; a replay after
   * a crash skips fire ids already here.
   */
  public static final String ALERT_FIRES = "alerts.fires";

  /**
   * Webhook delivery attempts of alert fires (issue 17), a log partitioned like {@code trades} (the
   * alert's partition), kept 30 days; key = fire id, value = {@code {fire, alert, owner, attempt,
   * status, error, at, final}} (docs/PROTOCOL.md "Alerts: webhooks").
   */
  public static final String ALERT_WEBHOOKS = "alerts.webhooks";

  /** Portfolios (issue 17), compacted, key = owner, value = the portfolio record JSON. */
  public static final String PORTFOLIOS = "portfolios";

  private Topics() {}

  public static String candleKey(String symbol, Timeframe tf, long openTime) {
    return symbol + '|' + tf.label() + '|' + openTime;
  }
}
