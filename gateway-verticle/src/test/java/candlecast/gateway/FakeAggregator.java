package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Side;
import candlecast.common.Symbols;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the aggregator tier over the real event bus: it follows the tier contract
 * (docs/PROTOCOL.md) - publishes candles, tickers and trades, answers {@code candlecast.history}
 * (with {@code oldest}), {@code candlecast.trades}, {@code candlecast.symbols}, {@code
 * candlecast.tickers} and health - from one context, so "store then publish" is atomic with respect
 * to history requests, as in the aggregator.
 */
final class FakeAggregator {
  private static final long T0 = GatewayTestBase.T0;
  final Vertx vertx;
  final Context ctx;
  final List<String> symbols;
  final Map<SeriesKey, NavigableMap<Long, Candle>> store = new HashMap<>();

  /** Candles older than this are forgotten (null: keep all). */
  volatile Long retainFrom;

  final Map<String, JsonObject> tickers = new HashMap<>();
  final AtomicInteger historyRequests = new AtomicInteger();

  /** Every history request body, in arrival order. */
  final List<JsonObject> historyBodies = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Per symbol: every trade published, in log order (the tape). */
  final Map<String, List<TapeTrade>> tapes = new HashMap<>();

  /** Trades at or before this tape position are no longer held (-1: all are). */
  volatile long tapeFloor = -1;

