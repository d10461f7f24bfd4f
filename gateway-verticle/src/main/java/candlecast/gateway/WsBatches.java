package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The history batches of one {@code /ws} connection: one at a time (a second while one runs gets
 * {@code batch_in_progress}), each symbol counted against a per-connection token bucket with the
 * message-rate settings ({@code rate_limited} when the batch has more symbols than tokens), and
 * {@code gateway.batch-max-symbols} symbols at most. A batch runs beside the connection's other
 * commands (it does not pause reading: a long download must not starve pings and unsubscribes); its
 * frames are control frames (never dropped). Created lazily: most connections never batch.
 */
final class WsBatches {
  static final String BATCH_IN_PROGRESS = "batch_in_progress";

  private final WsConnection.Env env;
  private final CommandFlow flow;
  private final WsChannel channel;
  private TokenBucket symbols;
  private HistoryBatch engine;
  private boolean running;

  WsBatches(WsConnection.Env env, CommandFlow flow, WsChannel channel) {
    this.env = env;
    this.flow = flow;
    this.channel = channel;
  }

  void start(Command.HistoryBatch cmd) {
    GatewayOptions o = env.options();
    BatchRequest.Result r =
        BatchRequest.parse(
            cmd.body(), o.batchMaxSymbols(), o.maxLimit(), System.currentTimeMillis());
    if (r instanceof BatchRequest.Bad bad) {
      flow.reply(Frames.jsonError(ErrorCodes.BAD_FIELD, bad.message(), cmd.id()));
      return;
    }
    BatchRequest.Ok batch = (BatchRequest.Ok) r;
    if (running) {
      flow.reply(
          Frames.jsonError(
              BATCH_IN_PROGRESS, "one history batch at a time: wait for its batch_done", cmd.id()));
      return;
    }
    long now = System.nanoTime();
    if (symbols == null) {
      symbols = new TokenBucket(o.messagesPerSecond(), o.messagesBurst(), now);
      engine = new HistoryBatch(env.bus(), env.historyOptions(), env.metrics());
    }
    if (!symbols.tryTake(now, batch.items().size())) {
      env.metrics().rateLimited.increment();
      flow.reply(
          Frames.jsonError(
              ErrorCodes.RATE_LIMITED,
              "history batches may ask for "
                  + o.messagesPerSecond()
                  + " symbols per second (burst "
                  + o.messagesBurst()
                  + "); try again later",
              cmd.id()));
      return;
    }
    running = true;
    engine.run(batch, new Replies(batch)).onComplete(v -> running = false);
  }

  /** The batch's callbacks as JSON-protocol frames on this connection. */
  private final class Replies implements HistoryBatch.Listener {
    private final BatchRequest.Ok batch;

    Replies(BatchRequest.Ok batch) {
      this.batch = batch;
    }

    @Override
    public boolean active() {
      return channel.isOpen();
    }

    @Override
    public void progress(String symbol, int index, int total) {
      flow.reply(BatchFrames.progress(batch.id(), symbol, index, total));
    }

    @Override
    public void status(String symbol, JsonObject status) {
      flow.reply(BatchFrames.status(batch.id(), symbol, status));
    }

    @Override
    public void result(String symbol, String tf, JsonArray candles) {
      flow.reply(BatchFrames.history(batch.id(), symbol, tf, candles, true));
    }

    @Override
    public void failed(String symbol, int status, String message) {
      flow.reply(BatchFrames.error(batch.id(), symbol, status, message));
    }

    @Override
    public void done(int ok, int failed) {
      flow.reply(BatchFrames.done(batch.id(), batch.tf(), ok, failed));
    }
  }
}
