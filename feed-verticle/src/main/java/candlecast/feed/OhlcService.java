package candlecast.feed;

import candlecast.common.Addresses;
import candlecast.common.CandleCodec;
import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The feed's deep-history service on {@link Addresses#FEED_OHLC}: bars from the exchange's OHLC
 * endpoint for the symbols the bitstamp source carries ({@link OhlcClient}); 501 for every other
 * symbol or source (mock and replay cannot serve history). Read-only, so every feed instance serves
 * it, leader or standby.
 */
final class OhlcService {
  private final Vertx vertx;
  private final Set<String> symbols;
  private final OhlcClient client;
  private MessageConsumer<Object> consumer;

  /**
   * @param symbols the symbols the bitstamp source carries (empty: every request gets 501)
   */
  OhlcService(Vertx vertx, CandlecastConfig config, List<String> symbols) {
    this.vertx = vertx;
    this.symbols = Set.copyOf(symbols);
    this.client =
        new OhlcClient(
            vertx,
            config.get(Settings.BITSTAMP_REST_URL),
            config.get(Settings.BITSTAMP_OHLC_PER_SECOND),
            config.get(Settings.BITSTAMP_OHLC_RETRIES),
            config.get(Settings.BITSTAMP_OHLC_BACKOFF_MS));
  }

  Future<Void> start() {
    client.open();
    consumer = vertx.eventBus().consumer(Addresses.FEED_OHLC, this::onRequest);
    return consumer.completion();
  }

  Future<Void> stop() {
    Future<Void> unreg = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unreg.transform(x -> client.close());
  }

  /** Requests sent to the exchange so far. */
  long requests() {
    return client.requests();
  }

  private void onRequest(Message<Object> m) {
    if (!(m.body() instanceof JsonObject body)) {
      m.fail(400, "request body must be a JSON object");
      return;
    }
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String s ? Symbols.normalize(s) : null;
    if (symbol == null) {
      m.fail(400, "symbol must be 2-20 letters or digits, was " + sym);
      return;
    }
    if (!symbols.contains(symbol)) {
      m.fail(501, "the feed's source cannot serve history for " + symbol);
      return;
    }
    Object tfRaw = body.getValue("tf");
    Timeframe tf = tfRaw instanceof String s ? Timeframe.tryParse(s) : null;
    Long from = integral(body.getValue("from"));
    Long to = integral(body.getValue("to"));
    if (tf == null) {
      m.fail(400, "unknown timeframe " + tfRaw + " (expected one of " + Timeframe.labels() + ")");
    } else if (from == null || to == null || from > to) {
      m.fail(400, "from and to must be integers (epoch ms) with from <= to");
    } else {
      fetch(m, symbol, tf, from, to);
    }
  }

  private void fetch(Message<Object> m, String symbol, Timeframe tf, long from, long to) {
    try {
      OhlcPlan.pages(tf, from, to); // what cannot be asked is a 400 before anything is sent
    } catch (IllegalArgumentException e) {
      m.fail(400, e.getMessage());
      return;
    }
    client
        .fetch(symbol, tf, from, to)
        .onSuccess(bars -> m.reply(new JsonObject().put("candles", CandleCodec.toJsonArray(bars))))
        .onFailure(e -> m.fail(502, String.valueOf(e.getMessage())));
  }

  private static Long integral(Object v) {
    return v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : null;
  }
}
