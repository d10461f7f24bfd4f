package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's side of {@code candlecast.portfolio} (issue 17) shared by REST, {@code /ws} and the
 * bridge: sends a request, values a record with the current tickers, and maps a failure to an error
 * code, message and HTTP status (the text before the first ": " of the aggregator's reason is the
 * code: {@code bad_position}, {@code bad_owner}, {@code unknown_symbol}, {@code not_found}, …; no
 * aggregator or no answer in time → {@code portfolio_unavailable}, 503).
 */
final class PortfolioRequests {
  static final String UNAVAILABLE = "portfolio_unavailable";

  /** An error: its code, message and HTTP status. */
  record Failure(String code, String message, int status) {
    JsonObject frame(Object id) {
      return Frames.jsonError(code, message, id);
    }
  }

  private final EventBus bus;
  private final DeliveryOptions options;

  PortfolioRequests(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** Sends {@code body} (with {@code op} and {@code owner}); the reply is the record. */
  Future<JsonObject> ask(JsonObject body) {
    return bus.<Object>request(Addresses.PORTFOLIO, body, options)
        .compose(
            m ->
                m.body() instanceof JsonObject r
                    ? Future.succeededFuture(r)
                    : Future.failedFuture(new IllegalStateException("malformed portfolio reply")));
  }

  /** The record's valuation with the current tickers of every symbol. */
  Future<JsonObject> value(JsonObject record, long nowMs) {
    return bus.<Object>request(Addresses.TICKERS, new JsonObject(), options)
        .map(
            m -> {
              Map<String, JsonObject> tickers = new HashMap<>();
              if (m.body() instanceof JsonObject j
                  && j.getValue("tickers") instanceof JsonArray a) {
                for (Object t : a) {
                  if (t instanceof JsonObject o && o.getValue("symbol") instanceof String s) {
                    tickers.put(s, o);
                  }
                }
              }
              return PortfolioValuation.valuation(
                  record.getString("owner"), nowMs, record, tickers);
            });
  }

  /** The error of a failed request. */
  static Failure failure(Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      String text = String.valueOf(re.getMessage());
      int colon = text.indexOf(": ");
      int status = re.failureCode() >= 400 && re.failureCode() < 600 ? re.failureCode() : 502;
      if (colon > 0) {
        return new Failure(text.substring(0, colon), text.substring(colon + 2), status);
      }
      return new Failure(UNAVAILABLE, text, status);
    }
    if (err instanceof ReplyException re) {
      String why =
          re.failureType() == ReplyFailure.NO_HANDLERS
              ? "no aggregator is reachable"
              : "the aggregator did not answer in time";
      return new Failure(UNAVAILABLE, why, 503);
    }
    return new Failure(UNAVAILABLE, String.valueOf(err.getMessage()), 502);
  }
}
