package candlecast.gateway;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * The gateway node's access to analysis series (issue 16): one bus consumer and one lease per
 * distinct (symbol, tf, key) per node, shared by every subscriber of every protocol; implemented by
 * {@code AnalysisHub}.
 */
public interface AnalysisFeed {
  /** A subscriber's hold on one series; {@link #close()} releases it (idempotent). */
  interface Lease extends AutoCloseable {
    /**
     * The owner's open reply: {symbol, tf, name, key, params, fields, points:[…]} with the newest
     * {@code limit} points, oldest first (the last one {@code closed:false} when the open window
     * has a value).
     */
    JsonObject snapshot();

    @Override
    void close();
  }

  /**
   * Acquires a series for a subscriber: activates it on the owner (or joins this node's existing
   * activation), then delivers each update body (as published on {@code analysis.<SYMBOL>.<tf>.
   * <key>}) to {@code updates}, on the caller's context, until the lease is closed. Updates that
   * arrive before the snapshot is complete are buffered and delivered after it, those the snapshot
   * already shows ({@code t} older than its last closed point) dropped.
   *
   * @return fails with a {@code io.vertx.core.eventbus.ReplyException}: 400 bad request, 404
   *     unknown symbol, 429 series cap reached (on the owner or this node), 503 no owner / timeout
   */
  Future<Lease> acquire(
      String symbol, Timeframe tf, AnalysisSpec spec, int limit, Handler<JsonObject> updates);
}
