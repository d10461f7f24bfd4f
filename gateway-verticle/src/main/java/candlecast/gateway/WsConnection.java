package candlecast.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of {@code /ws}, speaking the text protocol, the JSON protocol or both, or of {@code
 * /ws/stream}, speaking the stream service dialect ({@link StreamDialect}) (see docs/PROTOCOL.md).
 * It wires the parts of a connection and owns its lifecycle:
 *
 * <ul>
 *   <li>in: {@link InboundAssembler} (fragments, size limit), {@link MessageRateLimit}, then a
 *       {@link Dialect} per message parses it and answers it;
 *   <li>commands: {@link Subscriptions} ({@link CandleSubscription}, {@link TickerSubscription},
 *       {@link TradesSubscription}) and {@link CommandFlow} (replies, one command at a time with
 *       TCP back-pressure);
 *   <li>out: {@link OutboundWriter} (updates, keep-newest while congested) over {@link WsChannel}
 *       (direct writes to the Netty channel, lifecycle state);
 *   <li>liveness: {@link #sweep} pings idle clients and closes dead and slow ones.
 * </ul>
 *
 * Memory per connection is bounded: at most {@code gateway.max-subscriptions} subscriptions, two
 * parked updates and one throttled update each (a trades subscription: references to its newest
 * frames of at most {@code gateway.trades-backlog} trades), a bounded buffer while a snapshot is
 * fetched, and one incomplete message of at most {@code gateway.max-message-bytes}.
 *
 * <p>Runs on the verticle's event loop only.
 */
final class WsConnection implements InboundAssembler.Receiver, Handler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  static final short CLOSE_TOO_BIG = 1009;
  static final short CLOSE_POLICY = 1008;
  static final short CLOSE_TRY_AGAIN_LATER = 1013;
  static final short CLOSE_GOING_AWAY = 1001;
  private static final Buffer PING = Buffer.buffer("candlecast");

  /**
   * How long a closing connection gets to answer the close frame before its TCP connection is
   * dropped.
   */
  static final int CLOSE_GRACE_SECONDS = 1;

  /** What every connection of one gateway instance shares. */
  record Env(
      Vertx vertx,
      EventBus bus,
      SeriesHub hub,
      GatewayOptions options,
      GatewayNode node,
      TextDialect text,
      DeliveryOptions historyOptions,
      FlushBatcher flusher,
      Dialect only,
      BinaryMemo binaryFrames) {
    Env(
        Vertx vertx,
        EventBus bus,
        SeriesHub hub,
        GatewayOptions options,
        GatewayNode node,
        TextDialect text,
        DeliveryOptions historyOptions,
        FlushBatcher flusher,
        Dialect only) {
      this(vertx, bus, hub, options, node, text, historyOptions, flusher, only, new BinaryMemo());
    }

    GatewayMetrics metrics() {
      return node.metrics;
    }

    /** The node's analysis series ({@link AnalysisHub}); null when none runs. */
    AnalysisFeed analysis() {
      return vertx == null ? null : AnalysisHub.current(vertx);
    }

    /**
     * The dialect of one text message: the endpoint's only dialect ({@code /ws/stream}); on {@code
     * /ws} JSON when it looks like JSON, else the text protocol.
     */
    Dialect dialectFor(String message) {
      if (only != null) {
        return only;
      }
      return JsonCommandParser.looksLikeJson(message) ? JsonDialect.INSTANCE : text;
    }

    /** The node's alert fires ({@link AlertHub}); null when none runs. */
    AlertHub alerts() {
      return vertx == null ? null : AlertHub.current(vertx);
    }

    /** The first frame of a connection. */
    JsonObject greeting(long nowMs) {
      return only != null ? only.greeting(nowMs) : Frames.connected(nowMs);
    }

    /** The answer to a binary message: messages are text. */
    JsonObject binary(int length) {
      return only != null
          ? only.error(
              ErrorCodes.BINARY_NOT_SUPPORTED,
              "binary messages are not supported (got " + length + " bytes); send JSON text",
              null,
              null)
          : text.binary(length);
    }

    /** The error of the first message the rate limit refuses. */
    JsonObject rateLimited(String message) {
      return only != null
          ? only.error(ErrorCodes.RATE_LIMITED, message, null, null)
          : Frames.jsonError(ErrorCodes.RATE_LIMITED, message, null);
    }
  }

  private final ServerWebSocket ws;
  private final Env env;
  private final java.util.function.Consumer<WsConnection> onClosed;
  private final WsChannel channel;
  private final CommandFlow flow;
  private final OutboundWriter writer;
  private final Subscriptions subscriptions;
  private final InboundAssembler inbound;
  private final MessageRateLimit rate;

  /**
   * History batches; created on the first batch command (issue 20: most connections never batch).
   */
  private WsBatches batches;

  private long lastReceivedMs;
  private long lastPingMs;

  WsConnection(
      ServerWebSocket ws,
      ChannelHandlerContext cx,
      Env env,
      java.util.function.Consumer<WsConnection> onClosed) {
    this.ws = ws;
    this.env = env;
    this.onClosed = onClosed;
    GatewayOptions o = env.options();
    this.channel = new WsChannel(ws, cx, env.flusher(), env.metrics());
    this.flow = new CommandFlow(ws, channel);
    this.writer =
        new OutboundWriter(channel, env.metrics().updatesDropped, System::currentTimeMillis);
    this.subscriptions = new Subscriptions(env, writer, flow);
    this.inbound = new InboundAssembler(o.maxMessageBytes(), this);
    this.rate =
        new MessageRateLimit(
            o.messagesPerSecond(), o.messagesBurst(), o.rateStrikes(), System.nanoTime());
    long now = System.currentTimeMillis();
    this.lastReceivedMs = now;
    this.lastPingMs = now;
  }

  void start() {
    if (!channel.install(env.options().writeQueueBytes())) {
      channel.hook(this::onDrain);
    }
    ws.frameHandler(this); // (issue 20: the connection itself, not a closure per connection)
    ws.exceptionHandler(err -> LOG.debug("websocket {}: {}", ws.remoteAddress(), err.toString()));
    ws.closeHandler(v -> onClose());
    ws.drainHandler(v -> onDrain());
    JsonObject greeting = env.greeting(System.currentTimeMillis());
    flow.reply(channel.binary() ? greeting.put("encoding", "binary") : greeting);
  }

  /**
   * Issue 20: the connection asked for {@code encoding=binary} (before {@link #start}): candle,
   * trades and book updates go out as the instance's shared binary frames, everything else stays
   * JSON text.
   */
  void binaryEncoding() {
    channel.binary(env.binaryFrames());
  }

  // ------------------------------------------------------------------ incoming

  /** A frame from the client. */
  @Override
  public void handle(WebSocketFrame frame) {
    if (channel.state() != ConnectionState.OPEN) {
      return;
    }
    lastReceivedMs = System.currentTimeMillis();
    inbound.frame(frame);
  }

  @Override
  public void text(Buffer utf8) {
    if (admit()) {
      onText(utf8.toString());
    }
  }

  @Override
  public void binary(int length) {
    if (admit()) {
      flow.reply(env.binary(length));
    }
  }

  @Override
  public void tooBig() {
    env.metrics().oversizeCloses.increment();
    closeWith(CLOSE_TOO_BIG, "message larger than " + inbound.maxBytes() + " bytes");
  }

  /**
   * The incoming-message rate limit: error on the first refused message of a run, close after too
   * many.
   */
  private boolean admit() {
    GatewayMetrics m = env.metrics();
    m.wsMessagesIn.increment();
    MessageRateLimit.Verdict v = rate.admit(System.nanoTime());
    if (v == MessageRateLimit.Verdict.ADMIT) {
      return true;
    }
    m.rateLimited.increment();
    if (v == MessageRateLimit.Verdict.CLOSE) {
      m.rateLimitCloses.increment();
      closeWith(CLOSE_POLICY, "message rate limit exceeded");
    } else if (v == MessageRateLimit.Verdict.REFUSE_WITH_ERROR) {
      GatewayOptions o = env.options();
      flow.reply(
          env.rateLimited(
              "too many messages: at most "
                  + o.messagesPerSecond()
                  + " per second (bursts of "
                  + o.messagesBurst()
                  + "); messages are dropped until the rate falls, and the"
                  + " connection is closed if it does not"));
    }
    return false;
  }

  /** One command, parsed and answered in the dialect of its message. */
  private void onText(String text) {
    Dialect dialect = env.dialectFor(text);
    Command c = dialect.parse(text);
    if (c instanceof Command.Subscribe s) {
      subscriptions.subscribe(dialect, s);
    } else if (c instanceof Command.SubscribeTicker t) {
      subscriptions.subscribeTicker(dialect, t);
    } else if (c instanceof Command.SubscribeTrades t) {
      subscriptions.subscribeTrades(dialect, t);
    } else if (c instanceof Command.UnsubscribeTrades u) {
      subscriptions.unsubscribeTrades(u);
    } else if (c instanceof Command.Unsubscribe u) {
      subscriptions.unsubscribe(dialect, u);
    } else if (c instanceof Command.UnsubscribeTicker u) {
      subscriptions.unsubscribeTicker(u);
    } else if (c instanceof Command.SubscribeBook b) {
      subscriptions.subscribeBook(dialect, b);
    } else if (c instanceof Command.UnsubscribeBook b) {
      subscriptions.unsubscribeBook(b);
    } else if (c instanceof Command.UnsubscribeAll u) {
      flow.reply(dialect.unsubscribedAll(subscriptions.dropAll(), u.id()));
    } else if (c instanceof Command.Ping p) {
      flow.reply(dialect.pong(System.currentTimeMillis(), p.id()));
    } else if (c instanceof Command.Heartbeat h) {
      flow.reply(dialect.heartbeatAck(System.currentTimeMillis(), h.id()));
    } else if (c instanceof Command.ListSubscriptions l) {
      flow.reply(Frames.subscriptions(subscriptions.describe(), l.id()));
    } else if (c instanceof Command.HistoryBatch b) {
      if (batches == null) {
        batches = new WsBatches(env, flow, channel);
      }
      batches.start(b);
    } else if (c instanceof Command.SubscribeAnalysis a) {
      subscriptions.subscribeAnalysis(dialect, a);
    } else if (c instanceof Command.UnsubscribeAnalysis a) {
      subscriptions.unsubscribeAnalysis(a);
    } else if (c instanceof Command.StreamSubscribe s) {
      subscriptions.subscribeStream((StreamDialect) dialect, s);
    } else if (c instanceof Command.StreamUnsubscribe u) {
      subscriptions.unsubscribeStream((StreamDialect) dialect, u);
    } else if (c instanceof Command.AlertRequest a) {
      subscriptions.alerts().request(a);
    } else if (c instanceof Command.SubscribeAlerts a) {
      subscriptions.alerts().subscribe(a);
    } else if (c instanceof Command.UnsubscribeAlerts a) {
      subscriptions.alerts().unsubscribe(a);
    } else if (c instanceof Command.AlertsStreamSubscribe s) {
      subscriptions.alertStreams((AlertsStreamDialect) dialect).subscribe(s);
    } else if (c instanceof Command.AlertsStreamUnsubscribe u) {
      subscriptions.alertStreams((AlertsStreamDialect) dialect).unsubscribe(u);
    } else if (c instanceof Command.AnalysisStreamSubscribe s) {
      subscriptions.subscribeAnalysisStream((AnalysisStreamDialect) dialect, s);
    } else if (c instanceof Command.AnalysisStreamUnsubscribe u) {
      subscriptions.unsubscribeAnalysisStream((AnalysisStreamDialect) dialect, u);
    } else if (c instanceof Command.SubscribePortfolio p) {
      subscriptions.portfolio().subscribe(p);
    } else if (c instanceof Command.UnsubscribePortfolio p) {
      subscriptions.portfolio().unsubscribe(p);
    } else if (c instanceof Command.PortfolioRequest p) {
      subscriptions.portfolio().request(p);
    } else if (c instanceof Command.PortfolioStreamSubscribe p) {
      subscriptions.portfolio().subscribeStream((PortfolioStreamDialect) dialect, p);
    } else if (c instanceof Command.PortfolioStreamUnsubscribe p) {
      subscriptions.portfolio().unsubscribeStream((PortfolioStreamDialect) dialect, p);
    } else {
      flow.reply(dialect.invalid((Command.Invalid) c));
    }
  }

  // ------------------------------------------------------------------ outgoing

  /**
   * Issue 17: who the connection is (the upgrade's authenticated user, null without authentication,
   * and its URL's {@code owner} parameter), for the owner of its alert commands.
   */
  void identity(io.vertx.ext.auth.User user, String ownerParam) {
    subscriptions.identity(user, ownerParam);
  }

  /**
   * An operator notice (issue 17), encoded once per instance: written when it names no symbol or a
   * symbol the connection is subscribed to.
   */
  void notice(Buffer frame, String symbol) {
    if (channel.isOpen() && (symbol == null || subscriptions.holdsSymbol(symbol))) {
      flow.reply(frame);
    }
  }

  /** The socket's write queue drained: read commands again, write what is parked. */
  private void onDrain() {
    if (!channel.isOpen()) {
      return;
    }
    flow.drained();
    writer.drain();
  }

  // ------------------------------------------------------------------ liveness, slowness, closing

  /** Called periodically by the verticle: pings idle clients, closes dead and slow ones. */
  void sweep(long nowMs) {
    if (!channel.isOpen()) {
      return;
    }
    GatewayOptions o = env.options();
    if (writer.congested() && channel.writable()) {
      onDrain(); // in case a drain event raced with parking
    }
    if (writer.slowerThan(nowMs, o.slowClientMs())) {
      env.metrics().slowClientCloses.increment();
      closeWith(
          CLOSE_TRY_AGAIN_LATER,
          "slow client: not reading for " + writer.congestedMs(nowMs) + " ms");
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

  /**
   * Sends a close frame and drops the TCP connection if the client does not answer within a second.
   */
  void closeWith(short code, String reason) {
    if (!channel.moveTo(ConnectionState.CLOSING)) {
      return;
    }
    subscriptions.dropAll();
    // the server drops the TCP connection if the client does not answer the close frame in time
    // (HttpServerOptions.webSocketClosingTimeout = CLOSE_GRACE_SECONDS)
    ws.close(code, reason);
  }

  private void onClose() {
    if (!channel.moveTo(ConnectionState.CLOSED)) {
      return;
    }
    subscriptions.dropAll();
    onClosed.accept(this);
  }
}
