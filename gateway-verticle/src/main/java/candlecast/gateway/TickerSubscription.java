package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A subscription to a symbol's 24 h ticker (JSON protocol only, so its replies are JSON frames):
 * opens with the current ticker, then passes on every newer one.
 */
final class TickerSubscription extends Subscription {
  private long newest = Long.MIN_VALUE;

  TickerSubscription(Subscriptions owner, TickerKey key, Object id) {
    super(owner, key, id);
  }

  String symbol() {
    return ((TickerKey) key).symbol();
  }

  @Override
  JsonObject describe() {
    return new JsonObject()
        .put("channel", JsonCommandParser.CHANNEL_TICKER)
        .put("symbol", symbol());
  }

  /** Asks the aggregator tier for the current ticker, replies ack + ticker, then goes live. */
  @Override
  Future<Void> start() {
    WsConnection.Env env = owner.env;
    return env.bus()
        .request(Addresses.TICKERS, new JsonObject().put("symbol", symbol()), env.historyOptions())
        .map(Message::body)
        .transform(
            ar -> {
              if (!cancelled()) {
                snapshot(ar);
              }
              return Future.succeededFuture();
            });
  }

  private void snapshot(AsyncResult<Object> ar) {
    String symbol = symbol();
    if (ar.failed() && ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
      drop();
      reply(
          Frames.jsonError(
              ErrorCodes.UNKNOWN_SYMBOL, "unknown symbol " + symbol + ": " + re.getMessage(), id));
      return;
    }
    reply(Frames.tickerSubscription("subscribed", symbol, id));
    JsonObject ticker = ticker(ar);
    if (ticker != null) {
      newest = ticker.getLong("time");
      reply(Frames.ticker(ticker));
    } else {
      reply(
          Frames.jsonError(
              ErrorCodes.TICKER_UNAVAILABLE,
              "no current ticker for "
                  + symbol
                  + ": "
                  + (ar.failed()
                      ? BusErrors.toHttp(ar.cause(), "tickers unavailable").error()
                      : "malformed reply")
                  + "; live updates follow",
              id));
    }
    goLive();
  }

  /** The one valid ticker of the reply; null when the request failed or the reply is malformed. */
  private JsonObject ticker(AsyncResult<Object> ar) {
    if (ar.succeeded()
        && ar.result() instanceof JsonObject body
        && body.getValue("tickers") instanceof JsonArray arr
        && arr.size() == 1) {
      try {
        return TickerKey.validate(arr.getValue(0), symbol());
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  void live(Update u) {
    if (u.time() < newest) {
      return; // older than the ticker already sent
    }
    newest = u.time();
    emit(u);
  }
}
