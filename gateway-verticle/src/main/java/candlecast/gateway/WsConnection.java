package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.DecodeException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of {@code /ws}, speaking the text protocol, the JSON protocol or both (see docs/PROTOCOL.md).
 *
 * <p>Commands are handled one at a time: while a subscription waits for its consumer registration or its snapshot,
 * or while replies sit in a full write queue, the socket is paused (TCP back-pressure), so a later command never
 * overtakes an earlier one. Updates are written as shared pre-encoded frames; when the socket's write queue is full
 * each subscription parks only its newest closed and newest open update (older ones are dropped and counted), and a
 * connection that stays congested longer than {@code gateway.slow-client-ms} is closed with 1013. Memory per
 * connection is bounded: at most {@code gateway.max-subscriptions} subscriptions, two parked updates and one
 * throttled update each, a bounded buffer while a snapshot is fetched, and one incomplete message of at most
 * {@code gateway.max-message-bytes}.
 *
 * <p>Frames go straight to the socket's Netty channel (its pipeline context, below Vert.x's write queue): updates as
 * their shared pre-encoded wire bytes ({@link Update#wire}), replies as text frames; a {@link FlushBatcher} flushes
 * each socket once per batch. Congestion is the channel's own writability (its high-water mark is
 * {@code gateway.write-queue-bytes}); a small pipeline hook reports when it drains.
 *
 * <p>Runs on the verticle's event loop only.
 */
final class WsConnection implements FlushBatcher.Flushable {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  /** Live updates buffered per subscription while its snapshot is fetched (closed candles are always kept). */
  static final int MAX_BUFFERED = 2_048;
  static final short CLOSE_TOO_BIG = 1009;
  static final short CLOSE_POLICY = 1008;
  static final short CLOSE_TRY_AGAIN_LATER = 1013;
  static final short CLOSE_GOING_AWAY = 1001;
  private static final Buffer PING = Buffer.buffer("candlecast");
  /** How long a closing connection gets to answer the close frame before its TCP connection is dropped. */
  static final int CLOSE_GRACE_SECONDS = 1;

  /** What every connection of one gateway instance shares. */
  record Env(Vertx vertx, EventBus bus, SeriesHub hub, GatewayOptions options, GatewayNode node,
             CommandParser parser, DeliveryOptions historyOptions, FlushBatcher flusher) {
    GatewayMetrics metrics() {
      return node.metrics;
    }
  }

  private final ServerWebSocket ws;
  private final Env env;
  /** The socket's channel context (Vert.x's handler): frames written here pass only the WebSocket encoder. */
  private final ChannelHandlerContext cx;
  private boolean flushQueued;
  private final Runnable onClosed;
  private final TokenBucket bucket;
  private Map<StreamKey, Sub> subs;
  private int strikes;
  private long lastReceivedMs;
  private long lastPingMs;
  /** When the write queue became full and updates started to be parked; 0 when not congested. */
  private long congestedSinceMs;
  private int busy;
  private boolean awaitingDrain;
  private boolean closed;
  private boolean closing;
  // an incomplete (fragmented) message
  private Buffer fragment;
  private int fragmentBytes = -1;
  private boolean fragmentBinary;

  WsConnection(ServerWebSocket ws, ChannelHandlerContext cx, Env env, Runnable onClosed) {
    this.ws = ws;
    this.cx = cx;
    this.env = env;
    this.onClosed = onClosed;
    long now = System.currentTimeMillis();
    this.lastReceivedMs = now;
    this.lastPingMs = now;
    this.bucket = new TokenBucket(env.options().messagesPerSecond(), env.options().messagesBurst(), System.nanoTime());
  }

  void start() {
    DirectOutbound.install(cx);
    cx.pipeline().addBefore(cx.name(), null, new WritabilityHook(this));
    ws.setWriteQueueMaxSize(env.options().writeQueueBytes());
    ws.frameHandler(this::onFrame);
    ws.exceptionHandler(err -> LOG.debug("websocket {}: {}", ws.remoteAddress(), err.toString()));
    ws.closeHandler(v -> onClose());
    ws.drainHandler(v -> onDrain());
    reply(Frames.connected(System.currentTimeMillis()));
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public ChannelHandlerContext channelContext() {
    return cx;
  }

  @Override
  public boolean flushQueued() {
    return flushQueued;
  }

  @Override
  public void flushQueued(boolean queued) {
    flushQueued = queued;
  }

  /**
   * The socket's outbound buffer is below its high-water mark. Above it with a batch not yet flushed, the batch is
   * flushed now: congestion means the kernel does not take the bytes, not that a burst outgrew the limit before
   * its flush (the flush may drain parked updates first, through {@link #onDrain}).
   */
  private boolean writable() {
    if (cx.channel().isWritable()) {
      return true;
    }
    if (flushQueued) {
      cx.flush();
      return cx.channel().isWritable();
    }
    return false;
  }

  /** Tells the connection when its channel becomes writable again (after Vert.x has seen the event). */
  private static final class WritabilityHook extends ChannelInboundHandlerAdapter {
    private final WsConnection conn;

    WritabilityHook(WsConnection conn) {
      this.conn = conn;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.fireChannelWritabilityChanged();
      if (ctx.channel().isWritable()) {
        conn.onDrain();
      }
    }
  }

  // ------------------------------------------------------------------ incoming frames

  private void onFrame(WebSocketFrame frame) {
    if (closed || closing) {
      return;
    }
    lastReceivedMs = System.currentTimeMillis();
    switch (frame.type()) {
      case TEXT, BINARY -> {
        boolean binary = frame.type() == io.vertx.core.http.WebSocketFrameType.BINARY;
        if (frame.isFinal()) {
          message(binary, frame.binaryData());
        } else {
          fragmentBinary = binary;
          fragmentBytes = 0;
          fragment = binary ? null : Buffer.buffer();
          append(frame.binaryData());
        }
      }
      case CONTINUATION -> {
        if (fragmentBytes < 0) {
          return; // the decoder rejects stray continuations; nothing to do
        }
        if (!append(frame.binaryData())) {
          return;
        }
        if (frame.isFinal()) {
          Buffer whole = fragmentBinary ? Buffer.buffer(0) : fragment;
          int size = fragmentBytes;
          boolean binary = fragmentBinary;
          fragment = null;
          fragmentBytes = -1;
          if (binary) {
            messageBinary(size);
          } else {
            message(false, whole);
          }
        }
      }
      default -> {
        // ping (answered by Vert.x), pong (liveness, recorded above), close (handled by Vert.x)
      }
    }
  }

  /** Appends a fragment; closes with 1009 when the message outgrows the limit. */
  private boolean append(Buffer data) {
    fragmentBytes += data.length();
    if (fragmentBytes > env.options().maxMessageBytes()) {
      fragment = null;
      fragmentBytes = -1;
      env.metrics().oversizeCloses.increment();
      closeWith(CLOSE_TOO_BIG, "message larger than " + env.options().maxMessageBytes() + " bytes");
      return false;
    }
    if (fragment != null) {
      fragment.appendBuffer(data);
    }
    return true;
  }

  private void message(boolean binary, Buffer data) {
    if (binary) {
      messageBinary(data.length());
    } else {
      if (data.length() > env.options().maxMessageBytes()) {
        env.metrics().oversizeCloses.increment();
        closeWith(CLOSE_TOO_BIG, "message larger than " + env.options().maxMessageBytes() + " bytes");
        return;
      }
      if (admit()) {
        onText(data.toString());
      }
    }
  }

  private void messageBinary(int length) {
    if (admit()) {
      reply(((Command.Invalid) env.parser().binary(length)).toJson());
    }
  }

  /** The incoming-message rate limit: error on the first refused message of a run, close after too many. */
  private boolean admit() {
    env.metrics().wsMessagesIn.increment();
    if (bucket.tryTake(System.nanoTime())) {
      strikes = 0;
      return true;
    }
    strikes++;
    env.metrics().rateLimited.increment();
    if (strikes > env.options().rateStrikes()) {
      env.metrics().rateLimitCloses.increment();
      closeWith(CLOSE_POLICY, "message rate limit exceeded");
    } else if (strikes == 1) {
      reply(Frames.jsonError(ErrorCodes.RATE_LIMITED, "too many messages: at most "
          + env.options().messagesPerSecond() + " per second (bursts of " + env.options().messagesBurst()
          + "); messages are dropped until the rate falls, and the connection is closed if it does not", null));
    }
    return false;
  }

  private void onText(String text) {
    Command c = JsonCommandParser.looksLikeJson(text) ? JsonCommandParser.parse(text) : env.parser().parse(text);
    if (c instanceof Command.Subscribe s) {
      subscribe(s);
    } else if (c instanceof Command.SubscribeTicker t) {
      subscribeTicker(t);
    } else if (c instanceof Command.Unsubscribe u) {
      unsubscribe(u);
    } else if (c instanceof Command.UnsubscribeTicker u) {
      unsubscribeTicker(u);
    } else if (c instanceof Command.UnsubscribeAll u) {
      int n = unsubscribeAll();
      reply(u.json() ? Frames.unsubscribedAll(n, u.id()) : Frames.unsubscribed(n));
    } else if (c instanceof Command.Ping p) {
      reply(Frames.pong(System.currentTimeMillis(), p.id()));
    } else if (c instanceof Command.Heartbeat h) {
      reply(Frames.heartbeatAck(System.currentTimeMillis(), h.id()));
    } else if (c instanceof Command.ListSubscriptions l) {
      reply(Frames.subscriptions(list(), l.id()));
    } else {
      reply(((Command.Invalid) c).toJson());
    }
  }

  // ------------------------------------------------------------------ commands

  private void subscribe(Command.Subscribe cmd) {
    SeriesKey key = cmd.key();
    Sub existing = subs == null ? null : subs.get(key);
    if (existing != null) {
      if (cmd.json()) {
        reply(Frames.jsonError(ErrorCodes.ALREADY_SUBSCRIBED, "already subscribed to " + key.symbol() + " "
            + key.tf().label() + "; unsubscribe first to start over", cmd.id()));
      } else {
        reply(Frames.subscribed(key));
      }
      return;
    }
    if (!roomFor(cmd.json(), cmd.id(), "sub-" + key.tf().label() + ":" + key.symbol())) {
      return;
    }
    CandleSub sub = new CandleSub(key, cmd);
    put(sub);
    Future<Void> ready = env.hub().subscribe(key, sub);
    beginBusy();
    ready.onComplete(ar -> {
      if (sub.cancelled || closed) {
        endBusy();
        return;
      }
      if (ar.failed()) {
        drop(sub);
        String text = "cannot subscribe to " + key.address() + ": " + ar.cause().getMessage();
        reply(cmd.json() ? Frames.jsonError(ErrorCodes.SUBSCRIBE_FAILED, text, cmd.id())
            : Frames.error(ErrorCodes.SUBSCRIBE_FAILED, text, "sub-" + key.tf().label() + ":" + key.symbol()));
        endBusy();
        return;
      }
      if (!cmd.json()) {
        reply(Frames.subscribed(key));
        sub.goLive(SeamFilter.none());
        endBusy();
        return;
      }
      sub.fetchSnapshot().onComplete(done -> endBusy());
    });
  }

  private void subscribeTicker(Command.SubscribeTicker cmd) {
    TickerKey key = new TickerKey(cmd.symbol());
    if (subs != null && subs.containsKey(key)) {
      reply(Frames.jsonError(ErrorCodes.ALREADY_SUBSCRIBED, "already subscribed to the ticker of " + cmd.symbol(),
          cmd.id()));
      return;
    }
    if (!roomFor(true, cmd.id(), null)) {
      return;
    }
    TickerSub sub = new TickerSub(key, cmd.id());
    put(sub);
    beginBusy();
    env.hub().subscribe(key, sub).onComplete(ar -> {
      if (sub.cancelled || closed) {
        endBusy();
        return;
      }
      if (ar.failed()) {
        drop(sub);
        reply(Frames.jsonError(ErrorCodes.SUBSCRIBE_FAILED, "cannot subscribe to " + key.address() + ": "
            + ar.cause().getMessage(), cmd.id()));
        endBusy();
        return;
      }
      sub.fetchSnapshot().onComplete(done -> endBusy());
    });
  }

  private boolean roomFor(boolean json, Object id, String textCommand) {
    int max = env.options().maxSubscriptions();
    if (subs != null && subs.size() >= max) {
      String msg = "a connection may hold at most " + max + " subscriptions; unsubscribe first";
      reply(json ? Frames.jsonError(ErrorCodes.TOO_MANY_SUBSCRIPTIONS, msg, id)
          : Frames.error(ErrorCodes.TOO_MANY_SUBSCRIPTIONS, "cannot execute '" + textCommand + "': " + msg,
              textCommand));
      return false;
    }
    return true;
  }

  private void unsubscribe(Command.Unsubscribe cmd) {
    SeriesKey key = cmd.key();
    Sub sub = subs == null ? null : subs.get(key);
    if (sub != null) {
      drop(sub);
    }
    if (!cmd.json()) {
      reply(Frames.unsubscribed(key, sub == null ? 0 : 1));
    } else if (sub == null) {
      reply(Frames.jsonError(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to " + key.symbol() + " "
          + key.tf().label(), cmd.id()));
    } else {
      reply(Frames.subscription("unsubscribed", key, cmd.id()));
    }
  }

  private void unsubscribeTicker(Command.UnsubscribeTicker cmd) {
    TickerKey key = new TickerKey(cmd.symbol());
    Sub sub = subs == null ? null : subs.get(key);
    if (sub == null) {
      reply(Frames.jsonError(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to the ticker of " + cmd.symbol(),
          cmd.id()));
      return;
    }
    drop(sub);
    reply(Frames.tickerSubscription("unsubscribed", cmd.symbol(), cmd.id()));
  }

  private JsonArray list() {
    JsonArray arr = new JsonArray();
    if (subs != null) {
      for (Sub s : subs.values()) {
        arr.add(s.describe());
      }
    }
    return arr;
  }

  private void put(Sub sub) {
    if (subs == null) {
      subs = new LinkedHashMap<>(4);
    }
    subs.put(sub.key, sub);
  }

  private void drop(Sub sub) {
    sub.cancel();
    if (subs != null) {
      subs.remove(sub.key);
    }
    env.hub().unsubscribe(sub.key, sub);
  }

  private int unsubscribeAll() {
    if (subs == null) {
      return 0;
    }
    List<Sub> all = new ArrayList<>(subs.values());
    for (Sub s : all) {
      drop(s);
    }
    return all.size();
  }

  // ------------------------------------------------------------------ writing

  /** A control frame (ack, snapshot, error, pong...): always written, never dropped. */
  private void reply(JsonObject json) {
    if (closed || closing || ws.isClosed()) {
      return;
    }
    env.metrics().repliesOut.increment();
    cx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(json.toBuffer().getBytes())), cx.voidPromise());
    env.flusher().mark(this);
    if (!awaitingDrain && !writable()) {
      // The client sends commands but does not read: stop reading its commands until it does.
      awaitingDrain = true;
      updateFlow();
    }
  }

  /** An update of a subscription: written now, or parked while the socket is congested. */
  private void write(Sub sub, Update u) {
    if (closed || closing || ws.isClosed()) {
      return; // (the close handler runs a little after the transport closed)
    }
    if (congestedSinceMs != 0 || !writable()) {
      if (congestedSinceMs == 0) {
        congestedSinceMs = System.currentTimeMillis();
      }
      sub.park(u);
      return;
    }
    writeUpdate(u);
  }

  /** The update's shared wire bytes to this socket; flushed with the rest of the batch. */
  private void writeUpdate(Update u) {
    env.metrics().updatesOut.increment();
    cx.write(u.wire().retainedDuplicate(), cx.voidPromise());
    env.flusher().mark(this);
  }

  private void onDrain() {
    if (closed || closing || ws.isClosed()) {
      return;
    }
    if (awaitingDrain) {
      awaitingDrain = false;
      updateFlow();
    }
    if (congestedSinceMs == 0 || subs == null) {
      congestedSinceMs = 0;
      return;
    }
    for (Sub s : subs.values()) {
      if (!s.flushParked()) {
        return; // full again: the next drain continues
      }
    }
    congestedSinceMs = 0;
  }

  private boolean writeParked(Update u) {
    if (ws.isClosed() || !writable()) {
      return false;
    }
    writeUpdate(u);
    return true;
  }

  private void beginBusy() {
    busy++;
    updateFlow();
  }

  private void endBusy() {
    busy--;
    updateFlow();
  }

  private void updateFlow() {
    if (closed || closing) {
      return;
    }
    if (busy > 0 || awaitingDrain) {
      ws.pause();
    } else {
      ws.resume();
    }
  }

  // ------------------------------------------------------------------ liveness, slowness, closing

  /** Called periodically by the verticle: pings idle clients, closes dead and slow ones. */
  void sweep(long nowMs) {
    if (closed || closing) {
      return;
    }
    GatewayOptions o = env.options();
    if (ws.isClosed()) {
      return;
    }
    if (congestedSinceMs != 0 && writable()) {
      onDrain(); // in case a drain event raced with parking
    }
    if (congestedSinceMs != 0 && nowMs - congestedSinceMs > o.slowClientMs()) {
      env.metrics().slowClientCloses.increment();
      closeWith(CLOSE_TRY_AGAIN_LATER, "slow client: not reading for " + (nowMs - congestedSinceMs) + " ms");
      return;
    }
    if (nowMs - lastReceivedMs > o.idleTimeoutMs()) {
      env.metrics().idleCloses.increment();
      closeWith(CLOSE_GOING_AWAY, "idle: nothing received for " + (nowMs - lastReceivedMs) + " ms");
      return;
    }
    if (nowMs - lastReceivedMs >= o.pingIntervalMs() && nowMs - lastPingMs >= o.pingIntervalMs()) {
      lastPingMs = nowMs;
      ws.writePing(PING);
    }
  }

  /** Sends a close frame and drops the TCP connection if the client does not answer within a second. */
  void closeWith(short code, String reason) {
    if (closed || closing) {
      return;
    }
    closing = true;
    unsubscribeAll();
    // the server drops the TCP connection if the client does not answer the close frame in time
    // (HttpServerOptions.webSocketClosingTimeout = CLOSE_GRACE_SECONDS)
    ws.close(code, reason);
  }

  private void onClose() {
    if (closed) {
      return;
    }
    closed = true;
    unsubscribeAll();
    onClosed.run();
  }

  // ------------------------------------------------------------------ subscriptions

  private abstract class Sub implements SeriesHub.Subscriber {
    final StreamKey key;
    final Object id;
    boolean cancelled;
    /** While the snapshot is fetched: live updates wait here; null once live. */
    List<Update> buffer = new ArrayList<>(0);
    // parked while congested: the newest closed update and the newest open one after it
    Update parkedClosed;
    Update parkedOpen;

    Sub(StreamKey key, Object id) {
      this.key = key;
      this.id = id;
    }

    abstract JsonObject describe();

    void cancel() {
      cancelled = true;
      buffer = null;
      parkedClosed = null;
      parkedOpen = null;
    }

    @Override
    public final void deliver(Update u) {
      if (cancelled) {
        return;
      }
      if (buffer != null) {
        if (buffer.size() < MAX_BUFFERED || u.closed()) {
          buffer.add(u);
        } else {
          env.metrics().updatesDropped.increment();
        }
        return;
      }
      live(u);
    }

    /** A live update after the snapshot: filter, throttle, then {@link #emit}. */
    abstract void live(Update u);

    void emit(Update u) {
      write(this, u);
    }

    void park(Update u) {
      if (u.closed()) {
        if (parkedClosed != null) {
          env.metrics().updatesDropped.increment();
        }
        parkedClosed = u;
        if (parkedOpen != null && parkedOpen.time() <= u.time()) {
          parkedOpen = null;
          env.metrics().updatesDropped.increment();
        }
      } else {
        if (parkedOpen != null) {
          env.metrics().updatesDropped.increment();
        }
        parkedOpen = u;
      }
    }

    /** Writes what is parked; false when the queue filled up again. */
    boolean flushParked() {
      if (parkedClosed != null) {
        if (!writeParked(parkedClosed)) {
          return false;
        }
        parkedClosed = null;
      }
      if (parkedOpen != null) {
        if (!writeParked(parkedOpen)) {
          return false;
        }
        parkedOpen = null;
      }
      return true;
    }

    /** Ends buffering: emits the buffered updates that pass the filter (in arrival order), then goes live. */
    void goLive() {
      List<Update> buffered = buffer;
      buffer = null;
      if (buffered == null) {
        return;
      }
      for (Update u : buffered) {
        if (cancelled) {
          return;
        }
        live(u);
      }
    }
  }

  private final class CandleSub extends Sub {
    final Command.Subscribe cmd;
    SeamFilter filter = SeamFilter.none();
    final long throttleNanos;
    long lastOpenSentNanos = Long.MIN_VALUE / 2;
    Update pendingOpen;
    long timerId = -1;

    CandleSub(SeriesKey key, Command.Subscribe cmd) {
      super(key, cmd.id());
      this.cmd = cmd;
      this.throttleNanos = TimeUnit.MILLISECONDS.toNanos(cmd.throttleMs());
    }

    SeriesKey series() {
      return (SeriesKey) key;
    }

    @Override
    JsonObject describe() {
      JsonObject j = new JsonObject().put("channel", JsonCommandParser.CHANNEL_CANDLES)
          .put("symbol", series().symbol()).put("tf", series().tf().label());
      if (cmd.throttleMs() > 0) {
        j.put("throttleMs", cmd.throttleMs());
      }
      return j;
    }

    @Override
    void cancel() {
      super.cancel();
      pendingOpen = null;
      if (timerId >= 0) {
        env.vertx().cancelTimer(timerId);
        timerId = -1;
      }
    }

    void goLive(SeamFilter f) {
      this.filter = f;
      goLive();
    }

    /** Asks history (resume or snapshot), replies ack + snapshot, then releases the buffered live updates. */
    Future<Void> fetchSnapshot() {
      SeriesKey k = series();
      int maxLimit = env.options().maxLimit();
      if (cmd.since() == null) {
        return history(Resume.snapshotRequest(k, env.options().snapshotSize()))
            .compose(reply -> deliverSnapshot(Resume.candles(reply, k), null, null), this::historyFailed)
            .recover(this::historyFailed);
      }
      long since = cmd.since();
      return history(Resume.sinceRequest(k, since, maxLimit)).compose(reply -> {
        List<Candle> candles = Resume.candles(reply, k);
        if (Resume.recovered(since, candles, Resume.oldest(reply), maxLimit, k.tf())) {
          return deliverSnapshot(candles, true, since);
        }
        return history(Resume.snapshotRequest(k, env.options().snapshotSize()))
            .compose(r2 -> deliverSnapshot(Resume.candles(r2, k), false, null));
      }, this::historyFailed).recover(this::historyFailed);
    }

    private Future<Object> history(JsonObject request) {
      long start = System.nanoTime();
      return env.bus().request(Addresses.HISTORY, request, env.historyOptions())
          .map(Message::body)
          .onComplete(ar -> env.metrics().recordHistory(Duration.ofNanos(System.nanoTime() - start)));
    }

    private Future<Void> deliverSnapshot(List<Candle> candles, Boolean recovered, Long since) {
      if (cancelled || closed) {
        return Future.succeededFuture();
      }
      reply(Frames.subscription("subscribed", series(), id));
      reply(Frames.snapshot(series(), id, recovered, candles));
      goLive(SeamFilter.after(candles, since));
      return Future.succeededFuture();
    }

    private Future<Void> historyFailed(Throwable err) {
      if (cancelled || closed) {
        return Future.succeededFuture();
      }
      if (err instanceof ReplyException re && re.failureCode() == 404) {
        drop(this);
        reply(Frames.jsonError(ErrorCodes.UNKNOWN_SYMBOL, "unknown symbol " + series().symbol() + ": "
            + re.getMessage(), id));
        return Future.succeededFuture();
      }
      if (buffer == null) {
        return Future.succeededFuture(); // already live: a failure after the snapshot was sent
      }
      String why = err instanceof DecodeException ? "history sent a malformed reply"
          : BusErrors.toHttp(err, "history unavailable").error();
      // live updates still flow; the client learns that it has no snapshot
      reply(Frames.subscription("subscribed", series(), id));
      reply(Frames.jsonError(ErrorCodes.HISTORY_UNAVAILABLE, "no snapshot for " + series().symbol() + " "
          + series().tf().label() + ": " + why + "; live updates follow", id));
      goLive(cmd.since() == null ? SeamFilter.none() : SeamFilter.after(List.of(), cmd.since()));
      return Future.succeededFuture();
    }

    @Override
    void live(Update u) {
      if (!filter.pass(u.time(), u.version(), u.closed())) {
        return;
      }
      if (throttleNanos == 0) {
        emit(u);
        return;
      }
      if (u.closed()) {
        if (pendingOpen != null && pendingOpen.time() <= u.time()) {
          pendingOpen = null;
        }
        emit(u);
        return;
      }
      long now = System.nanoTime();
      if (pendingOpen == null && now - lastOpenSentNanos >= throttleNanos) {
        lastOpenSentNanos = now;
        emit(u);
        return;
      }
      pendingOpen = u;
      if (timerId < 0) {
        long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(throttleNanos - (now - lastOpenSentNanos)));
        timerId = env.vertx().setTimer(waitMs, t -> {
          timerId = -1;
          Update p = pendingOpen;
          pendingOpen = null;
          if (p != null && !cancelled) {
            lastOpenSentNanos = System.nanoTime();
            emit(p);
          }
        });
      }
    }
  }

  private final class TickerSub extends Sub {
    long newest = Long.MIN_VALUE;

    TickerSub(TickerKey key, Object id) {
      super(key, id);
    }

    @Override
    JsonObject describe() {
      return new JsonObject().put("channel", JsonCommandParser.CHANNEL_TICKER).put("symbol",
          ((TickerKey) key).symbol());
    }

    Future<Void> fetchSnapshot() {
      String symbol = ((TickerKey) key).symbol();
      return env.bus().request(Addresses.TICKERS, new JsonObject().put("symbol", symbol), env.historyOptions())
          .map(Message::body)
          .transform(ar -> {
            if (cancelled || closed) {
              return Future.succeededFuture();
            }
            if (ar.failed() && ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
              drop(this);
              reply(Frames.jsonError(ErrorCodes.UNKNOWN_SYMBOL, "unknown symbol " + symbol + ": " + re.getMessage(),
                  id));
              return Future.succeededFuture();
            }
            reply(Frames.tickerSubscription("subscribed", symbol, id));
            JsonObject ticker = null;
            if (ar.succeeded() && ar.result() instanceof JsonObject body
                && body.getValue("tickers") instanceof JsonArray arr && arr.size() == 1) {
              try {
                ticker = TickerKey.validate(arr.getValue(0), symbol);
              } catch (RuntimeException e) {
                ticker = null;
              }
            }
            if (ticker != null) {
              newest = ticker.getLong("time");
              reply(Frames.ticker(ticker));
            } else {
              reply(Frames.jsonError(ErrorCodes.TICKER_UNAVAILABLE, "no current ticker for " + symbol + ": "
                  + (ar.failed() ? BusErrors.toHttp(ar.cause(), "tickers unavailable").error()
                  : "malformed reply") + "; live updates follow", id));
            }
            goLive();
            return Future.succeededFuture();
          });
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
}
