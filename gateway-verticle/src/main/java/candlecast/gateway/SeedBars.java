package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The history provider's answers on {@code /socket.io}: candle JSON (oldest first) as the records a
 * pandas DataFrame is built from ({@code Date} ISO-8601 UTC, {@code Open, High, Low, Close,
 * Volume}), with {@code rows}, {@code start_date} and {@code end_date}. Pure.
 */
final class SeedBars {
  private SeedBars() {}

  /**
   * {@code data_response}: {ticker, resolution, rows, start_date, end_date, data:[…]}; the dates
   * are null when there are no bars.
   */
  static JsonObject response(String ticker, String resolution, JsonArray candles) {
    return bars(candles).put("ticker", ticker).put("resolution", resolution);
  }

  /** One batch result: {rows, start_date, end_date, data:[…]}. */
  static JsonObject bars(JsonArray candles) {
    JsonArray data = new JsonArray(new java.util.ArrayList<>(candles.size()));
    for (int i = 0; i < candles.size(); i++) {
      data.add(bar(candles.getJsonObject(i)));
    }
    return new JsonObject()
        .put("rows", data.size())
        .put("start_date", data.isEmpty() ? null : data.getJsonObject(0).getString("Date"))
        .put(
            "end_date",
            data.isEmpty() ? null : data.getJsonObject(data.size() - 1).getString("Date"))
        .put("data", data);
  }

  static JsonObject bar(JsonObject candle) {
    return new JsonObject()
        .put("Date", IsoTime.format(candle.getLong("t")))
        .put("Open", candle.getValue("o"))
        .put("High", candle.getValue("h"))
        .put("Low", candle.getValue("l"))
        .put("Close", candle.getValue("c"))
        .put("Volume", candle.getValue("v"));
  }

  /** {@code data_error}: {ticker, error}. */
  static JsonObject error(String ticker, String error) {
    return new JsonObject().put("ticker", ticker).put("error", error);
  }
}
