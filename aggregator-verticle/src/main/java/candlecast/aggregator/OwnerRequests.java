package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertService;
import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Symbols;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The aggregator's event-bus responders: history, trades, book, symbol, ticker and health requests.
 * A request for a symbol is answered here when this instance owns it, otherwise forwarded to the
 * owner's per-symbol address ({@link #onOwnerRequest} answers those).
 */
final class OwnerRequests {
  /** How long a forwarded history request that may download waits for the owner. */
  static final long DOWNLOAD_TIMEOUT_MS = 600_000;

  private final EventBus bus;
  private final int snapshotSize;
  private final HistoryStore history;
  private final TradeTape tape;
  private final BookService books;
  private final TickerBoard tickers;
  private final SymbolOwnership ownership;

  /** Deep history from the exchange (issue 15); null: local only. */
  private DeepHistory deep;

  /** CSV bar imports (issue 15) and the partition of a symbol, for symbols nobody owns yet. */
  private ImportService importer;

  private Function<String, Future<Integer>> partitionOf;

  /** Analysis series (issue 16); null: not served. */
  private AnalysisService analysis;

  /** Alerts (issue 17): the owner's side of creates and deletes; null: not served. */
  private AlertService alerts;

  OwnerRequests(
      EventBus bus,
      int snapshotSize,
      HistoryStore history,
      TradeTape tape,
      BookService books,
      TickerBoard tickers,
      SymbolOwnership ownership) {
    this.bus = bus;
    this.snapshotSize = snapshotSize;
    this.history = history;
    this.tape = tape;
    this.books = books;
    this.tickers = tickers;
    this.ownership = ownership;
  }

  /** Lets history requests with {@code localOnly:false} download what is missing. */
  void deepHistory(DeepHistory deep) {
    this.deep = deep;
  }

  /** Lets import requests store bars; {@code partitionOf} gives a symbol's trades partition. */
  void imports(ImportService importer, Function<String, Future<Integer>> partitionOf) {
    this.importer = importer;
    this.partitionOf = partitionOf;
  }

  /** Lets analysis requests ({@code candlecast.analysis}) be answered. */
  void analysis(AnalysisService analysis) {
    this.analysis = analysis;
  }

  /** Lets alert creates and deletes for owned symbols ({@code alerts.*} ops) be answered. */
  void alerts(AlertService alerts) {
    this.alerts = alerts;
  }

  /** Registers the shared responders; {@code health} answers the aggregator's health address. */
  List<MessageConsumer<?>> register(Supplier<JsonObject> health) {
    List<MessageConsumer<?>> responders = new ArrayList<>();
    responders.add(bus.<Object>consumer(Addresses.HISTORY, m -> route(m, "history")));
    responders.add(bus.<Object>consumer(Addresses.TRADES, m -> route(m, "trades")));
    responders.add(bus.<Object>consumer(Addresses.SYMBOLS, this::onSymbols));
    responders.add(bus.<Object>consumer(Addresses.TICKERS, this::onTickers));
    responders.add(bus.<Object>consumer(Addresses.BOOK, m -> route(m, "book")));
    responders.add(bus.<Object>consumer(Addresses.IMPORT, m -> route(m, "import")));
    responders.add(bus.<Object>consumer(Addresses.ANALYSIS, this::onAnalysis));
    responders.add(
        bus.<Object>consumer(Addresses.health("aggregator"), m -> m.reply(health.get())));
    return responders;
  }

  private void onSymbols(Message<Object> m) {
    ownership
        .allSymbols()
        .onSuccess(
            all -> m.reply(new JsonObject().put("symbols", new JsonArray(new ArrayList<>(all)))))
        .onFailure(e -> m.fail(503, "symbol directory unavailable: " + e.getMessage()));
  }

