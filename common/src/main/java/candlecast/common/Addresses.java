package candlecast.common;

/** Event-bus addresses shared by the tiers (documented in docs/PROTOCOL.md). */
public final class Addresses {
  /** Prefix of candle update addresses: {@code candles.<SYMBOL>.<tf>}. */
  public static final String CANDLES_PREFIX = "candles.";

  /**
   * Request-reply: history of one series. Body {symbol, tf, from?, to?, limit?}; reply
   * {candles:[...]}.
   */
  public static final String HISTORY = "candlecast.history";

  /**
   * Name of the cluster-wide shared-data map symbol → owning aggregator (its deployment id), or a
   * marker for a symbol that exists but has no owner right now ({@code "moving"}: its owner let it
   * go; {@code "feed"}: a feed produces it, no aggregator has folded it yet). A symbol absent from
   * it is unknown (issue 19).
   */
  public static final String SYMBOL_DIRECTORY = "candlecast.symbol-owners";

  /** Request-reply: known symbols. Reply {symbols:[...]}. */
  public static final String SYMBOLS = "candlecast.symbols";

  /** Published by each component with its state (used by /health). */
  public static final String STATUS = "candlecast.status";

  /** Prefix of 24 h ticker addresses: {@code ticker.<SYMBOL>} (publish, body = ticker JSON). */
  public static final String TICKER_PREFIX = "ticker.";

  /** Request-reply: tickers. Body {symbol?}; reply {tickers:[ticker JSON...]}. */
  public static final String TICKERS = "candlecast.tickers";

  /**
   * Prefix of trade tape addresses: {@code trades.<SYMBOL>} (publish, body = {@link
   * TapeCodec#update}: the trades of one aggregator poll batch of the symbol).
   */
  public static final String TRADES_PREFIX = "trades.";

  /**
   * Request-reply: recent trades of one symbol. Body {symbol, limit?, from?, since?, afterSeq?};
   * reply {symbol, lastSeq, more, trades:[...]} (see docs/PROTOCOL.md); 410 when {@code
   * since}/{@code afterSeq} is no longer held.
   */
  public static final String TRADES = "candlecast.trades";

  /** Prefix of health request addresses: {@code candlecast.health.<component>}. */
  public static final String HEALTH_PREFIX = "candlecast.health.";

  /**
   * Prefix of order book addresses: {@code book.<SYMBOL>} (publish, body = {@link BookCodec} JSON
   * with seq).
   */
  public static final String BOOK_PREFIX = "book.";

  /**
   * Request-reply: a symbol's current book. Body {symbol, depth?}; reply = {@link BookCodec} JSON
   * cut to depth.
   */
  public static final String BOOK = "candlecast.book";

  /**
   * Request-reply, served by the feed when its source can serve history (bitstamp): bars of the
   * exchange's OHLC endpoint. Body {symbol, tf, from, to} (open times, epoch ms, inclusive); reply
   * {candles:[...]} (closed candles, {@code "src":"exchange"}, {@code n} = 0, oldest first); fails
   * 501 when the running source cannot serve history, 400 for a malformed request or a timeframe
   * the exchange cannot give (1s), 502 when the exchange keeps failing.
   */
  public static final String FEED_OHLC = "candlecast.feed.ohlc";

  /**
   * Request-reply: import a CSV of OHLC(V) bars for a symbol ({@link BarCsv}). Body {symbol, tf,
   * csv}; reply {symbol, tf, bars, stored:{tf:n,...}, skipped}; 400 with the line for a malformed
   * CSV (nothing stored). Any aggregator instance answers or forwards it to the symbol's owner,
   * also for a symbol nobody owns yet ({@link #ownerPartition}).
   */
  public static final String IMPORT = "candlecast.import";

  /**
   * Request-reply, registered by the aggregator instance that holds {@code trades} partition p: the
   * owner of every symbol of that partition, also of one without trades (an import's). Same bodies
   * as {@link #owner}.
   */
  public static String ownerPartition(int partition) {
    return "candlecast.owner.partition." + partition;
  }

