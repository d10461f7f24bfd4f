package candlecast.gateway;

import io.vertx.core.json.JsonObject;

/**
 * One parsed client command, from the text protocol ({@link CommandParser}) or the JSON protocol
 * ({@link JsonCommandParser}). Which protocol answers it is the {@link Dialect} that parsed it;
 * {@code id} is the client's request id (a number or a string, echoed in replies), null when
 * absent.
 */
public sealed interface Command {

  /**
   * Subscribe to one candle series.
   *
   * @param since JSON only: resume from this open time (epoch ms), null for a plain snapshot
   * @param throttleMs JSON only: at most one open-candle update per this many ms (0 = every update)
   */
  record Subscribe(SeriesKey key, Object id, Long since, long throttleMs) implements Command {
    public Subscribe(String symbol, candlecast.common.Timeframe tf) {
      this(new SeriesKey(symbol, tf), null, null, 0);
    }
  }

  /** JSON only: subscribe to a symbol's 24 h ticker. */
  record SubscribeTicker(String symbol, Object id) implements Command {}

  /**
   * JSON only: subscribe to a symbol's trades.
   *
   * @param since resume after the trade with this exchange id (null: a snapshot of the newest
   *     trades)
   * @param batch most trades per frame the client wants (null: the server's cap)
   */
  record SubscribeTrades(String symbol, Object id, Long since, Integer batch) implements Command {}

  /** JSON only: unsubscribe from a symbol's trades. */
  record UnsubscribeTrades(String symbol, Object id) implements Command {}

  /**
   * Unsubscribe from one candle series ({@code unsub-<tf>[:SYMBOL]} or JSON {@code unsubscribe}).
   */
  record Unsubscribe(SeriesKey key, Object id) implements Command {}

  /** JSON only: unsubscribe from a symbol's ticker. */
  record UnsubscribeTicker(String symbol, Object id) implements Command {}

  /**
   * JSON only: subscribe to a symbol's order book at {@code depth} (10, 25 or 100) levels per side.
   */
  record SubscribeBook(String symbol, int depth, Object id) implements Command {}

  /** JSON only: unsubscribe from a symbol's order book (whatever its depth). */
  record UnsubscribeBook(String symbol, Object id) implements Command {}

  /**
   * JSON only: subscribe to an analysis series (channel {@code indicator}, {@code patterns} or
   * {@code risk}).
   *
   * @param spec the validated, canonical spec
   * @param limit points in the snapshot (0 to {@link AnalysisHub#MAX_LIMIT})
   */
  record SubscribeAnalysis(
      String channel,
      String symbol,
      candlecast.common.Timeframe tf,
      candlecast.common.analysis.AnalysisSpec spec,
      int limit,
      Object id)
      implements Command {
    AnalysisKey key() {
      return new AnalysisKey(symbol, tf, spec.key());
    }
  }

  /** JSON only: unsubscribe from an analysis series (by name and params, or by key). */
  record UnsubscribeAnalysis(
      String channel,
      String symbol,
      candlecast.common.Timeframe tf,
      candlecast.common.analysis.AnalysisSpec spec,
      Object id)
      implements Command {
    AnalysisKey key() {
      return new AnalysisKey(symbol, tf, spec.key());
    }
  }

  /** Drop every subscription ({@code unsub} or JSON {@code {"type":"unsubscribe","all":true}}). */
  record UnsubscribeAll(Object id) implements Command {
    static final UnsubscribeAll TEXT = new UnsubscribeAll(null);
  }

  /** JSON {@code ping}: answered with {@code pong}. */
  record Ping(Object id) implements Command {}

  /** JSON {@code heartbeat}: answered with {@code heartbeat/ack}. */
  record Heartbeat(Object id) implements Command {}

  /**
   * JSON {@code history_batch}: history for several symbols, with progress ({@link BatchRequest}
   * validates the body with the gateway's limits).
   */
  record HistoryBatch(JsonObject body, Object id) implements Command {}

  /** JSON {@code list}: answered with the connection's subscriptions. */
  record ListSubscriptions(Object id) implements Command {}

