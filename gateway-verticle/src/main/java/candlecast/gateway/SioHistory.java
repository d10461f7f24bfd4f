package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;

/**
 * The history provider's requests on one Socket.IO connection: {@code get_data} → {@code
 * data_response} or {@code data_error}; {@code get_batch_data} → {@code batch_progress} before each
 * ticker (in order, one ticker at a time), then {@code batch_response}, or {@code batch_error} for
 * a malformed batch; {@code data_status} while the symbol's owner downloads. Each is one {@code
 * candlecast.history} bus request, as {@code GET /api/candles} makes. Owner context only.
 */
final class SioHistory {
  private final SioServer server;
  private final SioSession session;
  private final DeliveryOptions delivery;

  /** "SYMBOL tf" → the tickers (as spelled by the client) being fetched with downloads allowed. */
  private final Map<String, List<String>> pending = new HashMap<>();

  SioHistory(SioServer server, SioSession session) {
    this.server = server;
    this.session = session;
    this.delivery = new DeliveryOptions().setSendTimeout(server.options.historyTimeoutMs());
  }

  void getData(Object payload, SioSession.Ack ack) {
    JsonObject params = params(payload);
    if (params == null) {
      reply(
          "data_error",
          SeedBars.error(
              null,
              "get_data expects an object such as {\"ticker\":\"BTC-USD\",\"resolution\":\"DAY_01\","
                  + "\"period\":\"YEAR_01\"}"),
          ack);
      return;
    }
    Object ticker = params.getValue("ticker");
    String shown = ticker instanceof String s ? s : null;
    SeedHistoryParams.Ok ok;
    try {
      ok = SeedHistoryParams.parse(ticker, params, server.options.maxLimit(), now());
    } catch (SeedHistoryParams.Rejected e) {
      reply("data_error", withId(SeedBars.error(shown, e.getMessage()), params), ack);
      return;
    }
    fetch(ok)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                String tf = ok.request().getString("tf");
                reply(
                    "data_response",
                    withId(SeedBars.response(ok.ticker(), tf, ar.result()), params),
                    ack);
              } else {
                reply(
                    "data_error",
                    withId(SeedBars.error(shown, ar.cause().getMessage()), params),
                    ack);
              }
            });
  }

  void getBatch(Object payload, SioSession.Ack ack) {
    JsonObject params = params(payload);
    String bad = params == null ? "get_batch_data expects an object" : badBatch(params);
    if (bad == null) {
      try {
        SeedHistoryParams.parse("BTCUSD", params, server.options.maxLimit(), now());
      } catch (SeedHistoryParams.Rejected e) {
        bad = e.getMessage();
      }
    }
    if (bad != null) {
      JsonObject error = new JsonObject().put("error", bad);
      reply("batch_error", params == null ? error : withId(error, params), ack);
      return;
    }
    JsonArray tickers = params.getJsonArray("tickers");
    JsonObject results = new JsonObject();
    JsonObject errors = new JsonObject();
    next(params, tickers, 0, results, errors)
        .onComplete(
            v ->
                reply(
                    "batch_response",
                    withId(
                        new JsonObject()
                            .put("results", results)
                            .put("errors", errors)
                            .put("total", tickers.size()),
                        params),
                    ack));
  }

  /** Fetches ticker {@code i} after announcing it, then the next one. */
  private Future<Void> next(
      JsonObject params, JsonArray tickers, int i, JsonObject results, JsonObject errors) {
    if (i == tickers.size()) {
      return Future.succeededFuture();
    }
    Object ticker = tickers.getValue(i);
    String key = ticker instanceof String s ? s : String.valueOf(ticker);
    session.emit(
        "batch_progress",
        withId(
            new JsonObject()
                .put("ticker", key)
                .put("progress", (i + 1) + "/" + tickers.size())
                .put("index", i + 1)
                .put("total", tickers.size()),
            params));
    Future<JsonArray> bars;
    try {
      bars = fetch(SeedHistoryParams.parse(ticker, params, server.options.maxLimit(), now()));
    } catch (SeedHistoryParams.Rejected e) {
      bars = Future.failedFuture(e.getMessage());
    }
    return bars.transform(
        ar -> {
          if (ar.succeeded()) {
            results.put(key, SeedBars.bars(ar.result()));
          } else {
            errors.put(key, ar.cause().getMessage());
          }
          return next(params, tickers, i + 1, results, errors);
        });
  }

  private String badBatch(JsonObject params) {
    if (!(params.getValue("tickers") instanceof JsonArray tickers) || tickers.isEmpty()) {
      return "'tickers' must be a non-empty list of tickers such as [\"BTC-USD\",\"ETH-USD\"]";
    }
    int max = server.options.batchMaxSymbols();
    if (tickers.size() > max) {
      return "at most " + max + " tickers per batch, got " + tickers.size();
    }
    return null;
  }

  /** One history request: the candles (oldest first, the newest {@code limit}) or its error. */
  private Future<JsonArray> fetch(SeedHistoryParams.Ok ok) {
    JsonObject req = ok.request();
    String symbol = req.getString("symbol");
    String tf = req.getString("tf");
    boolean download = !req.getBoolean("localOnly", true);
    if (download) {
      req.put("statusAddress", server.statusAddress);
      pending.computeIfAbsent(symbol + ' ' + tf, k -> new ArrayList<>()).add(ok.ticker());
      server.awaitStatus(symbol, tf, session);
    }
    long start = System.nanoTime();
    return server
        .vertx
        .eventBus()
        .request(Addresses.HISTORY, req, HistoryDelivery.of(req, delivery))
        .transform(
            ar -> {
              server.node.metrics.recordHistory(Duration.ofNanos(System.nanoTime() - start));
              if (download) {
                done(symbol, tf, ok.ticker());
              }
              if (ar.failed()) {
                return Future.failedFuture(
                    BusErrors.toHttp(ar.cause(), "history unavailable").error());
              }
              JsonArray candles = CandlesQuery.candlesOf(ar.result().body(), ok.limit());
              return candles == null
                  ? Future.failedFuture("history returned a malformed reply")
                  : Future.succeededFuture(candles);
            });
  }

  private void done(String symbol, String tf, String ticker) {
    String key = symbol + ' ' + tf;
    List<String> tickers = pending.get(key);
    if (tickers != null) {
      tickers.remove(ticker);
      if (tickers.isEmpty()) {
        pending.remove(key);
        server.stopAwaiting(symbol, tf, session);
      }
    }
  }

  /** The owner's download status → {@code data_status} for each ticker waiting on it. */
  void status(JsonObject status) {
    String symbol = status.getString("symbol");
    String tf = status.getString("tf");
    List<String> tickers = pending.get(symbol + ' ' + tf);
    if (tickers == null) {
      return;
    }
    for (String ticker : new ArrayList<>(tickers)) {
      session.emit(
          "data_status",
          new JsonObject()
              .put("ticker", ticker)
              .put("status", String.valueOf(status.getValue("status", "downloading")))
              .put("resolution", tf)
              .put("fetched", status.getValue("fetched"))
              .put("page", status.getValue("page")));
    }
  }

  /** The connection closed: stop receiving statuses. */
  void closed() {
    for (String key : new ArrayList<>(pending.keySet())) {
      int space = key.indexOf(' ');
      server.stopAwaiting(key.substring(0, space), key.substring(space + 1), session);
    }
    pending.clear();
  }

  private void reply(String event, JsonObject payload, SioSession.Ack ack) {
    session.emit(event, payload);
    ack.send(payload);
  }

  /** The client's {@code request_id}, echoed when it sent one. */
  private static JsonObject withId(JsonObject payload, JsonObject params) {
    Object id = params.getValue("request_id");
    return id == null ? payload : payload.put("request_id", id);
  }

  /** The request object (a JSON object, or a string holding one); null otherwise. */
  static JsonObject params(Object payload) {
    try {
      if (payload instanceof JSONObject o) {
        return new JsonObject(o.toString());
      }
      if (payload instanceof String s && s.trim().startsWith("{")) {
        return new JsonObject(s);
      }
    } catch (DecodeException e) {
      return null;
    }
    return null;
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
