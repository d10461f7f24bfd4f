package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the aggregator tier's analysis side ({@code candlecast.analysis}, docs/PROTOCOL.md)
 * over the real event bus, on the {@link FakeAggregator}'s context and over its stored candles: it
 * answers {@code open} (activating the series) and {@code query}, and {@link #candle} stores a
 * candle, publishes it and publishes an update of every active series of its symbol and timeframe.
 * It computes SMA ({@code value}), the risk metrics and the N-bar high breakout with plain loops
 * ({@link #points}): the tests' oracle for what the gateway forwards.
 */
final class FakeAnalysisOwner {
  private final FakeAggregator agg;
  private final MessageConsumer<Object> consumer;

  /** Every request body, in arrival order. */
  final List<JsonObject> requests = new CopyOnWriteArrayList<>();

  /** Active series: address → spec (cleared to simulate a new owner after a failover). */
  final Map<String, AnalysisSpec> active = new ConcurrentHashMap<>();

  /** When set, every request fails with this code (e.g. 503 while an owner takes over). */
  volatile Integer failWith;

  /** Most active series (429 beyond). */
  volatile int maxSeries = 5_000;

  /** Candles stored and published after an open request arrives and before its reply. */
  final List<Candle> beforeReply = new CopyOnWriteArrayList<>();

  FakeAnalysisOwner(FakeAggregator agg) throws Exception {
    this.agg = agg;
    this.consumer = agg.run(() -> agg.vertx.eventBus().consumer(Addresses.ANALYSIS, this::handle));
    Await.await(consumer.completion());
  }

  /** Opens (limit > 0) received for a key. */
  long opens(String key) {
    return requests.stream()
        .filter(r -> "open".equals(r.getString("op")) && r.getInteger("limit", 500) > 0)
        .filter(r -> key.equals(spec(r).key()))
        .count();
  }

  /** Renewals (open with limit 0) received for a key. */
  long renewals(String key) {
    return requests.stream()
        .filter(r -> "open".equals(r.getString("op")) && r.getInteger("limit", 500) == 0)
        .filter(r -> key.equals(spec(r).key()))
        .count();
  }

  /** Stores and publishes a candle, then publishes an update of each active series of it. */
  void candle(Candle c) {
    batch(List.of(c));
  }

  /**
   * A fold batch, as the owner does it: stores and publishes each candle, then publishes one
   * message per active series with news: its closed points in window order and then the newest
   * provisional point (unless a later close superseded it), or all its detections.
   */
  void batch(List<Candle> candles) {
    agg.ctx.runOnContext(v -> storeAndPublish(candles));
  }

  private void storeAndPublish(Candle c) {
    storeAndPublish(List.of(c));
  }

  private void storeAndPublish(List<Candle> candles) {
    Map<String, List<JsonObject>> news = new LinkedHashMap<>();
    for (Candle c : candles) {
      agg.store
          .computeIfAbsent(new SeriesKey(c.symbol(), c.tf()), k -> new TreeMap<>())
          .put(c.openTime(), c);
      agg.vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
      for (Map.Entry<String, AnalysisSpec> e : active.entrySet()) {
        if (e.getKey().equals(Addresses.analysis(c.symbol(), c.tf(), e.getValue().key()))) {
          JsonObject u = update(c, e.getValue());
          if (u != null) {
            news.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(u);
          }
        }
      }
    }
    news.forEach((address, updates) -> agg.vertx.eventBus().publish(address, merged(updates)));
  }

  /** The one-candle messages of a series merged into the batch's message. */
  private static JsonObject merged(List<JsonObject> updates) {
    JsonObject head = updates.get(0).copy();
    String list = head.containsKey("patterns") ? "patterns" : "points";
    JsonArray all = new JsonArray();
    JsonObject provisional = null;
    for (JsonObject u : updates) {
      for (Object o : u.getJsonArray(list)) {
        JsonObject p = (JsonObject) o;
        if (list.equals("patterns") || p.getBoolean("closed")) {
          all.add(p);
          if (provisional != null && provisional.getLong("t") <= p.getLong("t")) {
            provisional = null;
          }
        } else {
          provisional = p;
        }
      }
    }
    if (provisional != null) {
      all.add(provisional);
    }
    return head.put(list, all);
  }

  private JsonObject update(Candle c, AnalysisSpec spec) {
    List<JsonObject> all = points(candles(c.symbol(), c.tf()), spec);
    JsonObject head =
        new JsonObject().put("symbol", c.symbol()).put("tf", c.tf().label()).put("key", spec.key());
    if (spec.kind() == AnalysisSpec.Kind.PATTERNS) {
      JsonArray found = new JsonArray();
      for (JsonObject p : all) {
        if (p.getLong("t") == c.openTime()) {
          found.add(p);
        }
      }
      return found.isEmpty() ? null : head.put("patterns", found);
    }
    JsonObject last = all.isEmpty() ? null : all.get(all.size() - 1);
    return last == null || last.getLong("t") != c.openTime()
        ? null
        : head.put("points", new JsonArray().add(last));
  }

  List<Candle> candles(String symbol, Timeframe tf) {
    NavigableMap<Long, Candle> m =
        agg.store.getOrDefault(new SeriesKey(symbol, tf), new TreeMap<>());
    return new ArrayList<>(m.values());
  }

  /** The oracle: every point of a series over {@code candles} (oldest first). */
  static List<JsonObject> points(List<Candle> candles, AnalysisSpec spec) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < candles.size(); i++) {
      Candle c = candles.get(i);
      JsonObject p = new JsonObject().put("t", c.openTime()).put("closed", c.closed());
      switch (spec.kind()) {
        case SMA -> {
          int n = spec.intParam("period");
          if (i >= n - 1) {
            double sum = 0;
            for (int j = i - n + 1; j <= i; j++) {
              sum += candles.get(j).close();
            }
            out.add(p.put("value", sum / n));
          }
        }
        case RISK -> {
          int n = spec.intParam("window");
          if (i >= n - 1) {
            out.add(risk(candles.subList(i - n + 1, i + 1), p));
          }
        }
        case PATTERNS -> {
          int n = spec.intParam("lookback");
          if (c.closed() && i >= n) {
            double level = Double.NEGATIVE_INFINITY;
            for (int j = i - n; j < i; j++) {
              level = Math.max(level, candles.get(j).high());
            }
            if (c.close() > level) {
              out.add(
                  new JsonObject()
                      .put("t", c.openTime())
                      .put("closed", true)
                      .put("pattern", "breakout_high")
                      .put("direction", "bullish")
                      .put("inputs", new JsonObject().put("close", c.close()).put("level", level)));
            }
          }
        }
        default -> throw new IllegalArgumentException("the fake owner does not compute " + spec);
      }
    }
    return out;
  }

  private static JsonObject risk(List<Candle> w, JsonObject p) {
    double first = w.get(0).close();
    double peak = first;
    double dd = 0;
    double sum = 0;
    double sumSq = 0;
    for (int k = 1; k < w.size(); k++) {
      double ck = w.get(k).close();
      peak = Math.max(peak, ck);
      dd = Math.max(dd, (peak - ck) / peak);
      double r = Math.log(ck / w.get(k - 1).close());
      sum += r;
      sumSq += r * r;
    }
    int m = w.size() - 1;
    double var = m > 1 ? (sumSq - sum * sum / m) / (m - 1) : 0;
    Timeframe tf = w.get(0).tf();
    double perYear = 365.25 * 86_400_000d / tf.millis();
    return p.put("volatility", Math.sqrt(Math.max(0, var) * perYear))
        .put("max_drawdown", dd)
        .put("return", w.get(w.size() - 1).close() / first - 1);
  }

  private static AnalysisSpec spec(JsonObject req) {
    JsonObject params = req.getJsonObject("params", new JsonObject());
    return AnalysisSpec.parse(req.getString("name"), params.getMap());
  }

  private void handle(Message<Object> m) {
    JsonObject req = (JsonObject) m.body();
    requests.add(req.copy());
    Integer fail = failWith;
    if (fail != null) {
      m.fail(fail, "owner unavailable (" + fail + ")");
      return;
    }
    String symbol = req.getString("symbol");
    Timeframe tf = Timeframe.tryParse(req.getString("tf"));
    AnalysisSpec spec;
    try {
      spec = spec(req);
    } catch (IllegalArgumentException e) {
      m.fail(400, e.getMessage());
      return;
    }
    if (tf == null) {
      m.fail(400, "bad timeframe");
      return;
    }
    if (!agg.symbols.contains(symbol)) {
      m.fail(404, "unknown symbol " + symbol);
      return;
    }
    int limit = req.getInteger("limit", 500);
    String address = Addresses.analysis(symbol, tf, spec.key());
    if ("open".equals(req.getString("op"))) {
      if (!active.containsKey(address) && active.size() >= maxSeries) {
        m.fail(429, "too many analysis series on this node (max " + maxSeries + ")");
        return;
      }
      active.put(address, spec);
      for (Candle c : beforeReply) {
        storeAndPublish(c);
      }
      beforeReply.clear();
    }
    List<JsonObject> all = points(candles(symbol, tf), spec);
    long from = req.getLong("from", Long.MIN_VALUE);
    long to = req.getLong("to", Long.MAX_VALUE);
    List<JsonObject> in =
        all.stream().filter(p -> p.getLong("t") >= from && p.getLong("t") <= to).toList();
    List<JsonObject> newest = in.subList(Math.max(0, in.size() - limit), in.size());
    m.reply(
        new JsonObject()
            .put("symbol", symbol)
            .put("tf", tf.label())
            .put("name", spec.kind().wire())
            .put("key", spec.key())
            .put("params", AnalysisHub.paramsJson(spec))
            .put("fields", new JsonArray(spec.fields()))
            .put("points", new JsonArray(new ArrayList<>(newest))));
  }

  Future<Void> close() {
    return consumer.unregister();
  }
}
