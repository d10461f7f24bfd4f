package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** One candle series: a symbol at a timeframe. */
public record SeriesKey(String symbol, Timeframe tf) implements StreamKey {
  public SeriesKey {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(tf, "tf");
  }

  /** The event-bus address the aggregator tier publishes this series on. */
  @Override
  public String address() {
    return Addresses.candles(symbol, tf);
  }

  @Override
  public Update toUpdate(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new DecodeException(
          "body is "
              + (body == null ? "null" : body.getClass().getSimpleName())
              + ", not a JSON object");
    }
    Candle c = CandleCodec.fromJson(json);
    if (!c.symbol().equals(symbol) || c.tf() != tf) {
      throw new DecodeException(
          "candle of " + c.symbol() + "." + c.tf().label() + " on the address of another series");
    }
    return toUpdate(c);
  }

  /** The update of candle {@code c} of this series (frames encoded once). */
  public Update toUpdate(Candle c) {
    // the candle as detail: other dialects encode their frame from it (StreamSource)
    Buffer frame = Frames.candleUpdate(c);
    return new Update(
        frame, Frames.wire(frame), c.openTime(), c.trades(), c.closed(), c.partial(), c);
  }

  @Override
  public String toString() {
    return symbol + '.' + tf.label();
  }
}
