package candlecast.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raw WebSocket client of {@code /ws}. State is small: the socket, its subscriptions (at most
 * {@link #MAX_SUBSCRIPTIONS}) and two flags. Commands are handled one at a time: while a subscription waits for its
 * consumer registration, or while our replies sit in a full write queue, the socket is paused (TCP back-pressure), so
 * a later command never overtakes an earlier one.
 */
final class WsConnection implements SeriesHub.Subscriber {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  static final int MAX_SUBSCRIPTIONS = 32;
  static final String CODE_TOO_MANY = "too_many_subscriptions";
  static final String CODE_SUBSCRIBE_FAILED = "subscribe_failed";

  private final ServerWebSocket ws;
  private final SeriesHub hub;
  private final CommandParser parser;
  private final Runnable onClosed;
  private final List<SeriesKey> subscriptions = new ArrayList<>(2);
  private boolean awaitingRegistration;
  private boolean awaitingDrain;
  private boolean closed;

  WsConnection(ServerWebSocket ws, SeriesHub hub, CommandParser parser, Runnable onClosed) {
    this.ws = ws;
    this.hub = hub;
    this.parser = parser;
    this.onClosed = onClosed;
  }

  void start() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> reply(((Command.Invalid) parser.binary(b.length())).toJson()));
    ws.exceptionHandler(err -> LOG.debug("websocket {}: {}", ws.remoteAddress(), err.toString()));
    ws.closeHandler(v -> onClose());
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void send(Buffer update) {
    ws.writeFrame(Frames.textFrame(update));
  }

  private void onText(String text) {
    Command c = parser.parse(text);
    if (c instanceof Command.Subscribe s) {
      subscribe(s.key());
    } else if (c instanceof Command.UnsubscribeAll) {
      int n = subscriptions.size();
      unsubscribeAll();
      reply(Frames.unsubscribed(n));
    } else {
      reply(((Command.Invalid) c).toJson());
    }
  }

  private void subscribe(SeriesKey key) {
    if (subscriptions.contains(key)) {
      reply(Frames.subscribed(key));
      return;
    }
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      String cmd = command(key);
      reply(Frames.error(CODE_TOO_MANY, "cannot execute '" + cmd + "': a connection may hold at most "
          + MAX_SUBSCRIPTIONS + " subscriptions; send unsub first", cmd));
      return;
    }
    subscriptions.add(key);
    Future<Void> ready = hub.subscribe(key, this);
    if (ready.isComplete()) {
      registered(key, ready);
    } else {
      awaitingRegistration = true;
      updateFlow();
      ready.onComplete(ar -> {
        awaitingRegistration = false;
        registered(key, ready);
        updateFlow();
      });
    }
  }

  private void registered(SeriesKey key, Future<Void> ready) {
    if (closed) {
      return;
    }
    if (ready.succeeded()) {
      reply(Frames.subscribed(key));
    } else {
      subscriptions.remove(key);
      hub.unsubscribe(key, this);
      String cmd = command(key);
      reply(Frames.error(CODE_SUBSCRIBE_FAILED, "cannot execute '" + cmd + "': " + ready.cause().getMessage(), cmd));
    }
  }

  /** The canonical command for a series (what the client sent, modulo symbol case and the default symbol). */
  private static String command(SeriesKey key) {
    return CommandParser.SUB + key.tf().label() + ":" + key.symbol();
  }

  private void unsubscribeAll() {
    for (SeriesKey key : subscriptions) {
      hub.unsubscribe(key, this);
    }
    subscriptions.clear();
  }

  private void reply(JsonObject json) {
    if (closed) {
      return;
    }
    ws.writeTextMessage(json.encode());
    if (!awaitingDrain && ws.writeQueueFull()) {
      // The client sends commands but does not read: stop reading its commands until it does.
      awaitingDrain = true;
      updateFlow();
      ws.drainHandler(v -> {
        ws.drainHandler(null);
        awaitingDrain = false;
        updateFlow();
      });
    }
  }

  private void updateFlow() {
    if (closed) {
      return;
    }
    if (awaitingRegistration || awaitingDrain) {
      ws.pause();
    } else {
      ws.resume();
    }
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    unsubscribeAll();
    onClosed.run();
  }
}
