package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SockJS event-bus bridge's permissions and its event hook.
 *
 * <ul>
 *   <li>Outbound (server → browser): only {@code candles.<SYMBOL>.<tf>}, {@code ticker.<SYMBOL>}
 *       and {@code trades.<SYMBOL>} and {@code book.<SYMBOL>} of valid symbols (canonical: a
 *       register address is not rewritten, since the bridge delivers messages under the address
 *       registered) and timeframes.
 *   <li>Inbound (browser → server): only request-reply {@code send} to {@code candlecast.history},
 *       with arguments validated and normalised like {@code GET /api/candles}; {@code publish} is
 *       refused everywhere.
 *   <li>Portfolio (issue 17, {@link BridgePortfolio}): outbound {@code portfolio.<owner>}, inbound
 *       request-reply {@code send} to {@code candlecast.portfolio} with the owner forced.
 *   <li>Per socket: the incoming-message rate limit of {@code /ws} (refused messages get {@code
 *       rejected}; a socket that keeps going is closed), and at most {@code
 *       gateway.max-subscriptions} registrations.
 *   <li>Per node: new sessions count against {@code gateway.max-connections} and the per-address
 *       connection rate; beyond, the session is closed at once.
 *   <li>A client that leaves without a close frame is a normal disconnect, not an ERROR ({@link
 *       BridgeSocketErrors}).
 * </ul>
 *
 * Runs on the verticle's event loop.
 */
final class BridgeGuard {
  public static final String OUTBOUND_CANDLES_REGEX =
      "candles\\.[A-Z0-9]{2,20}\\.(1s|1m|5m|15m|1h|4h|1d|1w|1M)";
  public static final String OUTBOUND_TICKER_REGEX = "ticker\\.[A-Z0-9]{2,20}";

  /** A symbol's trade tape (outbound only; the raw {@code trades} topic is never bridged). */
  public static final String OUTBOUND_TRADES_REGEX = "trades\\.[A-Z0-9]{2,20}";

  public static final String OUTBOUND_BOOK_REGEX = "book\\.[A-Z0-9]{2,20}";
  private static final Pattern OUTBOUND =
      Pattern.compile(
          OUTBOUND_CANDLES_REGEX
              + "|"
              + OUTBOUND_TICKER_REGEX
              + "|"
              + OUTBOUND_TRADES_REGEX
              + "|"
              + OUTBOUND_BOOK_REGEX
              + "|"
              + BatchRequest.PROGRESS_ADDRESS_REGEX
              + "|"
              + BridgeAnalysis.OUTBOUND_ANALYSIS_REGEX
              + "|"
              + BridgeAlerts.OUTBOUND_ALERTS_REGEX
              + "|"
              + BridgeAlerts.OUTBOUND_NOTICES_REGEX);
  static final int SOCKJS = 1;

  private final GatewayOptions options;
  private final GatewayNode node;
  private final Map<SockJSSocket, SockState> sockets = new HashMap<>();
  private final BridgeAnalysis analysis;

  /** The portfolio's bridge addresses (issue 17). */
  private BridgePortfolio portfolio = new BridgePortfolio(() -> null);

  private static final class SockState {
    final TokenBucket bucket;
    final Set<String> registered = new HashSet<>(4);
    final BridgeRepublished republished = new BridgeRepublished();
    int strikes;

    SockState(TokenBucket bucket) {
      this.bucket = bucket;
    }
  }

  BridgeGuard(GatewayOptions options, GatewayNode node) {
    this(options, node, () -> null);
  }

  /**
   * With the node's analysis series ({@code analysis.*} registrations, {@code
   * candlecast.analysis}).
   */
  BridgeGuard(
      GatewayOptions options, GatewayNode node, java.util.function.Supplier<AnalysisFeed> feed) {
    this.options = options;
    this.node = node;
    this.analysis = new BridgeAnalysis(feed);
  }

  /**
   * With the node's portfolio valuations ({@code portfolio.<owner>}, {@code candlecast.portfolio}).
   */
  BridgeGuard portfolio(java.util.function.Supplier<PortfolioHub> hub) {
    this.portfolio = new BridgePortfolio(hub);
    return this;
  }

