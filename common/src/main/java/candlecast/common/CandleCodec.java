package candlecast.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;

/**
 * The one JSON encoding of candles, used for Kafka values, event-bus bodies and REST. Encoding is
 * deterministic (fixed field order, {@link Double#toString} numbers), so the same candle always
 * encodes to the same bytes, and {@link #toJson(Candle)} encodes to the same text as {@link
 * #encode}.
 *
 * <pre>
 * {"symbol":"BTCUSD","tf":"1m","t":1700000040000,"o":1.0,"h":2.0,"l":0.5,"c":1.5,"v":3.25,"n":7,"x":false}
 * </pre>
 *
 * A partial candle (its window overlaps a gap of the trade log) carries {@code "partial":true}
 * after {@code x}; the field is absent otherwise, so every other candle keeps its bytes. Absent
 * reads as false.
 *
 * <p>A candle not folded from trades carries {@code "src":"exchange"} or {@code "src":"import"}
 * last (its {@code n} is 0: no trade count is known); trades candles omit it (absent reads as
 * trades), so their bytes are unchanged.
 */
public final class CandleCodec {
  static final String SYMBOL = "symbol";
  static final String TF = "tf";
  static final String OPEN_TIME = "t";
  static final String OPEN = "o";
  static final String HIGH = "h";
  static final String LOW = "l";
  static final String CLOSE = "c";
  static final String VOLUME = "v";
  static final String TRADES = "n";
  static final String CLOSED = "x";
  static final String PARTIAL = "partial";
  static final String SRC = "src";

  private CandleCodec() {}

  public static byte[] encode(Candle c) {
    return Json.write(160, g -> write(g, c));
  }

  private static void write(JsonGenerator g, Candle c) throws IOException {
    g.writeStartObject();
    g.writeStringField(SYMBOL, c.symbol());
    g.writeStringField(TF, c.tf().label());
    g.writeNumberField(OPEN_TIME, c.openTime());
    g.writeNumberField(OPEN, c.open());
    g.writeNumberField(HIGH, c.high());
    g.writeNumberField(LOW, c.low());
    g.writeNumberField(CLOSE, c.close());
    g.writeNumberField(VOLUME, c.volume());
    g.writeNumberField(TRADES, c.trades());
    g.writeBooleanField(CLOSED, c.closed());
    if (c.partial()) {
      g.writeBooleanField(PARTIAL, true);
    }
    if (!c.fromTrades()) {
      g.writeStringField(SRC, c.src().wire());
    }
    g.writeEndObject();
  }

