package candlecast.feed;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of a feed's counters.
 *
 * @param tradesIn       trades received from the source (valid or not)
 * @param rejected       trades that failed validation and went to {@code trades.dlq}
 * @param sent           valid trades acknowledged by Kafka on {@code trades}
 * @param sendErrors     sends that failed (to {@code trades} or {@code trades.dlq})
 * @param pending        sends not yet acknowledged or failed
 * @param lastTradeTime  event time of the last valid trade handed to Kafka, epoch ms (0 = none yet)
 * @param lastSendFailed whether the most recent completed send failed
 * @param lastError      message of the most recent send failure, or null
 */
public record FeedStats(long tradesIn, long rejected, long sent, long sendErrors, long pending, long lastTradeTime,
                        boolean lastSendFailed, String lastError) {

  /** The reply to {@code candlecast.health.feed}: status DOWN when the last send failed. */
  public JsonObject toHealthJson(String source) {
    JsonObject j = new JsonObject()
        .put("status", lastSendFailed ? "DOWN" : "UP")
        .put("source", source)
        .put("tradesIn", tradesIn)
        .put("rejected", rejected)
        .put("sent", sent)
        .put("sendErrors", sendErrors)
        .put("pending", pending)
        .put("lastTradeTime", lastTradeTime);
    if (lastError != null) {
      j.put("lastError", lastError);
    }
    return j;
  }
}