  /**
   * A request any instance may receive: answered here for an owned symbol, otherwise forwarded to
   * the owner's per-symbol address. No owner: 404 for a symbol nobody has seen, 503 while a known
   * symbol is being taken over.
   */
  private void route(Message<Object> m, String op) {
    JsonObject body = m.body() instanceof JsonObject j ? j.copy() : null;
    if (body == null) {
      m.fail(400, "request body must be a JSON object");
      return;
    }
    forward(body, op).onSuccess(m::reply).onFailure(e -> failWith(m, e));
  }

  /** {"op":"open"|"query",…} on candlecast.analysis: routed as analysis.open / analysis.query. */
  private void onAnalysis(Message<Object> m) {
    Object op = m.body() instanceof JsonObject j ? j.getValue("op") : null;
    if (m.body() instanceof JsonObject && !"open".equals(op) && !"query".equals(op)) {
      m.fail(400, "op must be open or query, was " + op);
      return;
    }
    route(m, "analysis." + op);
  }

  private Future<JsonObject> forward(JsonObject body, String op) {
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String str ? Symbols.normalize(str) : null;
    if (symbol == null) {
      return fail(400, "symbol must be 2-20 letters or digits, was " + sym);
    }
    body.put("symbol", symbol).put("op", op);
    if (ownership.owns(symbol)) {
      return answer(body);
    }
    return bus.<JsonObject>request(Addresses.owner(symbol), body, forwardOptions(body))
        .map(Message::body)
        .recover(
            e -> {
              if (e instanceof ReplyException re
                  && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                return Future.failedFuture(e);
              }
              return op.equals("import") ? toPartitionOwner(symbol, body) : noOwner(symbol);
            });
  }

  /** An import for a symbol nobody owns yet goes to the holder of its trades partition. */
  private Future<JsonObject> toPartitionOwner(String symbol, JsonObject body) {
    if (partitionOf == null) {
      return fail(501, "imports are not served here");
    }
    return partitionOf
        .apply(symbol)
        .compose(p -> bus.<JsonObject>request(Addresses.ownerPartition(p), body))
        .map(Message::body)
        .recover(
            e ->
                e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
                    ? Future.failedFuture(e)
                    : fail(
                        503, "no aggregator holds the partition of " + symbol + "; retry shortly"));
  }

  /** A history request that may download waits as long as a download may take. */
  private static DeliveryOptions forwardOptions(JsonObject body) {
    DeliveryOptions o = new DeliveryOptions();
    if (Boolean.FALSE.equals(body.getValue("localOnly"))) {
      o.setSendTimeout(DOWNLOAD_TIMEOUT_MS);
    }
    return o;
  }

  /**
   * The failure for a symbol whose owner did not answer: 404 only when the directory says the
   * symbol does not exist; 503 while it is known (its owner is being replaced or has not folded it
   * yet) or the directory cannot be read (issue 19).
   */
  private Future<JsonObject> noOwner(String symbol) {
    return ownership
        .known(symbol)
        .transform(
            k ->
                k.succeeded() && !k.result()
                    ? fail(404, "unknown symbol " + symbol)
                    : fail(
                        503,
                        "symbol "
                            + symbol
                            + " is being taken over by another aggregator; retry shortly"));
  }

