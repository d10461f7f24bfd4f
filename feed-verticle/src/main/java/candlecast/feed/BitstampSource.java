package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live trades from Bitstamp's WebSocket API, kept complete across every disconnect.
 *
 * <p><b>Connections.</b> One WebSocket carries every symbol's {@code live_trades_<pair>} channel. The source sends
 * {@code bts:heartbeat} every {@code bitstamp.heartbeat-ms}; a watchdog drops a connection that sent nothing for
 * {@code bitstamp.silence-ms}. A lost connection is replaced after an exponential, jittered, capped back-off
 * ({@link Backoff}), forever. On {@code bts:request_reconnect} it connects anew and subscribes first, and drops the
 * old connection only once the new one is subscribed (make before break: coverage never lapses). A connection is
 * "subscribed" once every channel is acknowledged, or after {@code bitstamp.subscribe-timeout-ms} with at least one.
 *
 * <p><b>Coverage.</b> Whenever coverage lapsed (a lost connection, or trades the Kafka buffer refused), the source
 * back-fills once it is subscribed again (and Kafka has room): it fetches {@code /api/v2/transactions/<pair>/} for a
 * window (minute, hour or day) covering the outage, buffers the live trades that arrive meanwhile, and writes the REST
 * trades newer than the last one written, merged with the buffered live ones in trade-id order ({@link
 * BackfillMerge}). The {@link TradeGate} drops anything already written (bounded id window).
 *
 * <p><b>Watermarks</b> only while the stream is live and healthy: the arrival time of the last frame minus {@code
 * bitstamp.watermark-lag-ms} ({@link #watermarkClock}); never while disconnected, back-filling or waiting for Kafka.
 *
 * <p>Errors are logged once per distinct problem and counted; runs on the feed's context.
 */
final class BitstampSource extends SourceBase {
  private static final Logger LOG = LoggerFactory.getLogger(BitstampSource.class);
  /** Largest text frame accepted; larger ones go to trades.dlq (Vert.x closes the connection beyond 1 MiB). */
  static final int MAX_MESSAGE_CHARS = 64 * 1024;
  /** A connection that stayed up this long resets the reconnect back-off. */
  static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Live trades buffered during a back-fill at most; beyond, they are dropped and the REST back-fill covers them. */
  static final int MAX_BUFFERED = 200_000;
  static final long REST_TIMEOUT_MS = 15_000;
  static final long HANDSHAKE_TIMEOUT_MS = 15_000;
  /** Longest overlap of the old and the new connection in a maintenance switch (request_reconnect). */
  static final long SWITCH_OVERLAP_MS = 2_000;

  /** What the source needs from the configuration. */
  record Options(String wsUrl, String restUrl, long heartbeatMs, long silenceMs, long backoffMinMs, long backoffMaxMs,
                 long subscribeTimeoutMs, long watermarkLagMs) {
  }

  private final Vertx vertx;
  private final Map<String, String> symbolByChannel = new LinkedHashMap<>();
  private final Options opt;
  private final Backoff backoff;
  private final Backoff restBackoff;
  private WebSocketClient wsClient;
  private HttpClientAgent http;

  private Conn active;
  private Conn incoming;
  private int connSeq;
  private boolean stopped;
  private boolean everSubscribed;
  /** Coverage lapsed since {@link #outageStartMs} (wall clock); a back-fill is due. */
  private boolean needBackfill;
  private long outageStartMs = -1;
  private long lostAtNanos;
  /** The Kafka buffer refused a trade: drop live trades (the back-fill recovers them) until it has room. */
  private boolean kafkaWait;
  private boolean backfilling;
  private int backfillGen;
  /** Trades the back-fills of the current outage recovered from REST so far. */
  private long recoveredThisOutage;
  private boolean roomLogged;
  private final Map<String, List<Trade>> buffered = new HashMap<>();
  private int bufferedCount;
  private final Map<String, Long> coveredSince = new HashMap<>();
  private final Set<String> missingChannels = new TreeSet<>();
  private long reconnectTimer = -1;
  private long heartbeatTimer = -1;
  private long watchdogTimer = -1;
  private long backfillRetryTimer = -1;

  private long reconnects;
  private long connectFailures;
  private long maintenanceReconnects;
  private long serverErrors;
  private long backfills;
  private long backfillFailures;
  private long backfilled;
  private long lastRecoveryMs = -1;
  private long frames;
  private String lastError;
  private String lastLogged;
  /** Newest trade id per symbol the active connection delivered (the overlap test of a maintenance switch). */
  private final Map<String, Long> activeNewest = new HashMap<>();

  /** One WebSocket connection and what it has seen. */
  private static final class Conn {
    final int id;
    WebSocket ws;
    final Set<String> acked = new TreeSet<>();
    final List<Trade> early = new ArrayList<>();
    boolean earlyOverflow;
    long lastFrameNanos = System.nanoTime();
    long lastFrameWallMs = System.currentTimeMillis();
    boolean dead;
    boolean promoted;
    long promotedNanos;
    long timer = -1;
    /** Maintenance switch: every channel acknowledged, waiting for the overlap with the old connection. */
    boolean allAcked;
    long switchTimer = -1;
    /** First trade id per symbol received on this connection while it was incoming. */
    final Map<String, Long> firstId = new HashMap<>();

    Conn(int id) {
      this.id = id;
    }
  }

  BitstampSource(Vertx vertx, TradeGate gate, List<String> symbols, Options options, Random random) {
    super("bitstamp", gate, checked(symbols));
    this.vertx = vertx;
    for (String s : symbols) {
      String ch = BitstampProtocol.channel(s);
      BitstampProtocol.subscribeFrame(ch); // fails early for a frame that would be too long
      symbolByChannel.put(ch, s);
    }
    this.opt = options;
    this.backoff = new Backoff(options.backoffMinMs(), options.backoffMaxMs(), random);
    this.restBackoff = new Backoff(options.backoffMinMs(), options.backoffMaxMs(), random);
  }

  private static List<String> checked(List<String> symbols) {
    if (symbols.isEmpty()) {
      throw new IllegalArgumentException("bitstamp: no symbols");
    }
    if (symbols.size() > BitstampProtocol.MAX_CHANNELS) {
      throw new IllegalArgumentException("bitstamp: " + symbols.size() + " symbols, but one connection carries at most "
          + BitstampProtocol.MAX_CHANNELS + " channels");
    }
    return symbols;
  }

  @Override
  public Future<Void> start() {
    wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setConnectTimeout(10_000)
        .setMaxFrameSize(1024 * 1024)
        .setMaxMessageSize(1024 * 1024)
        .setClosingTimeout(2)
        .setName("candlecast-bitstamp"));
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setName("candlecast-bitstamp-rest"));
    heartbeatTimer = vertx.setPeriodic(opt.heartbeatMs(), id -> heartbeat());
    long check = Math.max(20, Math.min(1_000, opt.silenceMs() / 4));
    watchdogTimer = vertx.setPeriodic(check, id -> watchdog());
    LOG.info("feed: bitstamp source, {} from {} (back-fill from {})", symbols, opt.wsUrl(), opt.restUrl());
    connect();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    for (long t : new long[] {reconnectTimer, heartbeatTimer, watchdogTimer, backfillRetryTimer}) {
      if (t >= 0) {
        vertx.cancelTimer(t);
      }
    }
    List<Future<?>> closing = new ArrayList<>();
    for (Conn c : new Conn[] {active, incoming}) {
      if (c != null && c.ws != null && !c.ws.isClosed()) {
        closing.add(c.ws.close().recover(e -> Future.succeededFuture()));
      }
    }
    active = null;
    incoming = null;
    return Future.join(closing)
        .eventually(() -> wsClient == null ? Future.succeededFuture() : wsClient.close())
        .eventually(() -> http == null ? Future.succeededFuture() : http.close())
        .mapEmpty();
  }

  // ------------------------------------------------------------------------------------------ connections

  private void connect() {
    if (stopped) {
      return;
    }
    Conn c = new Conn(++connSeq);
    incoming = c;
    c.timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> {
      if (c == incoming && c.ws == null) {
        c.dead = true;
        incoming = null;
        connectFailures++;
        problem("no WebSocket handshake with " + opt.wsUrl() + " within " + HANDSHAKE_TIMEOUT_MS + " ms");
        scheduleReconnect();
      }
    });
    wsClient.connect(new WebSocketConnectOptions().setAbsoluteURI(opt.wsUrl()).setConnectTimeout(10_000))
        .onComplete(ar -> {
          if (ar.succeeded() && (stopped || c != incoming || c.dead)) {
            ar.result().close();
            return;
          }
          if (c != incoming) {
            return;
          }
          if (ar.failed()) {
            vertx.cancelTimer(c.timer);
            c.dead = true;
            incoming = null;
            connectFailures++;
            problem("cannot connect to " + opt.wsUrl() + ": " + ar.cause().getMessage());
            scheduleReconnect();
            return;
          }
          opened(c, ar.result());
        });
  }

  private void opened(Conn c, WebSocket ws) {
    vertx.cancelTimer(c.timer);
    c.ws = ws;
    c.lastFrameNanos = System.nanoTime();
    c.lastFrameWallMs = System.currentTimeMillis();
    ws.textMessageHandler(text -> onText(c, text));
    ws.binaryMessageHandler(b -> onBinary(c, b));
    ws.closeHandler(v -> lost(c, "connection closed" + (ws.closeStatusCode() == null ? ""
        : " (" + ws.closeStatusCode() + (ws.closeReason() == null ? "" : " " + ws.closeReason()) + ")")));
    ws.exceptionHandler(e -> lost(c, "connection error: " + e.getMessage()));
    for (String ch : symbolByChannel.keySet()) {
      ws.writeTextMessage(BitstampProtocol.subscribeFrame(ch));
    }
    c.timer = vertx.setTimer(opt.subscribeTimeoutMs(), id -> subscribeTimeout(c));
  }

  private void scheduleReconnect() {
    if (stopped || reconnectTimer >= 0 || incoming != null) {
      return;
    }
    long delay = backoff.nextDelayMs();
    reconnectTimer = vertx.setTimer(delay, id -> {
      reconnectTimer = -1;
      reconnects++;
      connect();
    });
  }

  private void subscribeTimeout(Conn c) {
    if (c.dead || c.promoted || c != incoming) {
      return;
    }
    if (c.acked.isEmpty()) {
      lost(c, "no subscription acknowledged within " + opt.subscribeTimeoutMs() + " ms");
      return;
    }
    missingChannels.clear();
    missingChannels.addAll(symbolByChannel.keySet());
    missingChannels.removeAll(c.acked);
    problem("no subscription acknowledgement within " + opt.subscribeTimeoutMs() + " ms for " + missingChannels
        + "; going on without them");
    promote(c);
  }

  /** {@code c} is subscribed: it becomes the connection whose trades count. */
  private void promote(Conn c) {
    vertx.cancelTimer(c.timer);
    if (c.switchTimer >= 0) {
      vertx.cancelTimer(c.switchTimer);
      c.switchTimer = -1;
    }
    c.promoted = true;
    c.promotedNanos = System.nanoTime();
    incoming = null;
    long now = System.currentTimeMillis();
    for (String ch : c.acked) {
      coveredSince.putIfAbsent(symbolByChannel.get(ch), now);
    }
    Conn old = active;
    active = c;
    List<Trade> early = new ArrayList<>(c.early);
    early.sort(Comparator.comparingLong(Trade::id));
    c.early.clear();
    if (c.earlyOverflow) {
      startOutage(now);
    }
    if (old != null) {
      // Make before break: the old connection delivered until now, the new one since its subscriptions.
      old.dead = true;
      vertx.cancelTimer(old.timer);
      if (old.ws != null) {
        old.ws.close();
      }
      LOG.info("feed bitstamp: switched to connection #{} (maintenance), old #{} closed", c.id, old.id);
      early.forEach(this::routeLive);
    } else if (!everSubscribed) {
      everSubscribed = true;
      LOG.info("feed bitstamp: subscribed to {} channel(s), live", c.acked.size());
      early.forEach(this::routeLive);
    } else {
      LOG.info("feed bitstamp: connection #{} subscribed; back-filling the outage", c.id);
      early.forEach(this::routeLive);
    }
    maybeStartBackfill();
  }

  /** Coverage lapsed at {@code atMs} (wall clock): a back-fill is due once subscribed again. */
  private void startOutage(long atMs) {
    if (!needBackfill) {
      needBackfill = true;
      outageStartMs = atMs;
      lostAtNanos = System.nanoTime();
    } else {
      outageStartMs = Math.min(outageStartMs, atMs);
    }
  }

  /** Called for every way a connection ends (close, error, watchdog, timeout); idempotent. */
  private void lost(Conn c, String reason) {
    if (c.dead) {
      return;
    }
    c.dead = true;
    vertx.cancelTimer(c.timer);
    if (c.ws != null && !c.ws.isClosed()) {
      c.ws.close();
    }
    if (stopped) {
      return;
    }
    if (c == incoming) {
      incoming = null;
      problem("connection #" + c.id + " (not yet subscribed): " + reason);
      scheduleReconnect();
      return;
    }
    if (c != active) {
      return;
    }
    active = null;
    problem("connection #" + c.id + " lost: " + reason);
    if (c.promotedNanos != 0 && System.nanoTime() - c.promotedNanos >= STABLE_NANOS) {
      backoff.reset();
    }
    startOutage(c.lastFrameWallMs);
    if (backfilling) {
      backfilling = false;
      backfillGen++; // its result is stale now; the next back-fill covers the whole outage
    }
    Conn next = incoming;
    if (next != null && next.allAcked && !next.dead) {
      promote(next); // a maintenance switch was waiting for the overlap: the new connection takes over at once
      return;
    }
    scheduleReconnect();
  }

  private void watchdog() {
    long now = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(opt.silenceMs());
    for (Conn c : new Conn[] {active, incoming}) {
      if (c != null && c.ws != null && !c.dead && now - c.lastFrameNanos > limit) {
        lost(c, "no frame for " + TimeUnit.NANOSECONDS.toMillis(now - c.lastFrameNanos) + " ms (watchdog)");
      }
    }
  }

  private void heartbeat() {
    for (Conn c : new Conn[] {active, incoming}) {
      if (c != null && c.ws != null && !c.dead) {
        c.ws.writeTextMessage(BitstampProtocol.heartbeatFrame());
      }
    }
  }

  // ------------------------------------------------------------------------------------------ frames

  private void onBinary(Conn c, Buffer b) {
    if (c.dead) {
      return;
    }
    touch(c);
    if (authoritative(c)) {
      gate.reject("binary frame of " + b.length() + " bytes (Bitstamp sends text)", null, null);
    }
  }

  private void touch(Conn c) {
    c.lastFrameNanos = System.nanoTime();
    c.lastFrameWallMs = System.currentTimeMillis();
    frames++;
  }

  /** Whether problems seen on {@code c} are reported: not on a new connection that overlaps a live one. */
  private boolean authoritative(Conn c) {
    return c == active || active == null;
  }

  private void onText(Conn c, String text) {
    if (c.dead) {
      return;
    }
    touch(c);
    if (text.length() > MAX_MESSAGE_CHARS) {
      if (authoritative(c)) {
        gate.reject("oversized frame: " + text.length() + " characters (limit " + MAX_MESSAGE_CHARS + ")",
            text.substring(0, 256), null);
      }
      return;
    }
    BitstampProtocol.Message m = BitstampProtocol.parse(text, symbolByChannel);
    if (m instanceof BitstampProtocol.TradeEvent te) {
      if (te.trade() == null) {
        if (authoritative(c)) {
          gate.reject(te.problem(), text, null);
        }
      } else {
        onTrade(c, te.trade());
      }
    } else if (m instanceof BitstampProtocol.SubscriptionSucceeded s) {
      if (s.channel() != null && symbolByChannel.containsKey(s.channel())) {
        c.acked.add(s.channel());
        if (c.promoted) {
          missingChannels.remove(s.channel());
          coveredSince.putIfAbsent(symbolByChannel.get(s.channel()), System.currentTimeMillis());
        } else if (c == incoming && c.acked.size() == symbolByChannel.size()) {
          missingChannels.clear();
          if (active != null && active != c && active.promoted && !active.dead) {
            // Maintenance: the old connection may still hold trades in flight that the new one never got. Switch
            // once, for every symbol, the old one has delivered up to the new one's first trade (nothing in between
            // is lost, the gate drops the overlap), or after SWITCH_OVERLAP_MS (a quiet symbol has nothing to lose).
            c.allAcked = true;
            c.switchTimer = vertx.setTimer(SWITCH_OVERLAP_MS, t -> {
              c.switchTimer = -1;
              if (c == incoming && !c.dead && !c.promoted) {
                promote(c);
              }
            });
            maybeSwitch(c);
          } else {
            promote(c);
          }
        }
      }
    } else if (m instanceof BitstampProtocol.RequestReconnect) {
      if (c == active && incoming == null && !stopped) {
        maintenanceReconnects++;
        LOG.info("feed bitstamp: bts:request_reconnect on connection #{}; connecting anew before dropping it", c.id);
        if (reconnectTimer >= 0) {
          vertx.cancelTimer(reconnectTimer);
          reconnectTimer = -1;
        }
        reconnects++;
        connect();
      }
    } else if (m instanceof BitstampProtocol.Error e) {
      serverErrors++;
      problem("bts:error" + (e.channel() == null || e.channel().isEmpty() ? "" : " on " + e.channel()) + ": "
          + e.message());
    } else if (m instanceof BitstampProtocol.Malformed mf) {
      if (authoritative(c)) {
        gate.reject(mf.reason(), text, null);
      }
    }
    // Heartbeat replies and other events only count as frames.
  }

  private void onTrade(Conn c, Trade t) {
    if (c == active && c.promoted) {
      activeNewest.merge(t.symbol(), t.id(), Math::max);
      routeLive(t);
      Conn next = incoming;
      if (next != null && next.allAcked) {
        maybeSwitch(next);
      }
    } else if (c == incoming) {
      c.firstId.putIfAbsent(t.symbol(), t.id());
      onTradeIncoming(c, t);
      if (c.allAcked) {
        maybeSwitch(c);
      }
    }
  }

  /** Promotes {@code c} once the active connection has delivered, for every symbol, up to c's first trade. */
  private void maybeSwitch(Conn c) {
    if (c != incoming || c.dead || c.promoted) {
      return;
    }
    for (String symbol : symbolByChannel.values()) {
      Long first = c.firstId.get(symbol);
      Long seen = activeNewest.get(symbol);
      if (first == null || seen == null || seen < first) {
        return;
      }
    }
    promote(c);
  }

  private void onTradeIncoming(Conn c, Trade t) {
    if (c.early.size() >= MAX_BUFFERED) {
      c.earlyOverflow = true;
    } else {
      c.early.add(t);
    }
  }

  /** A live trade of the active connection: written, buffered (back-fill pending) or dropped (Kafka full). */
  private void routeLive(Trade t) {
    if (kafkaWait) {
      gate.gapDropped(t.time(), t.time(), 1);
      return;
    }
    if (needBackfill) {
      String reason = gate.liveTimeReason(t);
      if (reason != null) {
        gate.rejectTrade(t, reason, null);
        return;
      }
      if (bufferedCount >= MAX_BUFFERED) {
        return; // the REST back-fill covers it (it is newer than anything written)
      }
      buffered.computeIfAbsent(t.symbol(), k -> new ArrayList<>()).add(t);
      bufferedCount++;
      return;
    }
    if (gate.offerLive(t) == TradeGate.Outcome.REFUSED) {
      enterKafkaWait(t.time());
    }
  }

  private void enterKafkaWait(long tradeTimeMs) {
    kafkaWait = true;
    startOutage(Math.min(tradeTimeMs, System.currentTimeMillis()));
    if (backfilling) {
      backfilling = false;
      backfillGen++;
    }
    buffered.clear();
    bufferedCount = 0;
    gate.log().whenRoom(() -> {
      kafkaWait = false;
      if (!roomLogged) {
        roomLogged = true;
        LOG.info("feed bitstamp: Kafka has room again; back-filling the gap (in rounds of at most half the buffer)");
      }
      maybeStartBackfill();
    });
  }

  // ------------------------------------------------------------------------------------------ back-fill

  private void maybeStartBackfill() {
    if (stopped || !needBackfill || kafkaWait || backfilling || backfillRetryTimer >= 0 || active == null
        || !active.promoted) {
      return;
    }
    backfilling = true;
    int gen = ++backfillGen;
    backfills++;
    long now = System.currentTimeMillis();
    long span = now - outageStartMs + 5_000;
    String window = BitstampProtocol.transactionsWindow(span);
    if (span > BitstampProtocol.windowMs("day")) {
      problem("outage of " + span / 1000 + " s is longer than a day: trades before "
          + java.time.Instant.ofEpochMilli(now - BitstampProtocol.windowMs("day")) + " cannot be back-filled");
    }
    List<String> toFetch = new ArrayList<>(coveredSince.keySet());
    List<Future<List<BitstampProtocol.RestRow>>> calls = new ArrayList<>();
    for (String s : toFetch) {
      calls.add(fetch(s, window));
    }
    Future.all(calls).onComplete(ar -> {
      if (gen != backfillGen || stopped) {
        return;
      }
      backfilling = false;
      if (ar.failed()) {
        backfillFailures++;
        problem("back-fill from " + opt.restUrl() + " failed: " + ar.cause().getMessage());
        backfillRetryTimer = vertx.setTimer(restBackoff.nextDelayMs(), id -> {
          backfillRetryTimer = -1;
          maybeStartBackfill();
        });
        return;
      }
      restBackoff.reset();
      if (active == null || kafkaWait) {
        return; // lost again meanwhile: the next back-fill covers it all
      }
      long written = 0;
      for (int i = 0; i < toFetch.size() && !kafkaWait; i++) {
        written += writeBackfill(toFetch.get(i), ar.result().resultAt(i));
      }
      backfilled += written;
      recoveredThisOutage += written;
      buffered.clear();
      bufferedCount = 0;
      if (kafkaWait) {
        return; // the buffer filled up again: the next round goes on from the last trade written
      }
      needBackfill = false;
      lastRecoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAtNanos);
      gate.closeGap(recoveredThisOutage);
      LOG.info("feed bitstamp: back-filled {} trade(s) (window {}); live again {} ms after the outage began",
          recoveredThisOutage, window, lastRecoveryMs);
      recoveredThisOutage = 0;
      roomLogged = false;
      lastLogged = null;
    });
  }

  private record RestReply(int status, String body) {
  }

  private Future<List<BitstampProtocol.RestRow>> fetch(String symbol, String window) {
    String url = opt.restUrl().replaceAll("/+$", "") + "/api/v2/transactions/" + BitstampProtocol.pair(symbol) + "/";
    RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url + "?time=" + window)
        .setTimeout(REST_TIMEOUT_MS).putHeader("User-Agent", "candlecast-feed").putHeader("Accept", "application/json");
    return http.request(req)
        .compose(r -> r.send().compose(resp -> resp.body()
            .map(b -> new RestReply(resp.statusCode(), b.toString(java.nio.charset.StandardCharsets.UTF_8)))))
        .compose(reply -> {
          int status = reply.status();
          String body = reply.body();
          if (status != 200) {
            String msg = "GET " + url + "?time=" + window + " answered " + status
                + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body));
            if (status == 400 || status == 404) {
              // Will not get better by retrying: back-fill the other symbols, report this one.
              problem(msg + "; " + symbol + " cannot be back-filled");
              return Future.succeededFuture(List.of());
            }
            return Future.failedFuture(msg);
          }
          try {
            return Future.succeededFuture(BitstampProtocol.parseTransactions(body, symbol));
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(e.getMessage());
          }
        });
  }

  /** Writes one symbol's back-fill merged with its buffered live trades; returns how many REST trades were written. */
  private long writeBackfill(String symbol, List<BitstampProtocol.RestRow> rows) {
    List<Trade> rest = new ArrayList<>(rows.size());
    for (BitstampProtocol.RestRow r : rows) {
      if (r.trade() == null) {
        gate.reject(r.problem(), r.raw(), null);
      } else {
        rest.add(r.trade());
      }
    }
    List<Trade> live = buffered.getOrDefault(symbol, List.of());
    java.util.Set<Long> liveIds = new java.util.HashSet<>();
    for (Trade t : live) {
      liveIds.add(t.id());
    }
    List<Trade> merged = BackfillMerge.merge(rest, live, gate.maxWrittenId(symbol),
        coveredSince.getOrDefault(symbol, outageStartMs));
    long fromRest = 0;
    for (Trade t : merged) {
      TradeGate.Outcome o = gate.offer(t);
      if (o == TradeGate.Outcome.REFUSED) {
        enterKafkaWait(t.time());
        break;
      }
      if (o == TradeGate.Outcome.WRITTEN && !liveIds.contains(t.id())) {
        fromRest++;
      }
    }
    return fromRest;
  }

  // ------------------------------------------------------------------------------------------ state

  /** Logs a problem once (until a different one, or until live again) and remembers it. */
  private void problem(String message) {
    lastError = message;
    if (!message.equals(lastLogged)) {
      lastLogged = message;
      LOG.warn("feed bitstamp: {}", message);
    }
  }

  private boolean live() {
    return !stopped && active != null && !needBackfill && !kafkaWait && !backfilling
        && System.nanoTime() - active.lastFrameNanos <= TimeUnit.MILLISECONDS.toNanos(opt.silenceMs());
  }

  /**
   * The time of the last frame received (trade, heartbeat reply, anything) minus the lag, while live. A frame proves
   * that everything the exchange published before sending it has arrived (one ordered TCP stream), so a trade older
   * than the last frame by more than the lag cannot still come: the lag covers publication delay, network latency and
   * clock skew. Not "now − lag": a connection can fall silent without our knowing yet, and trades of that silence must
   * never land behind a watermark. Traffic on any channel (or the heartbeat reply) keeps the clock fresh.
   */
  @Override
  public long watermarkClock() {
    return live() ? Math.min(System.currentTimeMillis(), active.lastFrameWallMs) - opt.watermarkLagMs() : NO_CLOCK;
  }

  @Override
  public boolean healthy() {
    return live();
  }

  private String stateName() {
    if (stopped) {
      return "stopped";
    }
    if (active == null) {
      return incoming != null && incoming.ws != null ? "subscribing" : "connecting";
    }
    if (kafkaWait) {
      return "waiting-for-kafka";
    }
    if (needBackfill) {
      return "back-filling";
    }
    return "live";
  }

  @Override
  public JsonObject state() {
    JsonObject j = gate.stats()
        .put("status", live() ? "UP" : "DOWN")
        .put("state", stateName())
        .put("connected", active != null)
        .put("url", opt.wsUrl())
        .put("symbols", new JsonArray(symbols))
        .put("reconnects", reconnects)
        .put("connectFailures", connectFailures)
        .put("maintenanceReconnects", maintenanceReconnects)
        .put("serverErrors", serverErrors)
        .put("frames", frames)
        .put("backfills", backfills)
        .put("backfillFailures", backfillFailures)
        .put("backfilled", backfilled);
    if (active != null) {
      j.put("lastFrameAgeMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - active.lastFrameNanos));
    }
    if (lastRecoveryMs >= 0) {
      j.put("lastRecoveryMs", lastRecoveryMs);
    }
    if (!missingChannels.isEmpty()) {
      j.put("unsubscribed", new JsonArray(new ArrayList<>(missingChannels)));
    }
    if (lastError != null) {
      j.put("lastError", lastError);
    }
    return j;
  }

  /** For tests: the last recovery time (outage start to live again after the back-fill), or -1. */
  long lastRecoveryMs() {
    return lastRecoveryMs;
  }
}
