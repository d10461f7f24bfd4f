package candlecast.aggregator;

import candlecast.common.BarCsv;
import candlecast.common.Candle;
import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Imports a CSV of OHLC(V) bars at the symbol's owner ({@link BarCsv}): validates all of it first
 * (400 naming the line; nothing stored), then stores the bars and the coarser timeframes built from
 * them ({@link ImportBars}) with {@code src} import through the {@link DeepStore}: {@code candles},
 * then memory. Windows at or after a timeframe's oldest trades candle are skipped (trades candles
 * win; counted in {@code skipped} for the bars' own timeframe).
 */
final class ImportService {
  private final DeepStore store;

  ImportService(DeepStore store) {
    this.store = store;
  }

  /** Body {symbol, tf, csv}; reply {symbol, tf, bars, stored:{tf:n}, skipped}. */
  Future<JsonObject> answer(JsonObject body) {
    Object sym = body.getValue("symbol");
    String symbol = sym instanceof String s ? Symbols.normalize(s) : null;
    Object tfRaw = body.getValue("tf");
    Timeframe tf = tfRaw instanceof String s ? Timeframe.tryParse(s) : null;
    Object csv = body.getValue("csv");
    if (symbol == null) {
      return bad("symbol must be 2-20 letters or digits, was " + sym);
    }
    if (tf == null) {
      return bad("unknown timeframe " + tfRaw + " (expected one of " + Timeframe.labels() + ")");
    }
    if (!(csv instanceof String text)) {
      return bad("csv must be a string");
    }
    List<Candle> bars;
    try {
      bars = BarCsv.parse(symbol, tf, text);
    } catch (BarCsv.CsvException e) {
      return bad(e.getMessage());
    }
    return store(symbol, tf, bars);
  }

  private Future<JsonObject> store(String symbol, Timeframe tf, List<Candle> bars) {
    JsonObject stored = new JsonObject();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<Timeframe, List<Candle>> e : ImportBars.withCoarser(tf, bars).entrySet()) {
      chain =
          chain.compose(
              v ->
                  store
                      .store(symbol, e.getKey(), e.getValue(), null)
                      .map(
                          n -> {
                            stored.put(e.getKey().label(), n);
                            return (Void) null;
                          }));
    }
    return chain.map(
        v ->
            new JsonObject()
                .put("symbol", symbol)
                .put("tf", tf.label())
                .put("bars", bars.size())
                .put("stored", stored)
                .put("skipped", bars.size() - stored.getInteger(tf.label())));
  }

  private static Future<JsonObject> bad(String message) {
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, message));
  }
}
