package candlecast.feed;

import candlecast.common.Book;
import candlecast.common.Side;
import candlecast.common.Trade;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Bitstamp on loopback speaking the real shapes: the WebSocket API v2 (subscribe, acks,
 * trades, heartbeats, {@code bts:request_reconnect}, {@code bts:error}) behind a {@link
 * FaultProxy}, and {@code GET /api/v2/transactions/{pair}/?time=minute|hour|day}. It keeps the
 * ground truth: every valid trade it published, per pair, in id order. Ids start above 2^53; every
 * other trade carries {@code id_str}, the others only the numeric id. It runs on its own Vert.x
 * instance; test methods block until the fake did what they asked.
 *
 * <p>Order books: a true book per pair ({@link MarketBook}) whose changes are streamed on {@code
 * diff_order_book_<pair>} (the changed levels, amount "0.00000000" = removed) followed by {@code
 * order_book_<pair>} (the best 100 levels), both stamped with the change's {@code microtimestamp}
 * (and {@code timestamp} in seconds), prices and amounts as decimal strings; {@code GET
 * /api/v2/order_book/<pair>/} serves the whole true book. Faults on demand: an old diff sent again
 * (out of order), a diff not sent (lost).
 */
final class FakeBitstamp implements AutoCloseable {
  static final long FIRST_ID = (1L << 53) + 1;

  private final Vertx vertx = Vertx.vertx();
  private final Set<String> pairs;
  private Context context;
  private HttpServer server;
  private FaultProxy proxy;

  // fake's context only
  private final List<Conn> conns = new ArrayList<>();
  private final Map<String, List<Trade>> truth = new HashMap<>();
  private final Map<String, String> lastFrame = new HashMap<>();
  private final Map<String, Double> prices = new HashMap<>();
  private final Random rnd = new Random(42);
  private long nextId = FIRST_ID;
  private int connSeq;
  private long streamTimer = -1;

  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final List<String> restCalls = Collections.synchronizedList(new ArrayList<>());
  final List<String> oversizedClientFrames = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger heartbeats = new AtomicInteger();
  final AtomicInteger restFailures = new AtomicInteger();
  final List<String> bookRestCalls = Collections.synchronizedList(new ArrayList<>());
  // OHLC endpoint (deep history): every request's query, the requests answered 429, the rate
  // limit (requests per rolling second, 0 = none), injected 429s and the listing time
  final List<String> ohlcCalls = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger ohlcRefused = new AtomicInteger();
  final AtomicInteger ohlcFailNext = new AtomicInteger();
  volatile int ohlcPerSecond;
  volatile long ohlcListedSec = 1_420_070_400L; // 2015-01-01
  private final java.util.ArrayDeque<Long> ohlcRecent = new java.util.ArrayDeque<>();
  // fake's context only
  private final Map<String, MarketBook> books = new HashMap<>();
  private final Map<String, List<String>> sentDiffs = new HashMap<>();
  private final Set<String> loseNextDiff = new HashSet<>();
  private long bookTimer = -1;

  private static final class Conn {
    final int id;
    final ServerWebSocket ws;
    final Set<String> channels = new LinkedHashSet<>();
    boolean silenced;

    Conn(int id, ServerWebSocket ws) {
      this.id = id;
      this.ws = ws;
    }
  }

  private FakeBitstamp(Set<String> pairs) {
    this.pairs = Set.copyOf(pairs);
  }

