package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter side of one source's {@link TradeGate}: writes rejected input to {@code
 * trades.dlq} as {@code {"reason","source",["line",]"trade"|"raw"}}, logs the first rejections and
 * counts the records the full log buffer did not take. Call it from the feed's context only.
 */
final class DeadLetters {
  // The gate's logger: these lines keep the category they had before the split.
  private static final Logger LOG = LoggerFactory.getLogger(TradeGate.class);
  private static final int MAX_REJECT_LOGS = 20;

  private final String source;
  private final TradeLog log;
  private long dropped;
  private long rejectLogs;

  DeadLetters(String source, TradeLog log) {
    this.source = source;
    this.log = log;
  }

  /** Writes a trade (possibly invalid) with the reason it was rejected. */
  void trade(Trade t, String reason, Long line) {
    write(t == null ? null : t.symbol(), reason, "trade", t == null ? null : tradeJson(t), line);
  }

  /**
   * Writes something that is not even a trade: a raw value that parses as JSON is embedded as JSON,
   * else as a string.
   */
  void raw(String reason, String raw, Long line) {
    Object rawValue = raw;
    if (raw != null) {
      try {
        rawValue = Json.decodeValue(raw);
      } catch (DecodeException e) {
        rawValue = raw;
      }
    }
    write(null, reason, "raw", rawValue, line);
  }

  /** Dead-letter records the full log buffer did not take. */
  long dropped() {
    return dropped;
  }

  private void write(String key, String reason, String field, Object value, Long line) {
    JsonObject v = new JsonObject().put("reason", reason).put("source", source);
    if (line != null) {
      v.put("line", line);
    }
    v.put(field, value);
    if (rejectLogs++ < MAX_REJECT_LOGS) {
      String more = rejectLogs == MAX_REJECT_LOGS ? "; further rejections are only counted" : "";
      if (line == null) {
        LOG.warn("feed {}: rejected to trades.dlq ({}){}", source, reason, more);
      } else {
        LOG.warn("feed {}: rejected to trades.dlq, line {} ({}){}", source, line, reason, more);
      }
    }
    if (!log.offer(new LogRecord.DlqRecord(key, v))) {
      dropped++;
    }
  }

  /** A trade as JSON even when it is invalid (nulls, non-finite numbers). */
  static JsonObject tradeJson(Trade t) {
    return new JsonObject()
        .put("symbol", t.symbol())
        .put("id", t.id())
        .put("time", t.time())
        .put("price", number(t.price()))
        .put("amount", number(t.amount()))
        .put("side", t.side() == null ? null : t.side().wire());
  }

  private static Object number(double d) {
    return Double.isFinite(d) ? d : String.valueOf(d);
  }
}
