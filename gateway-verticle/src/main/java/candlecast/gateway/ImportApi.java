package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /api/import?symbol=AAPL&tf=1d} with a CSV of OHLC(V) bars as the body (operator-only,
 * {@link OperatorGuard}): the symbol's owner validates it all (400 naming the line; nothing
 * stored), stores the bars with {@code src} import and builds the coarser timeframes from them. 200
 * {symbol, tf, bars, stored:{tf:n,...}, skipped}.
 */
final class ImportApi {
  /** Largest CSV accepted (about 200,000 daily rows of a typical export). */
  static final long MAX_BODY_BYTES = 16L << 20;

  static final long TIMEOUT_MS = 120_000;

  private final EventBus bus;

  ImportApi(EventBus bus) {
    this.bus = bus;
  }

  void mount(Router router) {
    router
        .post("/api/import")
        // Vert.x Web wants the body handler first; it reads at most MAX_BODY_BYTES (413 beyond)
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
        .handler(OperatorGuard::check)
        .handler(this::importCsv);
  }

  private void importCsv(RoutingContext rc) {
    String sym = rc.request().getParam("symbol");
    String symbol = sym == null ? null : Symbols.normalize(sym);
    String tf = rc.request().getParam("tf");
    if (symbol == null) {
      RestApi.error(rc, 400, "symbol must be 2-20 letters or digits, was " + sym);
      return;
    }
    if (Timeframe.tryParse(tf) == null) {
      RestApi.error(
          rc, 400, "unknown timeframe " + tf + " (expected one of " + Timeframe.labels() + ")");
      return;
    }
    if (rc.body() == null || rc.body().length() == 0) {
      RestApi.error(rc, 400, "the body must be the CSV (Date,Open,High,Low,Close[,Volume])");
      return;
    }
    JsonObject req =
        new JsonObject().put("symbol", symbol).put("tf", tf).put("csv", rc.body().asString());
    bus.<JsonObject>request(Addresses.IMPORT, req, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(Message::body)
        .onSuccess(r -> RestApi.send(rc, 200, r.toBuffer()))
        .onFailure(
            e -> {
              BusErrors.HttpError h = BusErrors.toHttp(e, "import unavailable");
              RestApi.error(rc, h.status(), h.error());
            });
  }
}