  /** Starts the fake for these pairs (lower-case, e.g. btcusd). */
  static FakeBitstamp start(String... pairs) throws Exception {
    FakeBitstamp f = new FakeBitstamp(new LinkedHashSet<>(List.of(pairs)));
    f.vertx
        .deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                f.context = context;
                f.server =
                    vertx
                        .createHttpServer()
                        .webSocketHandler(f::onWebSocket)
                        .requestHandler(f::onRequest);
                return f.server.listen(0, "127.0.0.1");
              }
            })
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    f.proxy = FaultProxy.start(f.vertx, f.server.actualPort());
    return f;
  }

  String wsUrl() {
    return "ws://127.0.0.1:" + proxy.port();
  }

  String restUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  FaultProxy proxy() {
    return proxy;
  }

  <T> T on(Callable<T> action) throws Exception {
    return on(context, action);
  }

  /** Runs {@code action} on {@code context} and waits for its result (10 s at most). */
  static <T> T on(Context context, Callable<T> action) throws Exception {
    CompletableFuture<T> cf = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            cf.complete(action.call());
          } catch (Throwable e) {
            cf.completeExceptionally(e);
          }
        });
    return cf.get(10, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------------------------------
  // WebSocket

  private void onWebSocket(ServerWebSocket ws) {
    Conn c = new Conn(++connSeq, ws);
    conns.add(c);
    events.add("open #" + c.id);
    ws.textMessageHandler(text -> onClientFrame(c, text));
    ws.closeHandler(
        v -> {
          conns.remove(c);
          events.add("closed #" + c.id);
        });
    ws.exceptionHandler(e -> {});
  }

  private void onClientFrame(Conn c, String text) {
    if (text.getBytes(StandardCharsets.UTF_8).length >= 512) {
      oversizedClientFrames.add(text);
    }
    JsonObject m;
    try {
      m = new JsonObject(text);
    } catch (RuntimeException e) {
      send(c, error("Bad event."));
      return;
    }
    switch (String.valueOf(m.getValue("event"))) {
      case "bts:subscribe" -> {
        String channel = m.getJsonObject("data", new JsonObject()).getString("channel", "");
        String pair = pairOf(channel);
        if (pair == null || !pairs.contains(pair)) {
          send(c, error("Bad subscription string."));
          return;
        }
        c.channels.add(channel);
        events.add("subscribed #" + c.id + " " + channel);
        send(
            c,
            new JsonObject()
                .put("event", "bts:subscription_succeeded")
                .put("channel", channel)
                .put("data", new JsonObject())
                .encode());
      }
      case "bts:heartbeat" -> {
        heartbeats.incrementAndGet();
        send(
            c,
            new JsonObject()
                .put("event", "bts:heartbeat")
                .put("channel", "")
                .put("data", new JsonObject().put("status", "success"))
                .encode());
      }
      default -> send(c, error("Bad event."));
    }
  }

  /** The pair of a trade or book channel, or null. */
  private static String pairOf(String channel) {
    for (String prefix : List.of("live_trades_", "diff_order_book_", "order_book_")) {
      if (channel.startsWith(prefix)) {
        return channel.substring(prefix.length());
      }
    }
    return null;
  }

  private static String error(String message) {
    return new JsonObject()
        .put("event", "bts:error")
        .put("channel", "")
        .put("data", new JsonObject().putNull("code").put("message", message))
        .encode();
  }

  private void send(Conn c, String frame) {
    if (!c.silenced && !c.ws.isClosed()) {
      c.ws.writeTextMessage(frame);
    }
  }

  private void broadcast(String channel, String frame) {
    for (Conn c : new ArrayList<>(conns)) {
      if (channel == null || c.channels.contains(channel)) {
        send(c, frame);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ REST

  private void onRequest(HttpServerRequest req) {
    String path = req.path();
    if (path.startsWith("/api/v2/ohlc/")) {
      ohlc(req, path.substring("/api/v2/ohlc/".length()).replace("/", ""));
      return;
    }
    if (path.startsWith("/api/v2/order_book/")) {
      orderBook(req, path.substring("/api/v2/order_book/".length()).replace("/", ""));
      return;
    }
    String prefix = "/api/v2/transactions/";
    if (!path.startsWith(prefix)) {
      req.response().setStatusCode(404).end("{\"error\":\"not found\"}");
      return;
    }
    String pair = path.substring(prefix.length()).replace("/", "");
    String time = req.getParam("time", "hour");
    restCalls.add(pair + "?time=" + time);
    if (restFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      req.response().setStatusCode(500).end("{\"status\":\"error\",\"reason\":\"injected\"}");
      return;
    }
    if (!pairs.contains(pair)) {
      req.response().setStatusCode(404).end("{\"status\":\"error\",\"reason\":\"unknown pair\"}");
      return;
    }
    long windowSec =
        switch (time) {
          case "minute" -> 60;
          case "hour" -> 3600;
          case "day" -> 86400;
          default -> -1;
        };
    if (windowSec < 0) {
      req.response().setStatusCode(400).end("{\"status\":\"error\",\"reason\":\"bad time\"}");
      return;
    }
    long fromSec = System.currentTimeMillis() / 1000 - windowSec;
    JsonArray rows = new JsonArray();
    List<Trade> list = truth.getOrDefault(pair, List.of());
    for (int i = list.size() - 1; i >= 0; i--) { // newest first
      Trade t = list.get(i);
      long sec = t.time() / 1000;
      if (sec < fromSec) {
        break;
      }
      rows.add(
          new JsonObject()
              .put("date", String.valueOf(sec))
              .put("tid", String.valueOf(t.id()))
              .put("price", priceStr(t.price()))
              .put("amount", amountStr(t.amount()))
              .put("type", t.side() == Side.BUY ? "0" : "1"));
    }
    req.response().putHeader("content-type", "application/json").end(rows.encode());
  }

  // ---------------------------------------------------------------------------------------- OHLC

  /** The steps (seconds) the endpoint serves. */
  static final long[] OHLC_STEPS = {
    60, 180, 300, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 259200
  };

  /**
   * GET /api/v2/ohlc/{pair}/?step=&limit=&start=&end=&exclude_current_candle=: {@code limit} bars
   * (1..1000) of {@code step} seconds from {@code start} (aligned up), else the {@code limit} bars
   * up to {@code end}, else up to now; none before the listing time ({@link #ohlcListedSec}) or
   * after now (the current bar only without exclude_current_candle). Bars are deterministic ({@link
   * #ohlcBar}). Beyond {@link #ohlcPerSecond} served requests in a rolling second: 429 with
   * Retry-After 1; the {@link #ohlcFailNext} next requests: 429 with Retry-After 0.
   */
  private void ohlc(HttpServerRequest req, String pair) {
    ohlcCalls.add(pair + "?" + req.query());
    long now = System.currentTimeMillis();
    while (!ohlcRecent.isEmpty() && ohlcRecent.peekFirst() <= now - 1000) {
      ohlcRecent.removeFirst();
    }
    int limitPerSecond = ohlcPerSecond;
    boolean injected = ohlcFailNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    if (injected || (limitPerSecond > 0 && ohlcRecent.size() >= limitPerSecond)) {
      ohlcRefused.incrementAndGet();
      req.response()
          .setStatusCode(429)
          .putHeader("Retry-After", injected ? "0" : "1")
          .end("{\"status\":\"error\",\"reason\":\"rate limit\"}");
      return;
    }
    ohlcRecent.addLast(now);
    if (!pairs.contains(pair)) {
      req.response().setStatusCode(404).end("{\"status\":\"error\",\"reason\":\"unknown pair\"}");
      return;
    }
    long step = longParam(req, "step", -1);
    long limit = longParam(req, "limit", -1);
    if (java.util.Arrays.stream(OHLC_STEPS).noneMatch(x -> x == step)
        || limit < 1
        || limit > 1000) {
      req.response()
          .setStatusCode(400)
          .end("{\"status\":\"error\",\"reason\":\"bad step or limit\"}");
      return;
    }
    long nowSec = now / 1000;
    long newest = Math.floorDiv(nowSec, step) * step;
    if (req.getParam("exclude_current_candle", "false").equals("true")) {
      newest -= step;
    }
    long first;
    if (req.getParam("start") != null) {
      first = Math.floorDiv(longParam(req, "start", 0) + step - 1, step) * step;
    } else {
      long end = Math.min(newest, Math.floorDiv(longParam(req, "end", newest), step) * step);
      first = end - (limit - 1) * step;
    }
    JsonArray rows = new JsonArray();
    for (long ts = Math.max(first, Math.floorDiv(ohlcListedSec + step - 1, step) * step);
        ts <= newest && ts < first + limit * step;
        ts += step) {
      double[] b = ohlcBar(pair, step, ts);
      rows.add(
          new JsonObject()
              .put("timestamp", String.valueOf(ts))
              .put("open", priceStr(b[0]))
              .put("high", priceStr(b[1]))
              .put("low", priceStr(b[2]))
              .put("close", priceStr(b[3]))
              .put("volume", amountStr(b[4])));
    }
    JsonObject data = new JsonObject().put("pair", pair.toUpperCase(Locale.ROOT)).put("ohlc", rows);
    req.response()
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("data", data).encode());
  }

  /** {@link #ohlcBar} as a client reads it back from the served decimal strings. */
  static double[] ohlcBarServed(String pair, long step, long ts) {
    double[] b = ohlcBar(pair, step, ts);
    return new double[] {
      Double.parseDouble(priceStr(b[0])),
      Double.parseDouble(priceStr(b[1])),
      Double.parseDouble(priceStr(b[2])),
      Double.parseDouble(priceStr(b[3])),
      Double.parseDouble(amountStr(b[4]))
    };
  }

  private static long longParam(HttpServerRequest req, String name, long dflt) {
    String v = req.getParam(name);
    try {
      return v == null ? dflt : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The deterministic bar {open, high, low, close, volume} of a pair at {@code ts} seconds for a
   * step (whole cents, as the endpoint writes them).
   */
  static double[] ohlcBar(String pair, long step, long ts) {
    long k = ts / step + pair.hashCode() * 31L + step;
    double open = 1000 + Math.floorMod(k * 7919L, 50_000L) / 100.0;
    double close = 1000 + Math.floorMod((k + 1) * 7919L, 50_000L) / 100.0;
    double high = Math.max(open, close) + Math.floorMod(k, 97L) / 100.0;
    double low = Math.min(open, close) - Math.floorMod(k, 89L) / 100.0;
    double volume = 1 + Math.floorMod(k, 1000L) / 8.0;
    return new double[] {open, high, low, close, volume};
  }

  // ------------------------------------------------------------------------------------------
  // market

  private static String priceStr(double p) {
    return String.format(Locale.ROOT, "%.2f", p);
  }

  private static String amountStr(double a) {
    return String.format(Locale.ROOT, "%.8f", a);
  }

  /** Publishes one new trade of {@code pair} (context only); recorded as ground truth. */
  private Trade publish(String pair) {
    long id = nextId;
    nextId += 1 + rnd.nextInt(3); // ids are global across pairs, so a pair's ids have holes
    double p = prices.getOrDefault(pair, 30_000.0) * (1 + 0.0005 * rnd.nextGaussian());
    prices.put(pair, p);
    String ps = priceStr(p);
    String as = amountStr(0.0001 + rnd.nextDouble() * 0.5);
    Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long micros = System.currentTimeMillis() * 1000 + rnd.nextInt(1000);
    JsonObject data = new JsonObject().put("id", id);
    if (id % 2 == 0) {
      data.put("id_str", String.valueOf(id));
    }
    data.put("timestamp", String.valueOf(micros / 1_000_000))
        .put("microtimestamp", String.valueOf(micros))
        .put("amount", Double.parseDouble(as))
        .put("amount_str", as)
        .put("price", Double.parseDouble(ps))
        .put("price_str", ps)
        .put("type", side == Side.BUY ? 0 : 1)
        .put("buy_order_id", id * 3)
        .put("sell_order_id", id * 3 + 1);
    String channel = "live_trades_" + pair;
    String frame =
        new JsonObject().put("event", "trade").put("channel", channel).put("data", data).encode();
    Trade t =
        new Trade(
            pair.toUpperCase(Locale.ROOT),
            id,
            micros / 1000,
            Double.parseDouble(ps),
            Double.parseDouble(as),
            side);
    truth.computeIfAbsent(pair, k -> new ArrayList<>()).add(t);
    lastFrame.put(pair, frame);
    broadcast(channel, frame);
    return t;
  }

  /** Publishes {@code perTick} trades of each pair every 10 ms until {@link #stopStream()}. */
  void stream(List<String> streamPairs, int perTick) throws Exception {
    on(
        () -> {
          if (streamTimer >= 0) {
            vertx.cancelTimer(streamTimer);
          }
          streamTimer =
              vertx.setPeriodic(
                  10,
                  id -> {
                    for (int i = 0; i < perTick; i++) {
                      for (String p : streamPairs) {
                        publish(p);
                      }
                    }
                  });
          return null;
        });
  }

  void stopStream() throws Exception {
    on(
        () -> {
          if (streamTimer >= 0) {
            vertx.cancelTimer(streamTimer);
            streamTimer = -1;
          }
          return null;
        });
  }

  /**
   * Records {@code n} trades of {@code pair} that happened in the last {@code spanMs} (evenly
   * spread, oldest first) without streaming them: history only the REST API serves. Call before
   * streaming.
   */
  void history(String pair, int n, long spanMs) throws Exception {
    on(
        () -> {
          long start = System.currentTimeMillis() - spanMs;
          List<Trade> list = truth.computeIfAbsent(pair, k -> new ArrayList<>());
          for (int i = 0; i < n; i++) {
            long id = nextId;
            nextId += 1 + rnd.nextInt(3);
            double p = prices.getOrDefault(pair, 30_000.0) * (1 + 0.0005 * rnd.nextGaussian());
            prices.put(pair, p);
            list.add(
                new Trade(
                    pair.toUpperCase(Locale.ROOT),
                    id,
                    start + spanMs * i / n,
                    Double.parseDouble(priceStr(p)),
                    Double.parseDouble(amountStr(0.0001 + rnd.nextDouble() * 0.5)),
                    rnd.nextBoolean() ? Side.BUY : Side.SELL));
          }
          return null;
        });
  }

  Trade emit(String pair) throws Exception {
    return on(() -> publish(pair));
  }

  /** Sends a raw frame to every connection (subscribed to {@code channel}, or all when null). */
  void sendRaw(String channel, String frame) throws Exception {
    on(
        () -> {
          broadcast(channel, frame);
          return null;
        });
  }

  /** Sends the last trade frame of {@code pair} again (a duplicate). */
  void repeatLast(String pair) throws Exception {
    on(
        () -> {
          broadcast("live_trades_" + pair, lastFrame.get(pair));
          return null;
        });
  }

  /**
   * Existing connections receive nothing any more (not even heartbeat replies); new ones are
   * normal.
   */
  void silenceAll() throws Exception {
    on(
        () -> {
          conns.forEach(c -> c.silenced = true);
          return null;
        });
  }

  void requestReconnectAll() throws Exception {
    on(
        () -> {
          for (Conn c : new ArrayList<>(conns)) {
            events.add("request_reconnect #" + c.id);
            send(
                c,
                new JsonObject()
                    .put("event", "bts:request_reconnect")
                    .put("channel", "")
                    .put("data", "")
                    .encode());
          }
          return null;
        });
  }

  /**
   * Whether some open, unsilenced connection is subscribed to every channel of {@code
   * subscribedPairs}.
   */
  boolean subscribed(List<String> subscribedPairs) throws Exception {
    return on(
        () ->
            conns.stream()
                .anyMatch(
                    c ->
                        !c.silenced
                            && subscribedPairs.stream()
                                .allMatch(p -> c.channels.contains("live_trades_" + p))));
  }

  int openConnections() throws Exception {
    return on(conns::size);
  }

  /** Ground truth: every trade published for {@code pair}, in id order. */
  List<Trade> truth(String pair) throws Exception {
    return on(() -> List.copyOf(truth.getOrDefault(pair, List.of())));
  }

  Map<String, Integer> truthCounts() throws Exception {
    return on(
        () -> {
          Map<String, Integer> m = new LinkedHashMap<>();
          truth.forEach((k, v) -> m.put(k, v.size()));
          return m;
        });
  }

  // ------------------------------------------------------------------------------------------
  // order books

  private MarketBook book(String pair) {
    return books.computeIfAbsent(
        pair,
        p ->
            new MarketBook(
                p.toUpperCase(Locale.ROOT),
                p.hashCode(),
                3_000_000,
                System.currentTimeMillis() * 1000));
  }

  private void orderBook(HttpServerRequest req, String pair) {
    bookRestCalls.add(pair);
    if (!pairs.contains(pair)) {
      req.response().setStatusCode(404).end("{\"status\":\"error\",\"reason\":\"unknown pair\"}");
      return;
    }
    BookSync.Levels all = book(pair).snapshot();
    req.response()
        .putHeader("content-type", "application/json")
        .end(bookData(all.timeUs(), all.bids(), all.asks()).encode());
  }

  private static JsonObject bookData(long us, List<Book.Level> bids, List<Book.Level> asks) {
    return new JsonObject()
        .put("timestamp", String.valueOf(us / 1_000_000))
        .put("microtimestamp", String.valueOf(us))
        .put("bids", levels(bids))
        .put("asks", levels(asks));
  }

  private static JsonArray levels(List<Book.Level> side) {
    JsonArray a = new JsonArray();
    for (Book.Level l : side) {
      a.add(new JsonArray().add(priceStr(l.price())).add(amountStr(l.amount())));
    }
    return a;
  }

  /**
   * One change of {@code pair}'s true book: its diff, then its best 100 levels, to the subscribed
   * connections.
   */
  private void changeBook(String pair) {
    MarketBook b = book(pair);
    MarketBook.Change c = b.next(System.currentTimeMillis() * 1000);
    String diff =
        new JsonObject()
            .put("event", "data")
            .put("channel", "diff_order_book_" + pair)
            .put("data", bookData(c.timeUs(), c.bids(), c.asks()))
            .encode();
    List<String> sent = sentDiffs.computeIfAbsent(pair, k -> new ArrayList<>());
    sent.add(diff);
    if (sent.size() > 10) {
      sent.remove(0);
    }
    if (!loseNextDiff.remove(pair)) {
      broadcast("diff_order_book_" + pair, diff);
    }
    Book top = b.top(100);
    broadcast(
        "order_book_" + pair,
        new JsonObject()
            .put("event", "data")
            .put("channel", "order_book_" + pair)
            .put("data", bookData(c.timeUs(), top.bids(), top.asks()))
            .encode());
  }

  /** Changes each pair's book {@code perTick} times every 10 ms until {@link #stopBooks()}. */
  void streamBooks(List<String> streamPairs, int perTick) throws Exception {
    on(
        () -> {
          vertx.cancelTimer(bookTimer);
          bookTimer =
              vertx.setPeriodic(
                  10,
                  id -> {
                    for (int i = 0; i < perTick; i++) {
                      streamPairs.forEach(this::changeBook);
                    }
                  });
          return null;
        });
  }

  void stopBooks() throws Exception {
    on(() -> vertx.cancelTimer(bookTimer));
  }

  /** One change of each pair's book now. */
  void changeBooks(List<String> changePairs) throws Exception {
    on(
        () -> {
          changePairs.forEach(this::changeBook);
          return null;
        });
  }

  /**
   * Sends the diff before the last one of {@code pair} again: older than what the connections
   * already have.
   */
  void resendOldDiff(String pair) throws Exception {
    on(
        () -> {
          List<String> sent = sentDiffs.get(pair);
          broadcast("diff_order_book_" + pair, sent.get(sent.size() - 2));
          return null;
        });
  }

  /**
   * The next change of {@code pair}'s book is not sent on the diff channel (its top of book is).
   */
  void loseNextDiff(String pair) throws Exception {
    on(() -> loseNextDiff.add(pair));
  }

  /** The true book of {@code pair} now (best 100 levels). */
  Book bookTruth(String pair) throws Exception {
    return on(() -> book(pair).top(100));
  }

  /**
   * The true book of {@code pair} right after its change of {@code us} (best 100 levels), or null.
   */
  Book bookAt(String pair, long us) throws Exception {
    return on(() -> book(pair).at(us));
  }

  /** Whether some open connection is subscribed to both book channels of every pair. */
  boolean bookSubscribed(List<String> subscribedPairs) throws Exception {
    return on(
        () ->
            conns.stream()
                .anyMatch(
                    c ->
                        !c.silenced
                            && subscribedPairs.stream()
                                .allMatch(
                                    p ->
                                        c.channels.contains("diff_order_book_" + p)
                                            && c.channels.contains("order_book_" + p))));
  }

  @Override
  public void close() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