  /**
   * Request-reply, registered by the feed leader only: replay controls. Body {op:"start"|"pause"|
   * "reset"|"speed"|"status", speed?}; reply the replay status {state, speed, position, total, eta,
   * pass, file}; fails 400 (malformed), 409 (not allowed now, or the running source is not a
   * replay).
   */
  public static final String FEED_REPLAY = "candlecast.feed.replay";

  /** Published every second by the feed leader while a replay runs: the replay status. */
  public static final String REPLAY_STATUS = "candlecast.status.replay";

  /**
   * Request-reply: analysis series (issue 16). Any aggregator instance answers or forwards to the
   * symbol's owner. Bodies {op:"open"|"query", symbol, tf, name, params, ...}; see docs/PROTOCOL.md
   * "Analysis".
   */
  public static final String ANALYSIS = "candlecast.analysis";

  /** Prefix of analysis update addresses: {@code analysis.<SYMBOL>.<tf>.<key>}. */
  public static final String ANALYSIS_PREFIX = "analysis.";

  /**
   * Request-reply: alerts (issue 17). Any aggregator instance answers or forwards to the symbol's
   * owner. Bodies {op:"create"|"delete"|"list"|"get"|"fires", owner, ...}; see docs/PROTOCOL.md
   * "Alerts: event bus".
   */
  public static final String ALERTS = "candlecast.alerts";

  /** Prefix of the per-owner fire addresses: {@code alerts.owner.<owner>}. */
  public static final String ALERTS_OWNER_PREFIX = "alerts.owner.";

  /** Request-reply: portfolios (issue 17), {op:"get"|"put"|"upsert"|"remove", owner, ...}. */
  public static final String PORTFOLIO = "candlecast.portfolio";

  /**
   * Publish, by the aggregator instance that wrote it: an owner's new portfolio record (issue 17),
   * {owner, record}; every gateway node valuing that owner takes it at once.
   */
  public static final String PORTFOLIO_CHANGED = "candlecast.portfolio.changed";

  /** Prefix of the bridge's per-owner valuation addresses: {@code portfolio.<owner>}. */
  public static final String PORTFOLIO_OWNER_PREFIX = "portfolio.";

  /** Publish: operator notices (issue 17) to every gateway node, {text, level, link, symbol}. */
  public static final String NOTICES = "candlecast.notices";

  /**
   * Local only (never clustered): a node's cluster watch publishes {@code
   * {"nodeId":...,"members":n}} (n = members left in its view) here when a Hazelcast member leaves
   * the cluster (kill -9, a cut-off or paused member, a clean stop; issue 19).
   */
  public static final String CLUSTER_MEMBER_LEFT = "candlecast.cluster.member-left";

  /**
   * Cluster-wide async map: each running aggregator's cluster node id → its consumer-group instance
   * id, so that the survivors can evict a departed aggregator from the group at once (issue 19).
   */
  public static final String AGGREGATOR_INSTANCES = "candlecast.aggregator-instances";

  /** Where an owner's alert fires are published (every gateway node with its clients listens). */
  public static String alertsOwner(String owner) {
    return ALERTS_OWNER_PREFIX + owner;
  }

  private Addresses() {}

  /** Where the owner publishes a series' updates, e.g. {@code analysis.BTCUSD.1m.rsi:14}. */
  public static String analysis(String symbol, Timeframe tf, String key) {
    return ANALYSIS_PREFIX + symbol + '.' + tf.label() + '.' + key;
  }

  /**
   * Request-reply, registered only by the aggregator instance that owns the symbol:
   * {op:"history",...}, {op:"ticker"} or {op:"trades",...}. Clients use {@link #HISTORY} / {@link
   * #TICKERS} / {@link #TRADES}, which any instance answers or forwards here.
   */
  public static String owner(String symbol) {
    return "candlecast.owner." + symbol;
  }

  public static String ticker(String symbol) {
    return TICKER_PREFIX + symbol;
  }

  public static String trades(String symbol) {
    return TRADES_PREFIX + symbol;
  }

  public static String book(String symbol) {
    return BOOK_PREFIX + symbol;
  }

  public static String health(String component) {
    return HEALTH_PREFIX + component;
  }

  public static String candles(String symbol, Timeframe tf) {
    return CANDLES_PREFIX + symbol + '.' + tf.label();
  }
}
