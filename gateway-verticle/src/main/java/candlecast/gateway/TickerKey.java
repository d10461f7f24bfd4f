package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.DecodeException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The 24 h ticker of one symbol, published by the aggregator on {@code ticker.<SYMBOL>}. */
public record TickerKey(String symbol) implements StreamKey {
  @Override
  public String address() {
    return Addresses.ticker(symbol);
  }

  @Override
  public Update toUpdate(Object body) {
    JsonObject t = validate(body, symbol);
    // the ticker as detail: other dialects encode their frame from it (StreamSource)
    Buffer frame = Frames.ticker(t).toBuffer();
    return new Update(frame, Frames.wire(frame), t.getLong("time"), 0, false, t);
  }

  /** Checks a ticker JSON object: its symbol and a numeric {@code time} and {@code last}. */
  static JsonObject validate(Object body, String symbol) {
    if (!(body instanceof JsonObject t)) {
      throw new DecodeException("ticker body is not a JSON object");
    }
    if (!symbol.equals(t.getValue("symbol"))) {
      throw new DecodeException(
          "ticker of " + t.getValue("symbol") + " on the address of " + symbol);
    }
    if (!(t.getValue("time") instanceof Number) || !(t.getValue("last") instanceof Number)) {
      throw new DecodeException("ticker without numeric time and last");
    }
    return t;
  }

  @Override
  public String toString() {
    return "ticker." + symbol;
  }
}