  /**
   * Streaming decode (history rebuilds read every candle of a partition through here). Unknown
   * fields are ignored.
   *
   * @throws DecodeException naming what is missing or wrong
   */
  public static Candle decode(byte[] bytes) {
    try (JsonParser p = Json.FACTORY.createParser(bytes)) {
      Json.startObject(p);
      Fields f = new Fields();
      JsonToken tok;
      while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
        f.read(p, p.currentName(), p.nextToken());
      }
      Json.endObject(tok);
      return f.candle();
    } catch (IOException e) {
      throw Json.malformed(e);
    }
  }

  /**
   * The candle as a Vert.x JSON object (event-bus body and REST element), same fields as {@link
   * #encode}.
   */
  public static JsonObject toJson(Candle c) {
    JsonObject j =
        new JsonObject()
            .put(SYMBOL, c.symbol())
            .put(TF, c.tf().label())
            .put(OPEN_TIME, c.openTime())
            .put(OPEN, c.open())
            .put(HIGH, c.high())
            .put(LOW, c.low())
            .put(CLOSE, c.close())
            .put(VOLUME, c.volume())
            .put(TRADES, c.trades())
            .put(CLOSED, c.closed());
    if (c.partial()) {
      j.put(PARTIAL, true);
    }
    if (!c.fromTrades()) {
      j.put(SRC, c.src().wire());
    }
    return j;
  }

  public static JsonArray toJsonArray(List<Candle> candles) {
    JsonArray a = new JsonArray();
    for (Candle c : candles) {
      a.add(toJson(c));
    }
    return a;
  }

  /**
   * Reads a candle from its JSON form.
   *
   * @throws DecodeException when a field is missing or has the wrong type
   */
  public static Candle fromJson(JsonObject j) {
    try {
      Timeframe tf = Timeframe.tryParse(j.getString(TF));
      if (tf == null) {
        throw new DecodeException("candle: unknown timeframe '" + j.getValue(TF) + "'");
      }
      return new Candle(
          j.getString(SYMBOL),
          tf,
          j.getLong(OPEN_TIME),
          j.getDouble(OPEN),
          j.getDouble(HIGH),
          j.getDouble(LOW),
          j.getDouble(CLOSE),
          j.getDouble(VOLUME),
          j.getLong(TRADES),
          j.getBoolean(CLOSED),
          j.getBoolean(PARTIAL, false),
          sourceOf(j.getValue(SRC)));
    } catch (ClassCastException | NullPointerException e) {
      throw new DecodeException("candle: malformed " + j.encode());
    }
  }

  /** The source named by a {@code src} value: absent means trades; anything unknown fails. */
  static CandleSource sourceOf(Object v) {
    if (v == null) {
      return CandleSource.TRADES;
    }
    CandleSource src = v instanceof String s ? CandleSource.tryParse(s) : null;
    if (src == null) {
      throw new DecodeException(
          "candle: field '" + SRC + "' must be \"trades\", \"exchange\" or \"import\", was " + v);
    }
    return src;
  }

  /** The fields of one candle as the decoder meets them. */
  private static final class Fields {
    private static final int HAS_OPEN_TIME = 1;
    private static final int HAS_TRADES = 1 << 1;
    private static final int HAS_OPEN = 1 << 2;
    private static final int HAS_HIGH = 1 << 3;
    private static final int HAS_LOW = 1 << 4;
    private static final int HAS_CLOSE = 1 << 5;
    private static final int HAS_VOLUME = 1 << 6;
    private static final int HAS_ALL_NUMBERS = (1 << 7) - 1;

    String symbol;
    String tf;
    long openTime;
    long trades;
    double open;
    double high;
    double low;
    double close;
    double volume;
    Boolean closed;
    boolean partial;
    CandleSource src = CandleSource.TRADES;
    int seen;

    void read(JsonParser p, String name, JsonToken v) throws IOException {
      switch (name) {
        case SYMBOL -> symbol = Json.stringOrNull(p, v);
        case TF -> tf = Json.stringOrNull(p, v);
        case OPEN_TIME -> openTime = integral(p, v, OPEN_TIME, HAS_OPEN_TIME);
        case TRADES -> trades = integral(p, v, TRADES, HAS_TRADES);
        case OPEN -> open = number(p, v, OPEN, HAS_OPEN);
        case HIGH -> high = number(p, v, HIGH, HAS_HIGH);
        case LOW -> low = number(p, v, LOW, HAS_LOW);
        case CLOSE -> close = number(p, v, CLOSE, HAS_CLOSE);
        case VOLUME -> volume = number(p, v, VOLUME, HAS_VOLUME);
        case CLOSED -> {
          if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw new DecodeException("candle: field '" + CLOSED + "' must be a boolean");
          }
          closed = v == JsonToken.VALUE_TRUE;
        }
        case PARTIAL -> {
          if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw new DecodeException("candle: field '" + PARTIAL + "' must be a boolean");
          }
          partial = v == JsonToken.VALUE_TRUE;
        }
        case SRC -> {
          if (v != JsonToken.VALUE_STRING) {
            throw new DecodeException("candle: field '" + SRC + "' must be a string");
          }
          src = sourceOf(p.getText());
        }
        default -> p.skipChildren();
      }
    }

    private long integral(JsonParser p, JsonToken v, String field, int bit) throws IOException {
      long value = Json.integral(p, v, field);
      seen |= bit;
      return value;
    }

    private double number(JsonParser p, JsonToken v, String field, int bit) throws IOException {
      double value = Json.number(p, v, field);
      seen |= bit;
      return value;
    }

    Candle candle() {
      if (symbol == null) {
        throw new DecodeException("field '" + SYMBOL + "' must be a string");
      }
      Timeframe timeframe = Timeframe.tryParse(tf);
      if (timeframe == null) {
        throw new DecodeException("candle: unknown timeframe '" + tf + "'");
      }
      if (closed == null) {
        throw new DecodeException("candle: field '" + CLOSED + "' must be a boolean");
      }
      if (seen != HAS_ALL_NUMBERS) {
        throw new DecodeException(
            "candle: fields "
                + String.join(", ", OPEN_TIME, OPEN, HIGH, LOW, CLOSE, VOLUME)
                + " and "
                + TRADES
                + " are required");
      }
      return new Candle(
          symbol, timeframe, openTime, open, high, low, close, volume, trades, closed, partial,
          src);
    }
  }
}
