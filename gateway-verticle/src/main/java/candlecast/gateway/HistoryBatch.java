package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Runs a {@link BatchRequest}: one symbol after the other, in the order given, each announced with
 * its progress, then its owner's status messages while it downloads (only when {@code local_only}
 * is false: a status address is registered for that request, per the history contract), then its
 * candles or its error. A symbol that fails does not stop the others. The protocols turn the
 * callbacks into their frames.
 */
final class HistoryBatch {
  /** The gateway-side request-reply address bridge clients send batches to. */
  static final String ADDRESS = "candlecast.history.batch";

  /** What a batch reports, in this order per symbol: progress, status*, result or failed. */
  interface Listener {
    void progress(String symbol, int index, int total);

    void status(String symbol, JsonObject status);

    /** One symbol's candles: candle JSON (event-bus form), oldest first. */
    void result(String symbol, String tf, JsonArray candles);

    /** One symbol's failure, with an HTTP-style status (400 bad symbol, 404 unknown, 503...). */
    void failed(String symbol, int status, String message);

    void done(int ok, int failed);

    /** False once nobody listens (the connection closed): the remaining symbols are skipped. */
    default boolean active() {
      return true;
    }
  }

  private final EventBus bus;
  private final DeliveryOptions historyOptions;
  private final GatewayMetrics metrics;

  HistoryBatch(EventBus bus, DeliveryOptions historyOptions, GatewayMetrics metrics) {
    this.bus = bus;
    this.historyOptions = historyOptions;
    this.metrics = metrics;
  }

  /** Runs the batch; completes (never fails) after {@link Listener#done}. */
  Future<Void> run(BatchRequest.Ok batch, Listener l) {
    int[] ok = new int[1];
    Future<Void> chain = Future.succeededFuture();
    int total = batch.items().size();
    for (int i = 0; i < total; i++) {
      int index = i;
      chain = chain.compose(v -> one(batch.items().get(index), index + 1, total, l, ok));
    }
    return chain.onComplete(v -> l.done(ok[0], total - ok[0]));
  }

  private Future<Void> one(BatchRequest.Item item, int index, int total, Listener l, int[] ok) {
    if (!l.active()) {
      return Future.succeededFuture();
    }
    l.progress(item.symbol(), index, total);
    if (item.error() != null) {
      l.failed(item.symbol(), 400, item.error());
      return Future.succeededFuture();
    }
    JsonObject request = item.query().request().copy();
    if (!Boolean.FALSE.equals(request.getBoolean("localOnly"))) {
      return ask(item, request, l, ok);
    }
    String statusAddress = "candlecast.status." + UUID.randomUUID();
    MessageConsumer<Object> statuses =
        bus.consumer(
            statusAddress,
            m -> {
              if (m.body() instanceof JsonObject s) {
                l.status(item.symbol(), s);
              }
            });
    return statuses
        .completion()
        .transform(
            reg ->
                ask(
                    item,
                    reg.succeeded() ? request.put("statusAddress", statusAddress) : request,
                    l,
                    ok))
        .eventually(statuses::unregister);
  }

  private Future<Void> ask(BatchRequest.Item item, JsonObject request, Listener l, int[] ok) {
    long start = System.nanoTime();
    return bus.request(Addresses.HISTORY, request, HistoryDelivery.of(request, historyOptions))
        .transform(
            ar -> {
              metrics.recordHistory(Duration.ofNanos(System.nanoTime() - start));
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "history unavailable");
                l.failed(item.symbol(), e.status(), e.error());
                return Future.succeededFuture();
              }
              JsonArray candles = CandlesQuery.candlesOf(ar.result().body(), item.query().limit());
              if (candles == null) {
                l.failed(item.symbol(), 502, "history returned a malformed reply");
              } else {
                ok[0]++;
                l.result(item.symbol(), request.getString("tf"), candles);
              }
              return Future.succeededFuture();
            });
  }
}