  private static <T> Future<T> fail(int code, String message) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
  }

  private static void failWith(Message<?> m, Throwable e) {
    if (e instanceof ReplyException re) {
      m.fail(re.failureCode(), re.getMessage());
    } else {
      m.fail(500, String.valueOf(e.getMessage()));
    }
  }

  /** Answers a request sent to the per-symbol owner address of a symbol this instance owns. */
  void onOwnerRequest(Message<Object> m) {
    JsonObject body = m.body() instanceof JsonObject j ? j : new JsonObject();
    answer(body).onSuccess(m::reply).onFailure(e -> failWith(m, e));
  }

  /**
   * Answers a request for an owned symbol: {"op":"history",...}, {"op":"trades",...},
   * {"op":"book",...} or {"op":"ticker","symbol"}.
   */
  private Future<JsonObject> answer(JsonObject body) {
    String op = body.getString("op", "history");
    if (op.equals("trades")) {
      return tape.answer(body);
    }
    if (op.startsWith("alerts.")) {
      return alerts == null ? fail(501, "alerts are not served here") : alerts.answerOwner(body);
    }
    if (op.startsWith("analysis.")) {
      return analysis == null
          ? fail(501, "analysis is not served here")
          : analysis.answer(op, body);
    }
    if (op.equals("book")) {
      return books.answer(body);
    }
    if (op.equals("import")) {
      if (importer == null) {
        return fail(501, "imports are not served here");
      }
      // owned once bars are stored: a rejected import must not make its symbol exist (a 404 stays)
      String symbol = body.getString("symbol");
      return importer.answer(body).onSuccess(r -> ownership.own(symbol));
    }
    if (op.equals("ticker")) {
      Ticker t = tickers.ticker(body.getString("symbol"));
      return t == null
          ? fail(503, "no ticker yet for " + body.getString("symbol") + "; retry shortly")
          : Future.succeededFuture(t.toJson());
    }
    return answerHistory(body);
  }

  private Future<JsonObject> answerHistory(JsonObject body) {
    HistoryQuery q;
    DeepHistory.Options o;
    try {
      q = HistoryQuery.parse(body, snapshotSize);
      o = DeepHistory.Options.parse(body);
    } catch (IllegalArgumentException e) {
      return fail(400, e.getMessage());
    }
    if (history.series(q.symbol(), q.tf()) == null && !ownership.owns(q.symbol())) {
      return fail(404, "unknown symbol " + q.symbol());
    }
    Future<DeepHistory.Outcome> fill =
        deep == null ? Future.succeededFuture(DeepHistory.Outcome.NONE) : deep.fill(q, o);
    return fill.map(out -> out.addTo(historyReply(q)));
  }

  private JsonObject historyReply(HistoryQuery q) {
    SeriesHistory s = history.series(q.symbol(), q.tf());
    List<Candle> candles = s == null ? List.of() : s.query(q.from(), q.to(), q.limit());
    return new JsonObject()
        .put("symbol", q.symbol())
        .put("tf", q.tf().label())
        .put("oldest", s == null || s.count() == 0 ? null : s.oldestOpenTime())
        .put("candles", CandleCodec.toJsonArray(candles));
  }

  private void onTickers(Message<Object> m) {
    JsonObject body = m.body() instanceof JsonObject j ? j : new JsonObject();
    if (body.getValue("symbol") != null) {
      forward(body.copy(), "ticker")
          .onSuccess(t -> m.reply(new JsonObject().put("tickers", new JsonArray().add(t))))
          .onFailure(e -> failWith(m, e));
      return;
    }
    ownership
        .allSymbols()
        .compose(this::tickersOf)
        .onSuccess(arr -> m.reply(new JsonObject().put("tickers", arr)))
        .onFailure(e -> m.fail(503, "tickers unavailable: " + e.getMessage()));
  }

  /** The tickers of the symbols, each from its owner; a symbol without one is left out. */
  private Future<JsonArray> tickersOf(Set<String> all) {
    List<Future<JsonObject>> each = new ArrayList<>();
    for (String s : all) {
      JsonObject req = new JsonObject().put("op", "ticker").put("symbol", s);
      Future<JsonObject> f =
          ownership.owns(s)
              ? answer(req)
              : bus.<JsonObject>request(Addresses.owner(s), req).map(Message::body);
      each.add(f.recover(e -> Future.succeededFuture(null)));
    }
    return Future.all(each)
        .map(
            cf -> {
              JsonArray out = new JsonArray();
              for (Future<JsonObject> f : each) {
                if (f.result() != null) {
                  out.add(f.result());
                }
              }
              return out;
            });
  }
}
