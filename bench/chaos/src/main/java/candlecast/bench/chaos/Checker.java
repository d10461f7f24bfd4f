package candlecast.bench.chaos;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The checker over the whole history: the {@code trades} log is exactly a prefix of the ground
 * truth per symbol; every closed candle in {@code candles} and every closed candle any client saw
 * equals the oracle fold of that prefix; no closed candle ever has two values; every client stream
 * is gap-free and duplicate-free (each explained break counted with its reason). Violations carry
 * their evidence.
 */
final class Checker {
  final List<String> violations = new ArrayList<>();
  final Map<String, Long> counts = new LinkedHashMap<>();
  final List<String> explained = new ArrayList<>();

  /** Per symbol: record timestamp (the feed's send time) of each trade id in the log. */
  final Map<String, Map<Long, Long>> tradeTimestamps = new HashMap<>();

  private final GroundTruth gt;
  private final Map<String, Map<String, OracleFold>> folds = new HashMap<>();

  Checker(GroundTruth gt) {
    this.gt = gt;
  }

  private void violation(String kind, String evidence) {
    counts.merge("violations." + kind, 1L, Long::sum);
    if (violations.size() < 500) {
      violations.add(kind + ": " + evidence);
    }
  }

  private void count(String what, long n) {
    counts.merge(what, n, Long::sum);
  }

  /** The trades log: per symbol the ground truth's first trades, in order, each once. */
  void checkTradesLog(String bootstrap) {
    Map<String, List<JsonObject>> bySymbol = new HashMap<>();
    LogReader.readAll(
        bootstrap,
        "trades",
        r -> {
          JsonObject j = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          if (j.containsKey("id")) {
            bySymbol.computeIfAbsent(j.getString("symbol"), s -> new ArrayList<>()).add(j);
            tradeTimestamps
                .computeIfAbsent(j.getString("symbol"), s -> new HashMap<>())
                .put(j.getLong("id"), r.timestamp());
          }
        });
    for (String sym : symbols()) {
      List<JsonObject> log = bySymbol.getOrDefault(sym, List.of());
      List<GroundTruth.Trade> truth = gt.of(sym);
      count("trades.log", log.size());
      int n = Math.min(log.size(), truth.size());
      for (int i = 0; i < n; i++) {
        JsonObject j = log.get(i);
        GroundTruth.Trade t = truth.get(i);
        if (j.getLong("id") != t.id()
            || j.getLong("time") != t.time()
            || j.getDouble("price") != t.price()
            || j.getDouble("amount") != t.amount()) {
          violation(
              "trades-log",
              sym + " log position " + i + " holds " + j.encode() + ", ground truth " + t);
          break;
        }
      }
      if (log.size() > truth.size()) {
        violation(
            "trades-log", sym + " log holds " + log.size() + " trades, the file " + truth.size());
      }
      Map<String, OracleFold> f = new HashMap<>();
      List<GroundTruth.Trade> prefix = gt.prefix(sym, log.size());
      OracleFold.TIMEFRAMES.forEach((tf, ms) -> f.put(tf, new OracleFold(prefix, ms)));
      folds.put(sym, f);
    }
  }

  private List<String> symbols() {
    return gt.trades().stream().map(GroundTruth.Trade::symbol).distinct().sorted().toList();
  }

  /** The candles topic: one value per closed candle, equal to the oracle. */
  void checkCandlesLog(String bootstrap) {
    Map<String, String> closedValue = new HashMap<>();
    LogReader.readAll(
        bootstrap,
        "candles",
        r -> {
          if (r.key() == null || r.key().contains("|gap|") || r.value() == null) {
            return;
          }
          JsonObject c = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          if (!c.getBoolean("x", false)) {
            return;
          }
          count("candles.closed-records", 1);
          OracleFold.Bar b = bar(c);
          String prev = closedValue.putIfAbsent(r.key(), b.show());
          if (prev != null && !prev.equals(b.show())) {
            violation("candles-two-values", r.key() + ": " + prev + " then " + b.show());
          }
          compare("candles-topic", c.getString("symbol"), c.getString("tf"), b, r.key());
        });
    count("candles.closed-keys", closedValue.size());
  }

  private static OracleFold.Bar bar(JsonObject c) {
    return new OracleFold.Bar(
        c.getLong("t"),
        c.getDouble("o"),
        c.getDouble("h"),
        c.getDouble("l"),
        c.getDouble("c"),
        c.getDouble("v"),
        c.getLong("n"));
  }

  private void compare(String where, String sym, String tf, OracleFold.Bar got, String evidence) {
    OracleFold fold = folds.getOrDefault(sym, Map.of()).get(tf);
    if (fold == null) {
      return; // 1w, 1M: calendar windows, not folded here
    }
    count("checked." + where, 1);
    OracleFold.Bar want = fold.expected(got.t());
    if (!Objects.equals(want, got)) {
      violation(
          where + "-value",
          evidence + ": got " + got.show() + ", oracle " + (want == null ? "none" : want.show()));
    }
  }

  /** Every client's closed candles, trades, gaps and duplicates. */
  void checkFleet(Fleet fleet) {
    for (WsClient c : fleet.ws) {
      for (SeriesLog s : c.series.values()) {
        checkSeries("client", s, true);
      }
      for (TradeLog t : c.tapes.values()) {
        count("client.trades-received", t.received);
        t.duplicates.forEach(d -> violation("client-trade-duplicate", d));
        t.holes.forEach(h -> violation("client-trade-gap", h));
        explained.addAll(t.explainedHoles);
      }
    }
    for (SockJsClient c : fleet.sockJs) {
      for (SeriesLog s : c.series.values()) {
        checkSeries("bridge", s, false);
      }
    }
    fleet.record.badTrades().forEach(b -> violation("client-trade-value", b));
    Long unknown = fleet.record.errorCounts().get("unknown_symbol");
    if (unknown != null) {
      violation(
          "unknown-symbol",
          unknown + " times, e.g. " + fleet.record.errorSamples().get("unknown_symbol"));
    }
  }

  private void checkSeries(String where, SeriesLog s, boolean resumable) {
    s.bars()
        .values()
        .forEach(b -> compare(where, s.symbol, s.tf, b, s.client + " " + s.symbol + " " + s.tf));
    s.duplicates.forEach(d -> violation(where + "-duplicate", d));
    s.twoValues.forEach(d -> violation(where + "-two-values", d));
    if (resumable) {
      s.holes.forEach(h -> violation(where + "-gap", h));
    } else {
      count("bridge.holes-without-resume", s.holes.size());
    }
    explained.addAll(s.explainedHoles);
  }
}
