package candlecast.gateway;

import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import java.util.List;

/**
 * Every knob of the gateway, resolved once from the configuration (see the {@code gateway.*}
 * settings and {@code http.cors-origins}). Pure data.
 */
public record GatewayOptions(
    String host,
    int port,
    String defaultSymbol,
    Timeframe defaultTf,
    int snapshotSize,
    int maxLimit,
    List<String> corsOrigins,
    int maxMessageBytes,
    int maxSubscriptions,
    double messagesPerSecond,
    int messagesBurst,
    int rateStrikes,
    int maxConnections,
    double connectionsPerSecond,
    int connectionsBurst,
    long pingIntervalMs,
    long idleTimeoutMs,
    long slowClientMs,
    int writeQueueBytes,
    int sendBufferBytes,
    int batchMaxSymbols,
    long historyTimeoutMs,
    String jwtSecret,
    String jwtIssuer,
    String jwtAudience,
    String uiConfigFile,
    Trades trades,
    Analysis analysis) {

  /** The options without the analysis knobs (their defaults). */
  public GatewayOptions(
      String host,
      int port,
      String defaultSymbol,
      Timeframe defaultTf,
      int snapshotSize,
      int maxLimit,
      List<String> corsOrigins,
      int maxMessageBytes,
      int maxSubscriptions,
      double messagesPerSecond,
      int messagesBurst,
      int rateStrikes,
      int maxConnections,
      double connectionsPerSecond,
      int connectionsBurst,
      long pingIntervalMs,
      long idleTimeoutMs,
      long slowClientMs,
      int writeQueueBytes,
      int sendBufferBytes,
      int batchMaxSymbols,
      long historyTimeoutMs,
      String jwtSecret,
      String jwtIssuer,
      String jwtAudience,
      String uiConfigFile,
      Trades trades) {
    this(
        host,
        port,
        defaultSymbol,
        defaultTf,
        snapshotSize,
        maxLimit,
        corsOrigins,
        maxMessageBytes,
        maxSubscriptions,
        messagesPerSecond,
        messagesBurst,
        rateStrikes,
        maxConnections,
        connectionsPerSecond,
        connectionsBurst,
        pingIntervalMs,
        idleTimeoutMs,
        slowClientMs,
        writeQueueBytes,
        sendBufferBytes,
        batchMaxSymbols,
        historyTimeoutMs,
        jwtSecret,
        jwtIssuer,
        jwtAudience,
        uiConfigFile,
        trades,
        new Analysis(16, 2_000, AnalysisHub.RENEW_MS));
  }

  /**
   * The analysis knobs (issue 16).
   *
   * @param maxIndicators distinct analysis subscriptions per connection ({@code
   *     gateway.max-indicators})
   * @param maxSeries distinct analysis series per node ({@code gateway.analysis-max-series})
   * @param renewMs how often a series' lease is renewed on its owner (fixed: {@link
   *     AnalysisHub#RENEW_MS}; tests shorten it)
   */
  public record Analysis(int maxIndicators, int maxSeries, long renewMs) {
    static Analysis from(CandlecastConfig c) {
      return new Analysis(
          c.get(Settings.GATEWAY_MAX_INDICATORS),
          c.get(Settings.GATEWAY_ANALYSIS_MAX_SERIES),
          AnalysisHub.RENEW_MS);
    }
  }

  /** These options with other analysis knobs. */
  public GatewayOptions withAnalysis(Analysis a) {
    return new GatewayOptions(
        host,
        port,
        defaultSymbol,
        defaultTf,
        snapshotSize,
        maxLimit,
        corsOrigins,
        maxMessageBytes,
        maxSubscriptions,
        messagesPerSecond,
        messagesBurst,
        rateStrikes,
        maxConnections,
        connectionsPerSecond,
        connectionsBurst,
        pingIntervalMs,
        idleTimeoutMs,
        slowClientMs,
        writeQueueBytes,
        sendBufferBytes,
        batchMaxSymbols,
        historyTimeoutMs,
        jwtSecret,
        jwtIssuer,
        jwtAudience,
        uiConfigFile,
        trades,
        a);
  }

  /**
   * The trades channel's knobs.
   *
   * @param snapshotSize trades in a subscription's snapshot; default limit of /api/trades
   * @param maxLimit largest limit of /api/trades; most trades a since-resume recovers
   * @param batchMax most trades per frame (caps a subscription's batch)
   * @param backlog trades a subscription keeps while its client is congested
   */
  public record Trades(int snapshotSize, int maxLimit, int batchMax, int backlog) {
    static Trades from(CandlecastConfig c) {
      return new Trades(
          c.get(Settings.GATEWAY_TRADES_SNAPSHOT_SIZE),
          c.get(Settings.GATEWAY_TRADES_MAX_LIMIT),
          c.get(Settings.GATEWAY_TRADES_BATCH_MAX),
          c.get(Settings.GATEWAY_TRADES_BACKLOG));
    }
  }

  public static GatewayOptions from(CandlecastConfig c) {
    return new GatewayOptions(
        c.get(Settings.HTTP_HOST),
        c.get(Settings.HTTP_PORT),
        c.get(Settings.GATEWAY_DEFAULT_SYMBOL),
        c.get(Settings.GATEWAY_DEFAULT_TF),
        c.get(Settings.GATEWAY_SNAPSHOT_SIZE),
        c.get(Settings.GATEWAY_MAX_LIMIT),
        c.get(Settings.HTTP_CORS_ORIGINS),
        c.get(Settings.GATEWAY_MAX_MESSAGE_BYTES),
        c.get(Settings.GATEWAY_MAX_SUBSCRIPTIONS),
        c.get(Settings.GATEWAY_MESSAGES_PER_SECOND),
        c.get(Settings.GATEWAY_MESSAGES_BURST),
        c.get(Settings.GATEWAY_RATE_STRIKES),
        c.get(Settings.GATEWAY_MAX_CONNECTIONS),
        c.get(Settings.GATEWAY_CONNECTIONS_PER_SECOND),
        c.get(Settings.GATEWAY_CONNECTIONS_BURST),
        c.get(Settings.GATEWAY_PING_INTERVAL_MS),
        c.get(Settings.GATEWAY_IDLE_TIMEOUT_MS),
        c.get(Settings.GATEWAY_SLOW_CLIENT_MS),
        c.get(Settings.GATEWAY_WRITE_QUEUE_BYTES),
        c.get(Settings.GATEWAY_SEND_BUFFER_BYTES),
        c.get(Settings.GATEWAY_BATCH_MAX_SYMBOLS),
        c.get(Settings.GATEWAY_HISTORY_TIMEOUT_MS),
        c.get(Settings.GATEWAY_JWT_SECRET),
        c.get(Settings.GATEWAY_JWT_ISSUER),
        c.get(Settings.GATEWAY_JWT_AUDIENCE),
        c.get(Settings.GATEWAY_UI_CONFIG_FILE),
        Trades.from(c),
        Analysis.from(c));
  }

  /** Health requests wait at most this long (never longer than history requests). */
  public long healthTimeoutMs() {
    return Math.min(1_000L, historyTimeoutMs);
  }

  public boolean authEnabled() {
    return jwtSecret != null && !jwtSecret.isEmpty();
  }

  /** Largest body of an HTTP request to /api or a SockJS HTTP transport. */
  public int maxRequestBodyBytes() {
    return Math.max(64 * 1024, maxMessageBytes * 16);
  }

  /** How often the connection sweeper runs (pings, idle and slow-client checks). */
  public long sweepIntervalMs() {
    long min = Math.min(pingIntervalMs, Math.min(idleTimeoutMs, slowClientMs));
    return Math.max(10L, Math.min(1_000L, min / 4));
  }
}
