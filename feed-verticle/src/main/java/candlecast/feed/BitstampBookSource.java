package candlecast.feed;

import candlecast.common.Book;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bitstamp's order books, kept consistent by one {@link BookSync} per symbol. One WebSocket
 * connection of its own (the trade connection is not touched: a book problem never costs trades)
 * carries {@code diff_order_book_<pair>} and {@code order_book_<pair>} of every symbol; REST {@code
 * /api/v2/order_book/<pair>/} gives the snapshot to start from.
 *
 * <ul>
 *   <li>Subscribed (diff channel acknowledged): the symbol's diffs are buffered and a snapshot
 *       fetched; then synced.
 *   <li>Connection lost, silent for {@code bitstamp.silence-ms}, or {@code bts:request_reconnect}:
 *       every book is dropped (messages may have been missed) and the connection replaced (after a
 *       jittered back-off, at once for a maintenance request); each book resyncs from a fresh
 *       snapshot once resubscribed.
 *   <li>Inconsistency ({@link BookSync}: out-of-order diff, crossed book, top-of-book that
 *       differs): that book resyncs; repeated resyncs of a symbol back off.
 *   <li>Every {@code feed.book-interval-ms}, each synced book that changed goes to the sink (best
 *       100 levels).
 * </ul>
 */
final class BitstampBookSource implements BookSource {
  private static final Logger LOG = LoggerFactory.getLogger(BitstampBookSource.class);

  /** Diffs buffered per symbol while its snapshot is fetched. */
  static final int MAX_BUFFERED = 10_000;

  static final long REST_TIMEOUT_MS = 15_000;

  /** A book synced this long ago resyncs at once; sooner, its resyncs back off. */
  static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * One symbol: its sync, its snapshot back-off and whether it changed since it was last published.
   */
  private static final class Sym {
    final String symbol;
    final BookSync sync;
    final Backoff backoff;
    long syncedNanos;
    long fetchTimer = -1;
    boolean dirty;
    long fetches;

    Sym(String symbol, Backoff backoff) {
      this.symbol = symbol;
      this.sync = new BookSync(symbol, MAX_BUFFERED);
      this.backoff = backoff;
    }
  }

  private final Vertx vertx;
  private final BitstampSource.Options opt;
  private final String restUrl;
  private final long intervalMs;
  private final BookSink sink;
  private final Backoff connectBackoff;
  private final Map<String, Sym> bySymbol = new LinkedHashMap<>();
  private final Map<String, String> symbolByChannel = new LinkedHashMap<>();
  private WebSocketClient wsClient;
  private HttpClientAgent http;
  private WebSocket ws;
  private boolean stopped;
  private long lastFrameNanos;
  private long connectedNanos;
  private long reconnectTimer = -1;
  private final long[] timers = {-1, -1, -1};
  private long connections;
  private long badMessages;
  private long published;
  private String lastError;