  final List<JsonObject> tradeRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long nextSeq = 10;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  FakeAggregator(Vertx vertx, String... symbols) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.symbols = List.of(symbols);
    run(
        () -> {
          consumers.add(vertx.eventBus().consumer(Addresses.HISTORY, this::history));
          consumers.add(
              vertx
                  .eventBus()
                  .consumer(
                      Addresses.SYMBOLS,
                      m ->
                          m.reply(
                              new JsonObject()
                                  .put("symbols", new JsonArray(new ArrayList<>(this.symbols))))));
          consumers.add(vertx.eventBus().consumer(Addresses.TICKERS, this::tickers));
          consumers.add(vertx.eventBus().consumer(Addresses.TRADES, this::trades));
          consumers.add(
              vertx
                  .eventBus()
                  .consumer(
                      "candlecast.health.feed",
                      m -> m.reply(new JsonObject().put("status", "UP"))));
          consumers.add(
              vertx
                  .eventBus()
                  .consumer(
                      "candlecast.health.aggregator",
                      m -> m.reply(new JsonObject().put("status", "UP"))));
          return null;
        });
    for (MessageConsumer<?> c : consumers) {
      Await.await(c.completion());
    }
  }

  /** Stores then publishes a candle (atomically, on the aggregator's context). */
  void publish(Candle c) {
    ctx.runOnContext(
        v -> {
          store
              .computeIfAbsent(new SeriesKey(c.symbol(), c.tf()), k -> new TreeMap<>())
              .put(c.openTime(), c);
          vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
        });
  }

  /**
   * Appends {@code n} new trades to the symbol's tape (ids go on from the last, positions skip like
   * a shared partition's offsets) and publishes them as one update; {@code publish} false stores
   * them only (the bus lost the update). Returns them.
   */
  List<TapeTrade> trades(String symbol, int n, boolean publish) throws Exception {
    return run(() -> append(symbol, n, publish));
  }

  /** {@link #trades(String, int, boolean)} on the aggregator's context (e.g. from its timer). */
  List<TapeTrade> append(String symbol, int n, boolean publish) {
    List<TapeTrade> tape = tapes.computeIfAbsent(symbol, s -> new ArrayList<>());
    long prev = tape.isEmpty() ? -1 : tape.get(tape.size() - 1).seq();
    List<TapeTrade> added = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nextSeq += 1 + nextSeq % 3;
      long id = 1_000L + tape.size();
      TapeTrade t =
          new TapeTrade(
              nextSeq,
              id,
              T0 + id * 7,
              100 + (id % 50) * 0.25,
              0.001 * (1 + id % 9),
              id % 3 == 0 ? Side.SELL : Side.BUY);
      tape.add(t);
      added.add(t);
    }
    if (publish) {
      vertx.eventBus().publish(Addresses.trades(symbol), TapeCodec.update(symbol, prev, added));
    }
    return added;
  }

  List<TapeTrade> trades(String symbol, int n) throws Exception {
    return trades(symbol, n, true);
  }

  /** Publishes an update as given (e.g. one published again), without storing anything. */
  void publishTapeUpdate(String symbol, long prev, List<TapeTrade> trades) {
    ctx.runOnContext(
        v ->
            vertx
                .eventBus()
                .publish(Addresses.trades(symbol), TapeCodec.update(symbol, prev, trades)));
  }

  private void trades(Message<Object> m) {
    JsonObject req = (JsonObject) m.body();
    tradeRequests.add(req);
    String symbol = req.getString("symbol");
    if (!symbols.contains(symbol)) {
      m.fail(404, "unknown symbol " + symbol);
      return;
    }
    List<TapeTrade> held = new ArrayList<>();
    for (TapeTrade t : tapes.getOrDefault(symbol, List.of())) {
      if (t.seq() > tapeFloor) {
        held.add(t);
      }
    }
    int limit = req.getInteger("limit", 100);
    long lastSeq = held.isEmpty() ? tapeFloor : held.get(held.size() - 1).seq();
    List<TapeTrade> out;
    boolean more = false;
    Integer start = null;
    if (req.getValue("since") != null) {
      for (int i = held.size() - 1; i >= 0 && start == null; i--) {
        if (held.get(i).id() == req.getLong("since")) {
          start = i + 1;
        }
      }
    } else if (req.getValue("afterSeq") != null) {
      long after = req.getLong("afterSeq");
      if (after >= tapeFloor) {
        start = (int) held.stream().filter(t -> t.seq() <= after).count();
      }
    }
    if (req.getValue("since") != null || req.getValue("afterSeq") != null) {
      if (start == null) {
        m.fail(410, "no longer held");
        return;
      }
      out = held.subList(start, Math.min(held.size(), start + limit));
      more = start + limit < held.size();
    } else {
      long from = req.getLong("from", Long.MIN_VALUE);
      List<TapeTrade> inRange = held.stream().filter(t -> t.time() >= from).toList();
      out = inRange.subList(Math.max(0, inRange.size() - limit), inRange.size());
    }
    m.reply(
        new JsonObject()
            .put("symbol", symbol)
            .put("lastSeq", lastSeq)
            .put("more", more)
            .put("trades", TapeCodec.toJsonArray(out)));
  }

  void publishTicker(JsonObject t) {
    ctx.runOnContext(
        v -> {
          tickers.put(t.getString("symbol"), t);
          vertx.eventBus().publish(Addresses.ticker(t.getString("symbol")), t);
        });
  }

  static JsonObject ticker(String symbol, double last, long time) {
    return new JsonObject()
        .put("symbol", symbol)
        .put("last", last)
        .put("open24h", 100.0)
        .put("change", last - 100)
        .put("changePct", (last - 100))
        .put("high", Math.max(100, last))
        .put("low", Math.min(100, last))
        .put("volume", 42.5)
        .put("time", time);
  }

  private void history(Message<Object> m) {
    historyRequests.incrementAndGet();
    JsonObject req = (JsonObject) m.body();
    historyBodies.add(req.copy());
    String symbol = req.getString("symbol");
    Timeframe tf = Timeframe.tryParse(req.getString("tf"));
    if (!Symbols.isValid(symbol) || tf == null) {
      m.fail(400, "bad request");
      return;
    }
    if (!symbols.contains(symbol)) {
      m.fail(404, "unknown symbol " + symbol);
      return;
    }
    NavigableMap<Long, Candle> all = store.getOrDefault(new SeriesKey(symbol, tf), new TreeMap<>());
    Long keep = retainFrom;
    if (keep != null) {
      all = new TreeMap<>(all.tailMap(keep, true));
    }
    long from = req.getLong("from", Long.MIN_VALUE);
    long to = req.getLong("to", Long.MAX_VALUE);
    int limit = req.getInteger("limit", 500);
    List<Candle> range =
        from > to ? List.of() : new ArrayList<>(all.subMap(from, true, to, true).values());
    if (range.size() > limit) {
      range = range.subList(range.size() - limit, range.size());
    }
    JsonObject reply =
        new JsonObject()
            .put("symbol", symbol)
            .put("tf", tf.label())
            .put("candles", CandleCodec.toJsonArray(range));
    reply.put("oldest", all.isEmpty() ? null : all.firstKey());
    m.reply(reply);
  }

  private void tickers(Message<Object> m) {
    JsonObject req = (JsonObject) m.body();
    String symbol = req.getString("symbol");
    if (symbol == null) {
      m.reply(new JsonObject().put("tickers", new JsonArray(new ArrayList<>(tickers.values()))));
    } else if (!symbols.contains(symbol)) {
      m.fail(404, "unknown symbol " + symbol);
    } else {
      JsonArray arr = new JsonArray();
      if (tickers.containsKey(symbol)) {
        arr.add(tickers.get(symbol));
      }
      m.reply(new JsonObject().put("tickers", arr));
    }
  }

  /** Runs on the aggregator's context and waits. */
  <T> T run(java.util.concurrent.Callable<T> action) throws Exception {
    return Await.onContext(ctx, action);
  }

  /** Waits until everything published so far has been handled on the aggregator's context. */
  void sync() throws Exception {
    run(() -> null);
  }

  Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (MessageConsumer<?> c : consumers) {
      all.add(c.unregister());
    }
    return Future.join(all).mapEmpty();
  }
}
