package candlecast.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one JSON encoding of trades and candles, used for Kafka values, event-bus bodies and REST.
 * Encoding is deterministic (fixed field order, {@link Double#toString} numbers), so the same candle
 * always encodes to the same bytes.
 *
 * <pre>
 * trade:  {"symbol":"BTCUSD","id":42,"time":1700000000123,"price":37000.5,"amount":0.01,"side":"buy"}
 * candle: {"symbol":"BTCUSD","tf":"1m","t":1700000040000,"o":1.0,"h":2.0,"l":0.5,"c":1.5,"v":3.25,"n":7,"x":false}
 * </pre>
 */
public final class Codecs {
  private static final JsonFactory FACTORY = new JsonFactory();
  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Codecs() {
  }

  /** Thrown for a value that cannot be decoded; the message says why. */
  public static final class DecodeException extends RuntimeException {
    public DecodeException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- trades

  public static byte[] encodeTrade(Trade t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("symbol", t.symbol());
      g.writeNumberField("id", t.id());
      g.writeNumberField("time", t.time());
      g.writeNumberField("price", t.price());
      g.writeNumberField("amount", t.amount());
      g.writeStringField("side", t.side().wire());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static Trade decodeTrade(byte[] bytes) {
    return tradeFrom(readTree(bytes));
  }

  private static Trade tradeFrom(JsonNode n) {
    String side = text(n, "side");
    Side s = Side.tryParse(side);
    if (s == null) {
      throw new DecodeException("trade: unknown side '" + side + "'");
    }
    return new Trade(text(n, "symbol"), longField(n, "id"), longField(n, "time"),
        doubleField(n, "price"), doubleField(n, "amount"), s);
  }

  // ---------------------------------------------------------------- watermarks

  /**
   * A watermark record in {@code trades}: "no trade of this symbol with a time before {@code time} follows". The feed
   * writes one when a symbol is quiet, so windows close on time while candles stay a pure function of the log.
   * <pre>{"symbol":"BTCUSD","watermark":1700000001000}</pre>
   */
  public static byte[] encodeWatermark(String symbol, long time) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("symbol", symbol);
      g.writeNumberField("watermark", time);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** One record of the {@code trades} topic: either a trade or a watermark. */
  public sealed interface TradeLogRecord permits TradeRecord, WatermarkRecord {
    String symbol();
  }

  public record TradeRecord(Trade trade) implements TradeLogRecord {
    @Override
    public String symbol() {
      return trade.symbol();
    }
  }

  public record WatermarkRecord(String symbol, long time) implements TradeLogRecord {
  }

  /**
   * Decodes a {@code trades} record value: a trade or a watermark. Streaming (no tree), since every trade passes here.
   * Unknown fields are ignored; a missing or mistyped field fails with a reason.
   */
  public static TradeLogRecord decodeTradeLog(byte[] bytes) {
    TradeLogRecord fast = TradeLogScanner.scan(bytes); // the canonical form the feed writes; null for anything else
    return fast != null ? fast : decodeTradeLogGeneral(bytes);
  }

  /** The general decoder (Jackson): any field order, white space and escapes; every error message. */
  static TradeLogRecord decodeTradeLogGeneral(byte[] bytes) {
    try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new DecodeException("expected a JSON object");
      }
      String symbol = null;
      String side = null;
      long id = 0;
      long time = 0;
      long watermark = 0;
      double price = 0;
      double amount = 0;
      int seen = 0; // bits: 1 id, 2 time, 4 price, 8 amount, 16 watermark
      com.fasterxml.jackson.core.JsonToken tok;
      while ((tok = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        com.fasterxml.jackson.core.JsonToken v = p.nextToken();
        switch (f) {
          case "symbol" -> symbol = v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
          case "side" -> side = v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
          case "id" -> {
            id = integral(p, v, "id");
            seen |= 1;
          }
          case "time" -> {
            time = integral(p, v, "time");
            seen |= 2;
          }
          case "price" -> {
            price = number(p, v, "price");
            seen |= 4;
          }
          case "amount" -> {
            amount = number(p, v, "amount");
            seen |= 8;
          }
          case "watermark" -> {
            watermark = integral(p, v, "watermark");
            seen |= 16;
          }
          default -> p.skipChildren();
        }
      }
      if (tok != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
        throw new DecodeException("malformed JSON object");
      }
      if (symbol == null) {
        throw new DecodeException("field 'symbol' must be a string");
      }
      if ((seen & 16) != 0) {
        return new WatermarkRecord(symbol, watermark);
      }
      if ((seen & 1) == 0) {
        throw new DecodeException("field 'id' must be an integer");
      }
      if ((seen & 2) == 0) {
        throw new DecodeException("field 'time' must be an integer");
      }
      if ((seen & 4) == 0) {
        throw new DecodeException("field 'price' must be a number");
      }
      if ((seen & 8) == 0) {
        throw new DecodeException("field 'amount' must be a number");
      }
      Side sd = Side.tryParse(side);
      if (sd == null) {
        throw new DecodeException("trade: unknown side '" + side + "'");
      }
      return new TradeRecord(new Trade(symbol, id, time, price, amount, sd));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DecodeException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException("malformed JSON: " + e.getMessage());
    }
  }

  private static long integral(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken v,
                               String field) throws IOException {
    if (v != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER) {
      throw new DecodeException("field '" + field + "' must be an integer");
    }
    return p.getLongValue();
  }

  private static double number(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken v,
                               String field) throws IOException {
    if (v != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
        && v != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT) {
      throw new DecodeException("field '" + field + "' must be a number");
    }
    return p.getDoubleValue();
  }

  // ---------------------------------------------------------------- candles

  public static byte[] encodeCandle(Candle c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writeCandle(g, c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeCandle(JsonGenerator g, Candle c) throws IOException {
    g.writeStartObject();
    g.writeStringField("symbol", c.symbol());
    g.writeStringField("tf", c.tf().label());
    g.writeNumberField("t", c.openTime());
    g.writeNumberField("o", c.open());
    g.writeNumberField("h", c.high());
    g.writeNumberField("l", c.low());
    g.writeNumberField("c", c.close());
    g.writeNumberField("v", c.volume());
    g.writeNumberField("n", c.trades());
    g.writeBooleanField("x", c.closed());
    g.writeEndObject();
  }

  /** Streaming decode (history rebuilds read every candle of a partition through here). */
  public static Candle decodeCandle(byte[] bytes) {
    try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new DecodeException("expected a JSON object");
      }
      String symbol = null;
      String tfLabel = null;
      long t = 0;
      long n = 0;
      double o = 0;
      double h = 0;
      double l = 0;
      double c = 0;
      double v = 0;
      Boolean x = null;
      int seen = 0;
      com.fasterxml.jackson.core.JsonToken tok;
      while ((tok = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        com.fasterxml.jackson.core.JsonToken tv = p.nextToken();
        switch (f) {
          case "symbol" -> symbol = tv == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
          case "tf" -> tfLabel = tv == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
          case "t" -> {
            t = integral(p, tv, "t");
            seen |= 1;
          }
          case "n" -> {
            n = integral(p, tv, "n");
            seen |= 2;
          }
          case "o" -> {
            o = number(p, tv, "o");
            seen |= 4;
          }
          case "h" -> {
            h = number(p, tv, "h");
            seen |= 8;
          }
          case "l" -> {
            l = number(p, tv, "l");
            seen |= 16;
          }
          case "c" -> {
            c = number(p, tv, "c");
            seen |= 32;
          }
          case "v" -> {
            v = number(p, tv, "v");
            seen |= 64;
          }
          case "x" -> {
            if (tv != com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                && tv != com.fasterxml.jackson.core.JsonToken.VALUE_FALSE) {
              throw new DecodeException("candle: field 'x' must be a boolean");
            }
            x = tv == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
          }
          default -> p.skipChildren();
        }
      }
      if (tok != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
        throw new DecodeException("malformed JSON object");
      }
      if (symbol == null) {
        throw new DecodeException("field 'symbol' must be a string");
      }
      Timeframe tf = Timeframe.tryParse(tfLabel);
      if (tf == null) {
        throw new DecodeException("candle: unknown timeframe '" + tfLabel + "'");
      }
      if (x == null) {
        throw new DecodeException("candle: field 'x' must be a boolean");
      }
      if (seen != 127) {
        throw new DecodeException("candle: fields t, o, h, l, c, v and n are required");
      }
      return new Candle(symbol, tf, t, o, h, l, c, v, n, x);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DecodeException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException("malformed JSON: " + e.getMessage());
    }
  }

  /** The candle as a Vert.x JSON object (event-bus body and REST element), same fields as {@link #encodeCandle}. */
  public static JsonObject candleToJson(Candle c) {
    return new JsonObject()
        .put("symbol", c.symbol())
        .put("tf", c.tf().label())
        .put("t", c.openTime())
        .put("o", c.open())
        .put("h", c.high())
        .put("l", c.low())
        .put("c", c.close())
        .put("v", c.volume())
        .put("n", c.trades())
        .put("x", c.closed());
  }

  public static Candle candleFromJson(JsonObject j) {
    try {
      Timeframe tf = Timeframe.tryParse(j.getString("tf"));
      if (tf == null) {
        throw new DecodeException("candle: unknown timeframe '" + j.getValue("tf") + "'");
      }
      return new Candle(j.getString("symbol"), tf, j.getLong("t"), j.getDouble("o"), j.getDouble("h"),
          j.getDouble("l"), j.getDouble("c"), j.getDouble("v"), j.getLong("n"), j.getBoolean("x"));
    } catch (ClassCastException | NullPointerException e) {
      throw new DecodeException("candle: malformed " + j.encode());
    }
  }

  public static JsonArray candlesToJson(List<Candle> candles) {
    JsonArray a = new JsonArray();
    for (Candle c : candles) {
      a.add(candleToJson(c));
    }
    return a;
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode readTree(byte[] bytes) {
    try {
      JsonNode n = MAPPER.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw new DecodeException("expected a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DecodeException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DecodeException("malformed JSON: " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new DecodeException("field '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static long longField(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new DecodeException("field '" + field + "' must be an integer");
    }
    return v.longValue();
  }

  private static double doubleField(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new DecodeException("field '" + field + "' must be a number");
    }
    return v.doubleValue();
  }
}
