package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Symbols;
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
 * Stands in for the aggregator tier over the real event bus: it follows the tier contract (docs/PROTOCOL.md) -
 * publishes candles and tickers, answers {@code candlecast.history} (with {@code oldest}), {@code candlecast.symbols},
 * {@code candlecast.tickers} and health - from one context, so "store then publish" is atomic with respect to
 * history requests, as in the aggregator.
 */
final class FakeAggregator {
  final Vertx vertx;
  final Context ctx;
  final List<String> symbols;
  final Map<SeriesKey, NavigableMap<Long, Candle>> store = new HashMap<>();
  /** Candles older than this are forgotten (null: keep all). */
  volatile Long retainFrom;
  final Map<String, JsonObject> tickers = new HashMap<>();
  final AtomicInteger historyRequests = new AtomicInteger();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  FakeAggregator(Vertx vertx, String... symbols) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.symbols = List.of(symbols);
    run(() -> {
      consumers.add(vertx.eventBus().consumer(Addresses.HISTORY, this::history));
      consumers.add(vertx.eventBus().consumer(Addresses.SYMBOLS, m -> m.reply(new JsonObject().put("symbols",
          new JsonArray(new ArrayList<>(this.symbols))))));
      consumers.add(vertx.eventBus().consumer(Addresses.TICKERS, this::tickers));
      consumers.add(vertx.eventBus().consumer("candlecast.health.feed", m -> m.reply(new JsonObject()
          .put("status", "UP"))));
      consumers.add(vertx.eventBus().consumer("candlecast.health.aggregator", m -> m.reply(new JsonObject()
          .put("status", "UP"))));
      return null;
    });
    for (MessageConsumer<?> c : consumers) {
      Await.await(c.completion());
    }
  }

  /** Stores then publishes a candle (atomically, on the aggregator's context). */
  void publish(Candle c) {
    ctx.runOnContext(v -> {
      store.computeIfAbsent(new SeriesKey(c.symbol(), c.tf()), k -> new TreeMap<>()).put(c.openTime(), c);
      vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
    });
  }

  void publishTicker(JsonObject t) {
    ctx.runOnContext(v -> {
      tickers.put(t.getString("symbol"), t);
      vertx.eventBus().publish(Addresses.ticker(t.getString("symbol")), t);
    });
  }

  static JsonObject ticker(String symbol, double last, long time) {
    return new JsonObject().put("symbol", symbol).put("last", last).put("open24h", 100.0).put("change", last - 100)
        .put("changePct", (last - 100)).put("high", Math.max(100, last)).put("low", Math.min(100, last))
        .put("volume", 42.5).put("time", time);
  }

  private void history(Message<Object> m) {
    historyRequests.incrementAndGet();
    JsonObject req = (JsonObject) m.body();
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
    List<Candle> range = from > to ? List.of() : new ArrayList<>(all.subMap(from, true, to, true).values());
    if (range.size() > limit) {
      range = range.subList(range.size() - limit, range.size());
    }
    JsonObject reply = new JsonObject().put("symbol", symbol).put("tf", tf.label())
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
