package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols a {@code /ws/stream} connection subscribed to, in the stream service dialect.
 * Subscribing to a symbol makes one {@link StreamPart} per data type, each an ordinary subscription
 * of the connection's {@link Subscriptions} (so each counts against {@code
 * gateway.max-subscriptions} and is dropped with the connection). The ack waits until every part's
 * consumer is registered and the ticker tier has answered for the symbol: an unknown symbol is
 * refused, and the current price follows the ack at once as a {@code data} message. The connection
 * reads no further message meanwhile ({@link CommandFlow}), so data never precede the ack.
 *
 * <p>Event-loop confined.
 */
final class StreamSubscriptions {
  private final Subscriptions subs;
  private final Map<String, List<StreamPart>> groups = new HashMap<>(4);

  StreamSubscriptions(Subscriptions subs) {
    this.subs = subs;
  }

  void subscribe(StreamDialect dialect, Command.StreamSubscribe cmd) {
    CommandFlow flow = subs.flow;
    if (groups.containsKey(cmd.symbol())) {
      flow.reply(
          dialect.subscription(
              "subscribed", cmd.spelling())); // as asked; unsubscribe first to change it
      return;
    }
    int max = subs.env.options().maxSubscriptions();
    int need = Integer.bitCount(cmd.types());
    if (subs.count() + need > max) {
      flow.reply(
          dialect.error(
              ErrorCodes.TOO_MANY_SUBSCRIPTIONS,
              "cannot subscribe to "
                  + cmd.spelling()
                  + ": it "
                  + "takes "
                  + need
                  + " subscription"
                  + (need == 1 ? "" : "s")
                  + " (one per data type) and "
                  + (max - subs.count())
                  + " are left; "
                  + Dialect.tooManyReason(max),
              null,
              null));
      return;
    }
    List<StreamPart> parts = new ArrayList<>(need);
    List<Future<Void>> ready = new ArrayList<>(need);
    for (StreamDataType t : StreamDataType.ALL) {
      if ((cmd.types() & t.bit()) != 0) {
        StreamPart p =
            new StreamPart(subs, t, t.key(cmd.symbol(), cmd.tf()), cmd.spelling(), dialect);
        parts.add(p);
        ready.add(subs.attach(p));
      }
    }
    groups.put(cmd.symbol(), parts);
    flow.begin();
    Future.all(ready)
        .onComplete(
            reg -> {
              if (parts.get(0).cancelled()) { // the connection closed meanwhile
                flow.end();
              } else if (reg.failed()) {
                drop(cmd.symbol(), parts);
                flow.reply(
                    dialect.error(
                        ErrorCodes.SUBSCRIBE_FAILED,
                        "cannot subscribe to " + cmd.spelling() + ": " + reg.cause().getMessage(),
                        null,
                        null));
                flow.end();
              } else {
                ticker(cmd.symbol())
                    .onComplete(
                        ar -> {
                          if (!parts.get(0).cancelled()) {
                            started(dialect, cmd, parts, ar);
                          }
                          flow.end();
                        });
              }
            });
  }

  void unsubscribe(StreamDialect dialect, Command.StreamUnsubscribe cmd) {
    List<StreamPart> parts = groups.remove(cmd.symbol());
    if (parts == null) {
      subs.flow.reply(
          dialect.error(
              ErrorCodes.NOT_SUBSCRIBED, "not subscribed to " + cmd.spelling(), null, null));
      return;
    }
    parts.forEach(subs::drop);
    subs.flow.reply(dialect.subscription("unsubscribed", cmd.spelling()));
  }

  /** Asks the ticker tier for the symbol's current ticker (404: the symbol is unknown). */
  private Future<Object> ticker(String symbol) {
    WsConnection.Env env = subs.env;
    return env.bus()
        .request(Addresses.TICKERS, new JsonObject().put("symbol", symbol), env.historyOptions())
        .map(Message::body);
  }

  /**
   * The parts are registered and the ticker tier answered: refuse an unknown symbol, else ack and
   * go live (when the tier is down or slow, without a current price: live data follow).
   */
  private void started(
      StreamDialect dialect,
      Command.StreamSubscribe cmd,
      List<StreamPart> parts,
      AsyncResult<Object> ar) {
    if (ar.failed() && ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
      drop(cmd.symbol(), parts);
      subs.flow.reply(
          dialect.error(
              ErrorCodes.UNKNOWN_SYMBOL,
              "unknown symbol " + cmd.spelling() + ": " + ar.cause().getMessage(),
              null,
              null));
      return;
    }
    subs.flow.reply(dialect.subscription("subscribed", cmd.spelling()));
    JsonObject current = ar.succeeded() ? current(ar.result(), cmd.symbol()) : null;
    for (StreamPart p : parts) {
      if (current != null && p.type() == StreamDataType.MARKET) {
        p.current(current);
      }
      p.start();
    }
  }

  /**
   * The one valid ticker of a {@code candlecast.tickers} reply; null when there is none (the tier
   * has no price).
   */
  private static JsonObject current(Object body, String symbol) {
    if (body instanceof JsonObject j
        && j.getValue("tickers") instanceof JsonArray arr
        && arr.size() == 1) {
      try {
        return TickerKey.validate(arr.getValue(0), symbol);
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  private void drop(String symbol, List<StreamPart> parts) {
    if (groups.get(symbol) == parts) {
      groups.remove(symbol);
    }
    parts.forEach(subs::drop);
  }
}
