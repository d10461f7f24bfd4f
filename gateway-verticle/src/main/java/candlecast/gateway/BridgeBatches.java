package candlecast.gateway;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * History batches for bridge clients: the gateway-side request-reply address {@value
 * HistoryBatch#ADDRESS}. The request names {@code progressAddress}, an address of the client's
 * choosing ({@code candlecast.batch.<8-64 letters, digits, - or _>}) on which it registered a
 * handler first; the reply is an immediate {@code batch_started} acknowledgement, and every frame
 * of the batch ({@code batch_progress}, {@code data_status}, {@code history} with candle JSON,
 * {@code error}, {@code batch_done}) is published to that address, so no reply timeout bounds a
 * long batch. Bad requests fail with code 400 and the reason.
 */
final class BridgeBatches {
  private final EventBus bus;
  private final GatewayOptions options;
  private final HistoryBatch engine;

  BridgeBatches(EventBus bus, GatewayOptions options, HistoryBatch engine) {
    this.bus = bus;
    this.options = options;
    this.engine = engine;
  }

  void handle(Message<Object> m) {
    if (!(m.body() instanceof JsonObject body)) {
      m.fail(400, "a batch is a JSON object such as {\"symbols\":[\"BTCUSD\"],\"tf\":\"1d\"}");
      return;
    }
    BatchRequest.Result r =
        BatchRequest.parse(
            body, options.batchMaxSymbols(), options.maxLimit(), System.currentTimeMillis());
    if (r instanceof BatchRequest.Bad bad) {
      m.fail(400, bad.message());
      return;
    }
    BatchRequest.Ok batch = (BatchRequest.Ok) r;
    String to = batch.progressAddress();
    if (to == null) {
      m.fail(
          400,
          "missing 'progressAddress': register a handler on candlecast.batch.<random id> and"
              + " name it; the batch's frames go there");
      return;
    }
    JsonObject ack =
        new JsonObject()
            .put("type", "batch_started")
            .put("tf", batch.tf())
            .put("symbols", batch.items().size());
    if (batch.id() != null) {
      ack.put("id", batch.id());
    }
    m.reply(ack);
    engine.run(batch, new Events(batch, to));
  }

  /** The batch's callbacks published to the client's address. */
  private final class Events implements HistoryBatch.Listener {
    private final BatchRequest.Ok batch;
    private final String to;

    Events(BatchRequest.Ok batch, String to) {
      this.batch = batch;
      this.to = to;
    }

    @Override
    public void progress(String symbol, int index, int total) {
      bus.publish(to, BatchFrames.progress(batch.id(), symbol, index, total));
    }

    @Override
    public void status(String symbol, JsonObject status) {
      bus.publish(to, BatchFrames.status(batch.id(), symbol, status));
    }

    @Override
    public void result(String symbol, String tf, JsonArray candles) {
      bus.publish(to, BatchFrames.history(batch.id(), symbol, tf, candles, false));
    }

    @Override
    public void failed(String symbol, int status, String message) {
      bus.publish(to, BatchFrames.error(batch.id(), symbol, status, message));
    }

    @Override
    public void done(int ok, int failed) {
      bus.publish(to, BatchFrames.done(batch.id(), batch.tf(), ok, failed));
    }
  }
}