  /**
   * {@code /ws/stream} (stream service dialect): subscribe to data of a symbol.
   *
   * @param symbol the canonical symbol
   * @param spelling the symbol as the client wrote it (trimmed): the replies and data of the
   *     subscription name it so
   * @param types the data types, a bit set of {@link StreamDataType#bit()}
   * @param tf the timeframe of its candle data
   */
  record StreamSubscribe(String symbol, String spelling, int types, candlecast.common.Timeframe tf)
      implements Command {}

  /**
   * {@code /ws/stream}: unsubscribe from a symbol ({@code spelling} as in {@link StreamSubscribe}).
   */
  record StreamUnsubscribe(String symbol, String spelling) implements Command {}

  /**
   * {@code /ws/analysis} (the stream service's analysis stream): subscribe to the analysis of a
   * symbol at {@code tf} ({@code spelling} as in {@link StreamSubscribe}).
   */
  record AnalysisStreamSubscribe(String symbol, String spelling, candlecast.common.Timeframe tf)
      implements Command {}

  /** {@code /ws/analysis}: unsubscribe from a symbol's analysis. */
  record AnalysisStreamUnsubscribe(String symbol, String spelling) implements Command {}

  /**
   * JSON only (issue 17): an alert request ({@code alert_create}, {@code alert_delete}, {@code
   * alert_list}, {@code alert_get}) as the body of a {@code candlecast.alerts} request without its
   * owner.
   *
   * @param type the command's type (it names the reply)
   * @param owner the command's {@code owner} field (used when neither a token nor the upgrade URL
   *     names the owner), null when absent
   */
  record AlertRequest(String type, JsonObject request, String owner, Object id)
      implements Command {}

  /**
   * JSON only (issue 17): subscribe to the owner's alert fires, first those recorded after {@code
   * since} (epoch ms, null: live only).
   */
  record SubscribeAlerts(Long since, String owner, Object id) implements Command {}

  /** JSON only: unsubscribe from the owner's alert fires. */
  record UnsubscribeAlerts(Object id) implements Command {}

  /** {@code /ws/alerts} (the stream service's alerts stream): subscribe to a symbol's alerts. */
  record AlertsStreamSubscribe(String symbol, String spelling) implements Command {}

  /** {@code /ws/alerts}: unsubscribe from a symbol's alerts. */
  record AlertsStreamUnsubscribe(String symbol, String spelling) implements Command {}

  /**
   * JSON only: stream the owner's portfolio valuation ({@code channel} {@code portfolio}, issue
   * 17).
   *
   * @param owner the command's {@code owner} field (null when absent; see {@link OwnerIdentity})
   */
  record SubscribePortfolio(String owner, Object id) implements Command {}

  /** JSON only: stop streaming the portfolio valuation. */
  record UnsubscribePortfolio(Object id) implements Command {}

  /**
   * JSON {@code portfolio_get}, {@code portfolio_set}, {@code portfolio_upsert}, {@code
   * portfolio_remove}: {@code request} is the {@code candlecast.portfolio} body without the owner
   * ({@code op} and {@code positions}, {@code position} or {@code symbol}).
   */
  record PortfolioRequest(JsonObject request, String owner, Object id) implements Command {}

  /**
   * {@code /ws/portfolio}: a symbol's position in the owner's portfolio ({@code spelling} as
   * written).
   */
  record PortfolioStreamSubscribe(String symbol, String spelling) implements Command {}

  /** {@code /ws/portfolio}: unsubscribe from a symbol. */
  record PortfolioStreamUnsubscribe(String symbol, String spelling) implements Command {}

  /**
   * A command that cannot be executed.
   *
   * @param code stable machine-readable reason (see {@link ErrorCodes})
   * @param message human-readable reason that names the command
   * @param command text protocol: the offending command, truncated to {@link
   *     CommandParser#ECHO_LIMIT} characters; null in the JSON protocol
   */
  record Invalid(String code, String message, String command, Object id) implements Command {
    public Invalid(String code, String message, String command) {
      this(code, message, command, null);
    }

    /** The error frame: {@code {"type":"error","code":..,"message":..,("command":..|"id":..)}}. */
    public JsonObject toJson() {
      JsonObject j =
          new JsonObject().put("type", "error").put("code", code).put("message", message);
      if (command != null) {
        j.put("command", command);
      }
      if (id != null) {
        j.put("id", id);
      }
      return j;
    }
  }
}