  SockJSBridgeOptions bridgeOptions() {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND_CANDLES_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND_TICKER_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND_TRADES_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND_BOOK_REGEX))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.HISTORY))
        .addOutboundPermitted(
            new PermittedOptions().setAddressRegex(BatchRequest.PROGRESS_ADDRESS_REGEX))
        .addInboundPermitted(new PermittedOptions().setAddress(HistoryBatch.ADDRESS))
        .addOutboundPermitted(
            new PermittedOptions().setAddressRegex(BridgeAnalysis.OUTBOUND_ANALYSIS_REGEX))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.ANALYSIS))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.ALERTS))
        .addOutboundPermitted(
            new PermittedOptions().setAddressRegex(BridgeAlerts.OUTBOUND_ALERTS_REGEX))
        .addOutboundPermitted(
            new PermittedOptions().setAddressRegex(BridgeAlerts.OUTBOUND_NOTICES_REGEX))
        .addOutboundPermitted(
            new PermittedOptions().setAddressRegex(BridgePortfolio.OUTBOUND_REGEX))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.PORTFOLIO))
        .setMaxHandlersPerSocket(options.maxSubscriptions())
        .setReplyTimeout(options.historyTimeoutMs() + 1_000);
  }

  int sessions() {
    return sockets.size();
  }

  void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    SockJSSocket sock = event.socket();
    switch (type) {
      case SOCKET_CREATED -> created(event, sock);
      case SOCKET_CLOSED -> {
        SockState st = sockets.remove(sock);
        analysis.closed(sock);
        portfolio.closed(sock);
        if (st != null) {
          node.sockJsSessions.decrementAndGet();
          for (String a : st.registered) {
            node.seriesDelta(a, SOCKJS, -1);
          }
        }
        event.complete(true);
      }
      case SEND, PUBLISH, REGISTER, UNREGISTER -> incoming(event, sock, type);
      case RECEIVE -> { // outbound, already permitted: a re-published candle is not sent twice
        SockState st = sockets.get(sock);
        event.complete(st == null || st.republished.pass(event.getRawMessage()));
      }
      default -> event.complete(true); // SOCKET_IDLE, SOCKET_PING
    }
  }

  private void created(BridgeEvent event, SockJSSocket sock) {
    String ip = sock.remoteAddress() == null ? "unknown" : sock.remoteAddress().hostAddress();
    if (!node.connectRate.tryAcquire(ip, System.nanoTime())) {
      node.metrics.refusedConnectionRate.increment();
      event.complete(false);
      return;
    }
    if (!node.reserve(options.maxConnections())) {
      node.metrics.refusedMaxConnections.increment();
      event.complete(false);
      return;
    }
    node.sockJsSessions.incrementAndGet();
    node.release();
    sockets.put(
        sock,
        new SockState(
            new TokenBucket(
                options.messagesPerSecond(), options.messagesBurst(), System.nanoTime())));
    event.complete(true);
    // the bridge sets the socket's exception handler once this returns; replace it on the next turn
    Context context = Vertx.currentContext();
    if (context != null) {
      context.runOnContext(v -> BridgeSocketErrors.install(sock));
    }
  }

  private void incoming(BridgeEvent event, SockJSSocket sock, BridgeEventType type) {
    SockState st = sockets.get(sock);
    if (type == BridgeEventType.UNREGISTER && event.getRawMessage() != null && st != null) {
      // also fired by the bridge itself for each registration when the socket closes: never
      // rate-limited
      String address = event.getRawMessage().getString("address");
      if (address != null && st.registered.remove(address)) {
        node.seriesDelta(address, SOCKJS, -1);
      }
      if (address != null) {
        st.republished.unregistered(address);
      }
      if (BridgeAnalysis.isAnalysisAddress(address)) {
        analysis.unregister(sock, address);
      }
      if (BridgePortfolio.isOwnerAddress(address)) {
        portfolio.unregister(sock, address);
      }
      event.complete(true);
      return;
    }
    node.metrics.sockJsMessagesIn.increment();
    if (st == null) {
      event.complete(false);
      return;
    }
    if (!admit(st, sock, event)) {
      return;
    }
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    switch (type) {
      case PUBLISH -> event.complete(false); // inbound is request-reply only
      case SEND -> {
        if (HistoryBatch.ADDRESS.equals(address)) {
          batch(event, raw, st);
        } else if (Addresses.ANALYSIS.equals(address)) {
          analysisQuery(event, raw);
        } else if (Addresses.ALERTS.equals(address)) {
          alertRequest(event, sock, raw);
        } else if (Addresses.PORTFOLIO.equals(address)) {
          BridgePortfolio.send(event, raw);
        } else {
          send(event, raw, address);
        }
      }
      case REGISTER -> {
        if (BridgeAnalysis.isAnalysisAddress(address)) {
          registerAnalysis(event, sock, st, address);
          return;
        }
        if (BridgeAlerts.isOwnerAddress(address)
            && !BridgeAlerts.mayListen(address, options.authEnabled(), sock.webUser())) {
          event.complete(false); // another owner's fires (or not an owner address)
          return;
        }
        if (BridgePortfolio.isOwnerAddress(address)) {
          registerPortfolio(event, sock, st, address);
          return;
        }
        if (!st.republished.resume(address, raw)) {
          event.complete(false); // a malformed "since" header: "rejected"
          return;
        }
        if (address != null
            && OUTBOUND.matcher(address).matches()
            && st.registered.size() < options.maxSubscriptions()
            && st.registered.add(address)) {
          node.seriesDelta(address, SOCKJS, 1);
        }
        event.complete(
            true); // addresses outside the outbound permissions get access_denied from the bridge
      }
      default -> event.complete(true);
    }
  }

  /**
   * A registration of {@code analysis.<SYMBOL>.<tf>.<key>}: counted against {@code
   * gateway.max-subscriptions}, then acquired through the node's analysis series (refused when that
   * fails).
   */
  private void registerAnalysis(
      BridgeEvent event, SockJSSocket sock, SockState st, String address) {
    if (!OUTBOUND.matcher(address).matches()) {
      event.complete(true); // outside the outbound permissions: the bridge answers access_denied
      return;
    }
    if (st.registered.size() >= options.maxSubscriptions() || !st.registered.add(address)) {
      event.complete(false);
      return;
    }
    node.seriesDelta(address, SOCKJS, 1);
    analysis.register(
        sock,
        address,
        event,
        () -> {
          if (st.registered.remove(address)) {
            node.seriesDelta(address, SOCKJS, -1);
          }
        });
  }

  /**
   * A registration of {@code portfolio.<owner>}: counted against {@code gateway.max-subscriptions},
   * refused for another owner than the JWT's ({@link BridgePortfolio}).
   */
  private void registerPortfolio(
      BridgeEvent event, SockJSSocket sock, SockState st, String address) {
    if (st.registered.size() >= options.maxSubscriptions() || !st.registered.add(address)) {
      event.complete(false);
      return;
    }
    portfolio.register(event, sock, address, () -> st.registered.remove(address));
  }

  /** A request to {@code candlecast.analysis}: validated and normalised into a {@code query}. */
  private static void analysisQuery(BridgeEvent event, JsonObject raw) {
    JsonObject body = raw.getValue("body") instanceof JsonObject b ? b : null;
    JsonObject query = body == null ? null : BridgeAnalysis.query(body);
    if (query == null || raw.getString("replyAddress") == null) {
      event.complete(false);
      return;
    }
    event.setRawMessage(raw.copy().put("body", query));
    event.complete(true);
  }

  /**
   * A request to {@code candlecast.alerts} (issue 17): its owner is set by {@link BridgeAlerts};
   * refused without a reply address or a valid owner.
   */
  private void alertRequest(BridgeEvent event, SockJSSocket sock, JsonObject raw) {
    JsonObject body = raw.getValue("body") instanceof JsonObject b ? b : null;
    JsonObject request = BridgeAlerts.request(body, options.authEnabled(), sock.webUser());
    if (request == null || raw.getString("replyAddress") == null) {
      event.complete(false);
      return;
    }
    event.setRawMessage(raw.copy().put("body", request));
    event.complete(true);
  }

  /**
   * The message rate limit of a session: refused beyond it, closed after too many refusals in a
   * row.
   */
  private boolean admit(SockState st, SockJSSocket sock, BridgeEvent event) {
    if (st.bucket.tryTake(System.nanoTime())) {
      st.strikes = 0;
      return true;
    }
    st.strikes++;
    node.metrics.rateLimited.increment();
    event.complete(false);
    if (st.strikes > options.rateStrikes()) {
      node.metrics.rateLimitCloses.increment();
      sock.close(1008, "message rate limit exceeded");
    }
    return false;
  }

  /**
   * A request to history: its body is validated and normalised like {@code /api/candles}' query.
   */
  private void send(BridgeEvent event, JsonObject raw, String address) {
    if (!Addresses.HISTORY.equals(address)) {
      event.complete(true); // not permitted: the bridge answers access_denied
      return;
    }
    JsonObject body = raw.getValue("body") instanceof JsonObject b ? b : null;
    if (body == null || raw.getString("replyAddress") == null) {
      event.complete(false);
      return;
    }
    CandlesQuery.Result r =
        CandlesQuery.parse(
            name ->
                scalar(
                    name.equals("local_only") && !body.containsKey(name)
                        ? body.getValue("localOnly")
                        : body.getValue(name)),
            options.maxLimit());
    if (r instanceof CandlesQuery.Ok ok) {
      event.setRawMessage(raw.copy().put("body", ok.request()));
      event.complete(true);
    } else {
      event.complete(false);
    }
  }

  /**
   * A history batch ({@link BridgeBatches} validates it and answers): a request with a reply
   * handler and an object body; each symbol beyond the first takes one more token of the session's
   * message rate (refused as a whole when there are not enough).
   */
  private void batch(BridgeEvent event, JsonObject raw, SockState st) {
    JsonObject body = raw.getValue("body") instanceof JsonObject b ? b : null;
    if (body == null || raw.getString("replyAddress") == null) {
      event.complete(false);
      return;
    }
    int extra =
        body.getValue("symbols") instanceof io.vertx.core.json.JsonArray a
            ? Math.min(a.size(), options.batchMaxSymbols() + 1) - 1
            : 0;
    if (extra > 0 && !st.bucket.tryTake(System.nanoTime(), extra)) {
      node.metrics.rateLimited.increment();
      event.complete(false);
      return;
    }
    event.complete(true);
  }

  /**
   * A JSON scalar as the query-parameter string CandlesQuery validates; objects and arrays become
   * invalid text.
   */
  private static String scalar(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      String s = String.valueOf(v);
      if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9e15) {
        s = String.valueOf(d.longValue());
      }
      return s;
    }
    return "<" + v.getClass().getSimpleName() + ">";
  }
}
