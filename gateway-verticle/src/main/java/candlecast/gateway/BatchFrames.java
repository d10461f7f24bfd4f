package candlecast.gateway;

import candlecast.common.CandleCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The frames of a history batch, the same on {@code /ws} (JSON protocol) and on the bridge's event
 * address: {@code batch_progress}, {@code data_status}, {@code history} or {@code error} per
 * symbol, {@code batch_done}. {@code id} is the client's, echoed when given. Pure.
 */
final class BatchFrames {
  private BatchFrames() {}

  static JsonObject progress(Object id, String symbol, int index, int total) {
    return withId(new JsonObject().put("type", "batch_progress"), id)
        .put("symbol", symbol)
        .put("progress", index + "/" + total);
  }

  /** The owner's status message with the batch's id and the symbol as the client wrote it. */
  static JsonObject status(Object id, String symbol, JsonObject status) {
    JsonObject j = withId(new JsonObject().put("type", "data_status"), id).put("symbol", symbol);
    status.forEach(
        e -> {
          if (!e.getKey().equals("symbol") && !e.getKey().equals("type")) {
            j.put(e.getKey(), e.getValue());
          }
        });
    return j;
  }

  /**
   * One symbol's candles.
   *
   * @param snapshotElements true on {@code /ws}: the JSON protocol's snapshot elements ({@code t,
   *     open, high, low, close, volume, trades, unix_timestamp, closed}); false on the bridge:
   *     candle JSON as {@code candlecast.history} answers it
   */
  static JsonObject history(
      Object id, String symbol, String tf, JsonArray candles, boolean snapshotElements) {
    JsonArray out = candles;
    if (snapshotElements) {
      out = new JsonArray();
      for (int i = 0; i < candles.size(); i++) {
        out.add(Frames.snapshotElement(CandleCodec.fromJson(candles.getJsonObject(i))));
      }
    }
    return withId(new JsonObject().put("type", "history"), id)
        .put("symbol", symbol)
        .put("tf", tf)
        .put("count", out.size())
        .put("candles", out);
  }

  /**
   * One symbol's error: {@code bad_symbol} (400), {@code unknown_symbol} (404) or {@code
   * history_unavailable}.
   */
  static JsonObject error(Object id, String symbol, int status, String message) {
    String code =
        switch (status) {
          case 400 -> ErrorCodes.BAD_SYMBOL;
          case 404 -> ErrorCodes.UNKNOWN_SYMBOL;
          default -> ErrorCodes.HISTORY_UNAVAILABLE;
        };
    JsonObject e = Frames.jsonError(code, message, id).put("symbol", symbol).put("status", status);
    return status == 503 ? e.put("retryAfterMs", BusErrors.RETRY_AFTER_MS) : e;
  }

  static JsonObject done(Object id, String tf, int ok, int failed) {
    return withId(new JsonObject().put("type", "batch_done"), id)
        .put("tf", tf)
        .put("symbols", ok + failed)
        .put("ok", ok)
        .put("failed", failed);
  }

  private static JsonObject withId(JsonObject j, Object id) {
    return id == null ? j : j.put("id", id);
  }
}
