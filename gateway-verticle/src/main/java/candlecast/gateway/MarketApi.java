package candlecast.gateway;

import static candlecast.gateway.RestApi.error;
import static candlecast.gateway.RestApi.send;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.Symbols;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The market resources besides candles: {@code /api/trades}, {@code /api/symbols}, {@code
 * /api/ticker} and {@code /api/book}.
 */
final class MarketApi {
  private final EventBus bus;
  private final GatewayOptions options;
  private final GatewayNode node;
  private final DeliveryOptions historyOptions;

  MarketApi(
      EventBus bus, GatewayOptions options, GatewayNode node, DeliveryOptions historyOptions) {
    this.bus = bus;
    this.options = options;
    this.node = node;
    this.historyOptions = historyOptions;
  }

  void mount(Router router) {
    router.get("/api/symbols").handler(this::symbols);
    router.get("/api/trades").handler(this::trades);
    router.get("/api/ticker").handler(this::ticker);
    router.get("/api/book").handler(this::book);
  }

  /**
   * GET /api/trades?symbol=&limit=&from=|since= → 200 [{"id","t","p","q","side"}, ...] oldest
   * first: the newest {@code limit} trades (at or after {@code from}), or the first {@code limit}
   * after trade id {@code since}; 410 when the trades after {@code since} are no longer held.
   */
  void trades(RoutingContext rc) {
    GatewayOptions.Trades o = options.trades();
    TradesQuery.Result r =
        TradesQuery.parse(rc.request()::getParam, o.snapshotSize(), o.maxLimit());
    if (r instanceof TradesQuery.Bad bad) {
      error(rc, 400, bad.error());
      return;
    }
    long start = System.nanoTime();
    bus.request(Addresses.TRADES, ((TradesQuery.Ok) r).request(), historyOptions)
        .onComplete(
            ar -> {
              node.metrics.recordHistory(Duration.ofNanos(System.nanoTime() - start));
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "trades unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              io.vertx.core.buffer.Buffer body;
              try {
                body = TradesQuery.answer(ar.result().body());
              } catch (candlecast.common.DecodeException e) {
                error(rc, 502, "trades returned a malformed reply");
                return;
              }
              send(rc, 200, body);
            });
  }

  /** GET /api/symbols → {"symbols":[...]}. */
  void symbols(RoutingContext rc) {
    bus.request(Addresses.SYMBOLS, new JsonObject(), historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "symbols unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              Object body = ar.result().body();
              if (body instanceof JsonObject j
                  && j.getValue("symbols") instanceof JsonArray symbols) {
                send(rc, 200, new JsonObject().put("symbols", symbols).toBuffer());
              } else {
                error(rc, 502, "symbols returned a malformed reply");
              }
            });
  }

  /** GET /api/ticker → [ticker, ..]; GET /api/ticker?symbol=X → the ticker of X. */
  void ticker(RoutingContext rc) {
    String raw = rc.request().getParam("symbol");
    JsonObject req = new JsonObject();
    String symbol = null;
    if (raw != null) {
      symbol = Symbols.normalize(raw);
      if (symbol == null) {
        error(
            rc,
            400,
            "invalid symbol '" + CommandParser.echo(raw) + "': expected 2 to 20 letters or digits");
        return;
      }
      req.put("symbol", symbol);
    }
    String wanted = symbol;
    bus.request(Addresses.TICKERS, req, historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "tickers unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              tickerReply(rc, ar.result().body(), wanted);
            });
  }

  /** Answers with the tickers' reply: all of them, or the {@code wanted} symbol's (else 404). */
  private static void tickerReply(RoutingContext rc, Object reply, String wanted) {
    if (!(reply instanceof JsonObject j) || !(j.getValue("tickers") instanceof JsonArray tickers)) {
      error(rc, 502, "tickers returned a malformed reply");
      return;
    }
    if (wanted == null) {
      send(rc, 200, tickers.toBuffer());
      return;
    }
    for (Object t : tickers) {
      if (t instanceof JsonObject o && wanted.equals(o.getValue("symbol"))) {
        send(rc, 200, o.toBuffer());
        return;
      }
    }
    error(rc, 404, "no ticker for " + wanted);
  }

  /**
   * GET /api/book?symbol=BTCUSD[&depth=10] → 200 {@code
   * {"symbol","depth","seq","time","bids","asks"}} (depth 1..100, default 10); 400 bad parameter;
   * 404 unknown symbol; 503 no book (yet) or the owner unavailable.
   */
  void book(RoutingContext rc) {
    String symbol = bookSymbol(rc);
    int depth = symbol == null ? 0 : bookDepth(rc);
    if (depth == 0) {
      return;
    }
    bus.request(
            Addresses.BOOK,
            new JsonObject().put("symbol", symbol).put("depth", depth),
            historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "book unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              Book b;
              try {
                b = BookKey.validate(ar.result().body(), symbol, depth);
              } catch (RuntimeException e) {
                error(rc, 502, "book returned a malformed reply");
                return;
              }
              JsonObject out = Frames.bookUpdate(b, depth);
              out.remove("type");
              send(rc, 200, out.toBuffer());
            });
  }

  /** The book request's normalized symbol; null after answering 400. */
  private static String bookSymbol(RoutingContext rc) {
    String raw = rc.request().getParam("symbol");
    String symbol = raw == null ? null : Symbols.normalize(raw);
    if (symbol == null) {
      error(
          rc,
          400,
          raw == null
              ? "missing parameter 'symbol', e.g. ?symbol=BTCUSD&depth=10"
              : "invalid symbol '"
                  + CommandParser.echo(raw)
                  + "': expected 2 to 20 letters or digits");
    }
    return symbol;
  }

  /** The book request's depth (1..{@link Book#MAX_DEPTH}); 0 after answering 400. */
  private static int bookDepth(RoutingContext rc) {
    String d = rc.request().getParam("depth");
    int depth;
    try {
      depth = d == null ? JsonCommandParser.DEFAULT_BOOK_DEPTH : Integer.parseInt(d.trim());
    } catch (NumberFormatException e) {
      depth = -1;
    }
    if (depth < 1 || depth > Book.MAX_DEPTH) {
      error(
          rc,
          400,
          "'depth' must be a whole number from 1 to "
              + Book.MAX_DEPTH
              + ", was '"
              + CommandParser.echo(String.valueOf(d))
              + "'");
      return 0;
    }
    return depth;
  }
}