  BitstampBookSource(
      Vertx vertx,
      List<String> symbols,
      BitstampSource.Options opt,
      long intervalMs,
      BookSink sink,
      Random random) {
    if (symbols.isEmpty() || symbols.size() * 2 > BitstampProtocol.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "bitstamp books: 1 to "
              + BitstampProtocol.MAX_CHANNELS / 2
              + " symbols, got "
              + symbols.size());
    }
    this.vertx = vertx;
    this.opt = opt;
    this.restUrl = opt.restUrl().replaceAll("/+$", "");
    this.intervalMs = intervalMs;
    this.sink = sink;
    this.connectBackoff = new Backoff(opt.backoffMinMs(), opt.backoffMaxMs(), random);
    for (String s : symbols) {
      bySymbol.put(s, new Sym(s, new Backoff(opt.backoffMinMs(), opt.backoffMaxMs(), random)));
      symbolByChannel.put(BitstampBookProtocol.diffChannel(s), s);
      symbolByChannel.put(BitstampBookProtocol.topChannel(s), s);
      BitstampProtocol.subscribeFrame(
          BitstampBookProtocol.diffChannel(s)); // fails early for a frame too long
    }
  }

  @Override
  public String name() {
    return "bitstamp";
  }

  @Override
  public List<String> symbols() {
    return List.copyOf(bySymbol.keySet());
  }

  @Override
  public Future<Void> start() {
    wsClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout(10_000)
                .setMaxFrameSize(1024 * 1024)
                .setMaxMessageSize(1024 * 1024)
                .setClosingTimeout(2)
                .setName("candlecast-bitstamp-books"));
    http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(10_000)
                .setName("candlecast-bitstamp-books-rest"));
    timers[0] = vertx.setPeriodic(opt.heartbeatMs(), id -> heartbeat());
    timers[1] =
        vertx.setPeriodic(Math.max(20, Math.min(1_000, opt.silenceMs() / 4)), id -> watchdog());
    timers[2] = vertx.setPeriodic(intervalMs, id -> publish());
    LOG.info(
        "feed: bitstamp books of {} from {} (snapshots from {})",
        bySymbol.keySet(),
        opt.wsUrl(),
        restUrl);
    connect();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    for (long t : timers) {
      vertx.cancelTimer(t);
    }
    vertx.cancelTimer(reconnectTimer);
    bySymbol.values().forEach(s -> vertx.cancelTimer(s.fetchTimer));
    Future<Void> closing = ws == null || ws.isClosed() ? Future.succeededFuture() : ws.close();
    return closing
        .recover(e -> Future.succeededFuture())
        .eventually(() -> wsClient == null ? Future.succeededFuture() : wsClient.close())
        .eventually(() -> http == null ? Future.succeededFuture() : http.close());
  }

  // ------------------------------------------------------------------------------------------
  // connection

  private void connect() {
    if (stopped) {
      return;
    }
    wsClient
        .connect(
            new WebSocketConnectOptions().setAbsoluteURI(opt.wsUrl()).setConnectTimeout(10_000))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                lost(null, "cannot connect to " + opt.wsUrl() + ": " + ar.cause().getMessage());
              } else if (stopped) {
                ar.result().close();
              } else {
                opened(ar.result());
              }
            });
  }

  private void opened(WebSocket socket) {
    ws = socket;
    connections++;
    connectedNanos = System.nanoTime();
    lastFrameNanos = connectedNanos;
    socket.textMessageHandler(text -> onText(socket, text));
    socket.closeHandler(v -> lost(socket, "connection closed"));
    socket.exceptionHandler(e -> lost(socket, "connection error: " + e.getMessage()));
    for (String channel : symbolByChannel.keySet()) {
      socket.writeTextMessage(BitstampProtocol.subscribeFrame(channel));
    }
  }

  /**
   * The connection {@code socket} (null: a failed attempt) ended: every book is unknown until
   * resubscribed.
   */
  private void lost(WebSocket socket, String reason) {
    if (stopped || socket != ws) {
      return;
    }
    ws = null;
    if (socket != null) {
      if (!socket.isClosed()) {
        socket.close();
      }
      if (System.nanoTime() - connectedNanos >= STABLE_NANOS) {
        connectBackoff.reset();
      }
    }
    problem(reason);
    for (Sym s : bySymbol.values()) {
      s.sync.unsubscribed();
      s.dirty = false;
      vertx.cancelTimer(s.fetchTimer);
    }
    long delay = connectBackoff.nextDelayMs();
    reconnectTimer = vertx.setTimer(delay, id -> connect());
  }

  private void heartbeat() {
    if (ws != null && !ws.isClosed()) {
      ws.writeTextMessage(BitstampProtocol.heartbeatFrame());
    }
  }

  private void watchdog() {
    long silent = System.nanoTime() - lastFrameNanos;
    if (ws != null && silent > TimeUnit.MILLISECONDS.toNanos(opt.silenceMs())) {
      lost(ws, "no frame for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (watchdog)");
    }
  }

  private void onText(WebSocket socket, String text) {
    if (socket != ws) {
      return;
    }
    lastFrameNanos = System.nanoTime();
    BitstampBookProtocol.Message m = BitstampBookProtocol.parse(text, symbolByChannel);
    if (m instanceof BitstampBookProtocol.Data d) {
      Sym s = bySymbol.get(d.symbol());
      act(s, d.top() ? s.sync.top(d.levels()) : s.sync.diff(d.levels()));
    } else if (m instanceof BitstampBookProtocol.Bad bad) {
      badMessages++;
      problem("unusable book message on " + bad.channel() + ": " + bad.reason());
    } else if (m instanceof BitstampBookProtocol.Control c) {
      onControl(socket, c.message());
    }
  }

  private void onControl(WebSocket socket, BitstampProtocol.Message m) {
    if (m instanceof BitstampProtocol.SubscriptionSucceeded ok
        && ok.channel() != null
        && ok.channel().startsWith(BitstampBookProtocol.DIFF_PREFIX)
        && symbolByChannel.containsKey(ok.channel())) {
      Sym s = bySymbol.get(symbolByChannel.get(ok.channel()));
      s.sync.subscribed();
      s.syncedNanos = 0;
      s.backoff.reset();
      fetch(s, 0);
    } else if (m instanceof BitstampProtocol.RequestReconnect) {
      LOG.info("feed bitstamp books: bts:request_reconnect; reconnecting and resyncing every book");
      connectBackoff.reset();
      lost(socket, "bts:request_reconnect");
      vertx.cancelTimer(reconnectTimer);
      connect();
    } else if (m instanceof BitstampProtocol.Error e) {
      problem("bts:error: " + e.message());
    } else if (m instanceof BitstampProtocol.Malformed mf) {
      badMessages++;
      problem("unusable message: " + mf.reason());
    }
  }

  // ------------------------------------------------------------------------------------------ sync
  // and snapshots

  private void act(Sym s, BookSync.Action a) {
    switch (a) {
      case CHANGED -> {
        if (s.syncedNanos == 0) {
          s.syncedNanos = System.nanoTime();
        }
        s.dirty = true;
      }
      case FETCH_SNAPSHOT -> {
        // a book that stayed synced for a while resyncs at once; one that keeps failing backs off
        boolean stable = s.syncedNanos != 0 && System.nanoTime() - s.syncedNanos >= STABLE_NANOS;
        if (stable) {
          s.backoff.reset();
        }
        s.dirty = false;
        s.syncedNanos = 0;
        fetch(s, stable ? 0 : s.backoff.nextDelayMs());
      }
      case RETRY_SNAPSHOT -> fetch(s, s.backoff.nextDelayMs());
      default -> {}
    }
  }

  /** Fetches the snapshot for the sync's current epoch after {@code delayMs}. */
  private void fetch(Sym s, long delayMs) {
    vertx.cancelTimer(s.fetchTimer);
    long epoch = s.sync.epoch();
    if (delayMs > 0) {
      s.fetchTimer = vertx.setTimer(delayMs, id -> fetch(s, 0));
      return;
    }
    s.fetchTimer = -1;
    s.fetches++;
    String url = restUrl + "/api/v2/order_book/" + BitstampProtocol.pair(s.symbol) + "/";
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setTimeout(REST_TIMEOUT_MS)
            .putHeader("User-Agent", "candlecast-feed")
            .putHeader("Accept", "application/json");
    http.request(req)
        .compose(
            r ->
                r.send()
                    .compose(
                        resp ->
                            resp.body()
                                .map(
                                    b -> {
                                      if (resp.statusCode() != 200) {
                                        throw new IllegalStateException(
                                            "GET " + url + " answered " + resp.statusCode());
                                      }
                                      return BitstampBookProtocol.parseSnapshot(
                                          b.toString(StandardCharsets.UTF_8));
                                    })))
        .onComplete(
            ar -> {
              if (stopped || epoch != s.sync.epoch()) {
                return; // restarted meanwhile: a newer request is (or will be) out
              }
              if (ar.succeeded()) {
                act(s, s.sync.snapshot(epoch, ar.result()));
              } else {
                problem("book snapshot of " + s.symbol + ": " + ar.cause().getMessage());
                fetch(s, s.backoff.nextDelayMs());
              }
            });
  }

  // ------------------------------------------------------------------------------------------
  // publishing, state

  /**
   * Every interval: the best levels of each book that changed and may be published (else it waits).
   */
  private void publish() {
    for (Sym s : bySymbol.values()) {
      if (s.dirty) {
        Book b = s.sync.publishable(Book.MAX_DEPTH);
        if (b != null) {
          s.dirty = false;
          published++;
          sink.offer(b);
        }
      }
    }
  }

  private void problem(String message) {
    if (!message.equals(lastError)) {
      LOG.warn("feed bitstamp books: {}", message);
    }
    lastError = message;
  }

  @Override
  public JsonObject state() {
    JsonObject books = new JsonObject();
    TreeSet<String> unsynced = new TreeSet<>();
    for (Sym s : bySymbol.values()) {
      BookSync y = s.sync;
      if (y.state() != BookSync.State.SYNCED) {
        unsynced.add(s.symbol);
      }
      JsonObject j =
          new JsonObject()
              .put("state", y.state().name().toLowerCase(java.util.Locale.ROOT))
              .put("levels", y.levels())
              .put("snapshots", s.fetches)
              .put("resyncs", y.resyncs())
              .put("snapshotRetries", y.snapshotRetries())
              .put("staleDiffs", y.staleDiffs())
              .put("topChecks", y.topChecks());
      if (y.lastResync() != null) {
        j.put("lastResync", y.lastResync());
      }
      books.put(s.symbol, j);
    }
    JsonObject j =
        new JsonObject()
            .put("status", ws != null && unsynced.isEmpty() ? "UP" : "DOWN")
            .put("connected", ws != null)
            .put("connections", connections)
            .put("published", published)
            .put("badMessages", badMessages)
            .put("unsynced", new JsonArray(List.copyOf(unsynced)))
            .put("books", books);
    if (lastError != null) {
      j.put("lastError", lastError);
    }
    return j;
  }

  /** The symbol's sync (tests). */
  BookSync sync(String symbol) {
    return bySymbol.get(symbol).sync;
  }
}
