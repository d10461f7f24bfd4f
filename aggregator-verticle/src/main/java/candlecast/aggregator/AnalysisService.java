package candlecast.aggregator;

import candlecast.aggregator.analysis.AnalysisEngine;
import candlecast.aggregator.analysis.AnalysisException;
import candlecast.aggregator.analysis.Detections;
import candlecast.aggregator.analysis.Indicator;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's analysis side on the event bus (issue 16): answers {@code analysis.open} and
 * {@code analysis.query} for owned symbols ({@link OwnerRequests} routes them), publishes the live
 * series' updates on {@code analysis.<SYMBOL>.<tf>.<key>} (one per series per fold batch), and
 * sweeps expired leases every {@link #SWEEP_MS}. The computation is the {@link AnalysisEngine}'s;
 * this class only wires it.
 */
final class AnalysisService {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisService.class);

  /** How often expired leases are looked for (a series lives 20 to 21 s after its last open). */
  static final long SWEEP_MS = 1_000;

  private final Vertx vertx;
  private final AnalysisEngine engine;
  private long timer = -1;

  AnalysisService(
      Vertx vertx,
      HistoryStore history,
      int maxSeries,
      BiFunction<AnalysisSpec, Timeframe, Indicator> factory) {
    this.vertx = vertx;
    this.engine =
        new AnalysisEngine(
            history,
            System::currentTimeMillis,
            maxSeries,
            factory,
            Detections.PATTERN_SET,
            vertx.eventBus()::publish);
  }

  void start() {
    timer =
        vertx.setPeriodic(
            SWEEP_MS,
            id -> {
              int n = engine.expire();
              if (n > 0) {
                LOG.debug("{} analysis series expired, {} live", n, engine.liveCount());
              }
            });
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Answers {@code analysis.open} or {@code analysis.query} for an owned symbol. */
  Future<JsonObject> answer(String op, JsonObject body) {
    try {
      if (op.equals("analysis.open")) {
        return Future.succeededFuture(engine.open(body));
      }
      if (op.equals("analysis.query")) {
        return Future.succeededFuture(engine.query(body));
      }
      return fail(400, "op must be open or query, was " + op.substring("analysis.".length()));
    } catch (AnalysisException e) {
      return fail(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("analysis request {} failed", body, e);
      return fail(500, "analysis failed: " + e.getMessage());
    }
  }

  private static Future<JsonObject> fail(int code, String message) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
  }

  /** A candle update of an owned symbol (after history has it). */
  void onCandle(Candle c) {
    engine.onCandle(c);
  }

  /** The end of a fold batch: publishes one update per series that got points in it. */
  void flush() {
    engine.flush();
  }

  /** The symbol is no longer owned here. */
  void drop(String symbol) {
    engine.dropSymbol(symbol);
  }

  int liveCount() {
    return engine.liveCount();
  }
}
