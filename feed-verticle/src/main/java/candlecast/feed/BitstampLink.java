package candlecast.feed;

import static candlecast.feed.BitstampConnection.Phase.ACTIVE;
import static candlecast.feed.BitstampConnection.Phase.CLOSED;
import static candlecast.feed.BitstampConnection.Phase.SUBSCRIBING;
import static candlecast.feed.BitstampConnection.Phase.SWITCHING;

import candlecast.common.Trade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the {@link BitstampSource}: keeps one subscribed connection to Bitstamp,
 * forever, and hands its trades to the source. Heartbeats every {@code bitstamp.heartbeat-ms}; a
 * watchdog drops a connection silent for {@code bitstamp.silence-ms}; a lost connection is replaced
 * after the {@link Backoff}; on {@code bts:request_reconnect} a new connection subscribes before
 * the old one is dropped (make before break). What the connections receive is handled by {@link
 * BitstampFrames}, one handler per message type. Runs on the feed's context.
 */
final class BitstampLink {
  private static final Logger LOG = LoggerFactory.getLogger(BitstampLink.class);

  /** A connection that stayed up this long resets the reconnect back-off. */
  static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);

  static final long HANDSHAKE_TIMEOUT_MS = 15_000;

  private final Vertx vertx;
  private final BitstampSource.Options opt;
  private final Map<String, String> symbolByChannel = new LinkedHashMap<>();
  private final Backoff backoff;
  private final BitstampLinkListener listener;
  private WebSocketClient wsClient;
  private boolean stopped;

  private BitstampConnection active;
  private BitstampConnection incoming;
  private int connSeq;
  private final Set<String> missingChannels = new TreeSet<>();
  private final BitstampFrames frames;

  private long reconnectTimer = -1;
  private long heartbeatTimer = -1;
  private long watchdogTimer = -1;

  private long reconnects;
  private long connectFailures;
  private long maintenanceReconnects;

  BitstampLink(
      Vertx vertx,
      TradeGate gate,
      BitstampSource.Options opt,
      List<String> symbols,
      Backoff backoff,
      BitstampLinkListener listener) {
    this.vertx = vertx;
    this.opt = opt;
    for (String s : symbols) {
      String ch = BitstampProtocol.channel(s);
      BitstampProtocol.subscribeFrame(ch); // fails early for a frame that would be too long
      symbolByChannel.put(ch, s);
    }
    this.backoff = backoff;
    this.listener = listener;
    this.frames = new BitstampFrames(vertx, gate, symbolByChannel, listener, this);
  }

  void start() {
    wsClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout(10_000)
                .setMaxFrameSize(1024 * 1024)
                .setMaxMessageSize(1024 * 1024)
                .setClosingTimeout(2)
                .setName("candlecast-bitstamp"));
    heartbeatTimer = vertx.setPeriodic(opt.heartbeatMs(), id -> heartbeat());
    long check = Math.max(20, Math.min(1_000, opt.silenceMs() / 4));
    watchdogTimer = vertx.setPeriodic(check, id -> watchdog());
  }

  /** Closes every connection and the client; nothing more is told to the listener. */
  Future<Void> stop() {
    stopped = true;
    for (long t : new long[] {reconnectTimer, heartbeatTimer, watchdogTimer}) {
      if (t >= 0) {
        vertx.cancelTimer(t);
      }
    }
    List<Future<?>> closing = new ArrayList<>();
    for (BitstampConnection c : new BitstampConnection[] {active, incoming}) {
      if (c != null && c.ws != null && !c.ws.isClosed()) {
        closing.add(c.ws.close().recover(e -> Future.succeededFuture()));
      }
    }
    active = null;
    incoming = null;
    return Future.join(closing)
        .eventually(() -> wsClient == null ? Future.succeededFuture() : wsClient.close())
        .mapEmpty();
  }

  /** The subscribed connection, or null. */
  BitstampConnection active() {
    return active;
  }

  /** Adds the connection counters and, if any, the channels the exchange did not acknowledge. */
  JsonObject addStats(JsonObject j) {
    j.put("reconnects", reconnects)
        .put("connectFailures", connectFailures)
        .put("maintenanceReconnects", maintenanceReconnects)
        .put("serverErrors", frames.serverErrors())
        .put("frames", frames.frames());
    if (active != null) {
      j.put(
          "lastFrameAgeMs",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - active.lastFrameNanos));
    }
    if (!missingChannels.isEmpty()) {
      j.put("unsubscribed", new JsonArray(new ArrayList<>(missingChannels)));
    }
    return j;
  }

  // ------------------------------------------------------------------------------------------
  // connections

  /** Opens a new connection (the first, a replacement, or the new one of a maintenance switch). */
  void connect() {
    if (stopped) {
      return;
    }
    BitstampConnection c = new BitstampConnection(++connSeq);
    incoming = c;
    c.timer =
        vertx.setTimer(
            HANDSHAKE_TIMEOUT_MS,
            id -> {
              if (c == incoming && c.ws == null) {
                connectFailed(
                    c,
                    "no WebSocket handshake with "
                        + opt.wsUrl()
                        + " within "
                        + HANDSHAKE_TIMEOUT_MS
                        + " ms");
              }
            });
    wsClient
        .connect(
            new WebSocketConnectOptions().setAbsoluteURI(opt.wsUrl()).setConnectTimeout(10_000))
        .onComplete(
            ar -> {
              if (ar.succeeded() && (stopped || c != incoming || c.closed())) {
                ar.result().close();
              } else if (c == incoming && ar.failed()) {
                vertx.cancelTimer(c.timer);
                connectFailed(
                    c, "cannot connect to " + opt.wsUrl() + ": " + ar.cause().getMessage());
              } else if (c == incoming) {
                opened(c, ar.result());
              }
            });
  }

  private void connectFailed(BitstampConnection c, String problem) {
    c.phase = CLOSED;
    incoming = null;
    connectFailures++;
    listener.problem(problem);
    scheduleReconnect();
  }

  private void opened(BitstampConnection c, WebSocket ws) {
    vertx.cancelTimer(c.timer);
    c.ws = ws;
    c.phase = SUBSCRIBING;
    if (active == null) {
      listener.unsubscribed(true, "connection #" + c.id + " open");
    }
    c.touch();
    ws.textMessageHandler(text -> frames.onText(c, text));
    ws.binaryMessageHandler(b -> frames.onBinary(c, b));
    ws.closeHandler(v -> lost(c, "connection closed" + c.closeStatus()));
    ws.exceptionHandler(e -> lost(c, "connection error: " + e.getMessage()));
    c.subscribe(symbolByChannel.keySet());
    c.timer = vertx.setTimer(opt.subscribeTimeoutMs(), id -> subscribeTimeout(c));
  }

  private void scheduleReconnect() {
    if (stopped || reconnectTimer >= 0 || incoming != null) {
      return;
    }
    long delay = backoff.nextDelayMs();
    reconnectTimer =
        vertx.setTimer(
            delay,
            id -> {
              reconnectTimer = -1;
              reconnects++;
              connect();
            });
  }

  private void subscribeTimeout(BitstampConnection c) {
    if (c.closed() || c.active() || c != incoming) {
      return;
    }
    if (c.acked.isEmpty()) {
      lost(c, "no subscription acknowledged within " + opt.subscribeTimeoutMs() + " ms");
      return;
    }
    missingChannels.clear();
    missingChannels.addAll(symbolByChannel.keySet());
    missingChannels.removeAll(c.acked);
    listener.problem(
        "no subscription acknowledgement within "
            + opt.subscribeTimeoutMs()
            + " ms for "
            + missingChannels
            + "; going on without them");
    promote(c);
  }

  /** {@code c} is subscribed: it becomes the connection whose trades count. */
  void promote(BitstampConnection c) {
    vertx.cancelTimer(c.timer);
    if (c.switchTimer >= 0) {
      vertx.cancelTimer(c.switchTimer);
      c.switchTimer = -1;
    }
    c.phase = ACTIVE;
    c.promotedNanos = System.nanoTime();
    incoming = null;
    BitstampConnection old = active;
    active = c;
    List<Trade> early = new ArrayList<>(c.early);
    early.sort(Comparator.comparingLong(Trade::id));
    c.early.clear();
    if (old != null) {
      // Make before break: the old connection delivered until now, the new one since its
      // subscriptions.
      old.phase = CLOSED;
      vertx.cancelTimer(old.timer);
      old.closeSocket();
      LOG.info(
          "feed bitstamp: switched to connection #{} (maintenance), old #{} closed", c.id, old.id);
    }
    List<String> symbols = new ArrayList<>(c.acked.size());
    for (String ch : c.acked) {
      symbols.add(symbolByChannel.get(ch));
    }
    listener.subscribed(c, symbols, early, old != null);
  }

  /** Called for every way a connection ends (close, error, watchdog, timeout); idempotent. */
  private void lost(BitstampConnection c, String reason) {
    if (c.closed()) {
      return;
    }
    c.phase = CLOSED;
    vertx.cancelTimer(c.timer);
    c.closeSocket();
    if (stopped) {
      return;
    }
    if (c == incoming) {
      incoming = null;
      listener.problem("connection #" + c.id + " (not yet subscribed): " + reason);
      if (active == null) {
        listener.unsubscribed(false, "connection #" + c.id + " lost while subscribing");
      }
      scheduleReconnect();
    } else if (c == active) {
      activeLost(c, reason);
    }
  }

  private void activeLost(BitstampConnection c, String reason) {
    active = null;
    listener.problem("connection #" + c.id + " lost: " + reason);
    if (c.promotedNanos != 0 && System.nanoTime() - c.promotedNanos >= STABLE_NANOS) {
      backoff.reset();
    }
    listener.activeLost(c);
    BitstampConnection next = incoming;
    if (next != null && next.phase == SWITCHING) {
      promote(
          next); // a maintenance switch was waiting for the overlap: the new connection takes over
      // at once
      return;
    }
    listener.unsubscribed(next != null && next.ws != null, "connection #" + c.id + " lost");
    scheduleReconnect();
  }

  private void watchdog() {
    long now = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(opt.silenceMs());
    for (BitstampConnection c : new BitstampConnection[] {active, incoming}) {
      if (c != null && c.open() && now - c.lastFrameNanos > limit) {
        lost(
            c,
            "no frame for "
                + TimeUnit.NANOSECONDS.toMillis(now - c.lastFrameNanos)
                + " ms (watchdog)");
      }
    }
  }

  private void heartbeat() {
    for (BitstampConnection c : new BitstampConnection[] {active, incoming}) {
      if (c != null && c.open()) {
        c.heartbeat();
      }
    }
  }

  /**
   * The connection being subscribed (a first one, a replacement or a maintenance switch), or null.
   */
  BitstampConnection incoming() {
    return incoming;
  }

  /** A channel of the active connection was acknowledged late. */
  void channelCovered(String channel) {
    missingChannels.remove(channel);
    listener.channelCovered(symbolByChannel.get(channel));
  }

  /** The incoming connection has every channel acknowledged. */
  void allChannelsCovered() {
    missingChannels.clear();
  }

  /**
   * {@code bts:request_reconnect} on {@code c}: a new connection subscribes before c is dropped.
   */
  void requestReconnect(BitstampConnection c) {
    if (c != active || incoming != null || stopped) {
      return;
    }
    maintenanceReconnects++;
    LOG.info(
        "feed bitstamp: bts:request_reconnect on connection #{}; connecting anew before dropping it",
        c.id);
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    reconnects++;
    connect();
  }
}
