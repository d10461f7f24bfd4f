package candlecast.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The JSON encoding of the {@code trades} topic's records: trades, watermarks and gaps. Encoding is
 * deterministic (fixed field order, {@link Double#toString} numbers), so the same trade always
 * encodes to the same bytes.
 *
 * <pre>
 * trade:     {"symbol":"BTCUSD","id":42,"time":1700000000123,"price":37000.5,"amount":0.01,"side":"buy"}
 * watermark: {"symbol":"BTCUSD","watermark":1700000001000}
 * gap:       {"symbol":"BTCUSD","gap":{"from":1699990000000,"to":1700000000000}}
 * </pre>
 */
public final class TradeCodec {
  static final String SYMBOL = "symbol";
  static final String ID = "id";
  static final String TIME = "time";
  static final String PRICE = "price";
  static final String AMOUNT = "amount";
  static final String SIDE = "side";
  static final String WATERMARK = "watermark";
  static final String GAP = "gap";
  static final String GAP_FROM = "from";
  static final String GAP_TO = "to";

  private TradeCodec() {}

  public static byte[] encode(Trade t) {
    return Json.write(
        128,
        g -> {
          g.writeStartObject();
          g.writeStringField(SYMBOL, t.symbol());
          g.writeNumberField(ID, t.id());
          g.writeNumberField(TIME, t.time());
          g.writeNumberField(PRICE, t.price());
          g.writeNumberField(AMOUNT, t.amount());
          g.writeStringField(SIDE, t.side().wire());
          g.writeEndObject();
        });
  }

  /** A {@link WatermarkRecord}: the feed writes one when a symbol is quiet. */
  public static byte[] encodeWatermark(String symbol, long time) {
    return Json.write(
        64,
        g -> {
          g.writeStartObject();
          g.writeStringField(SYMBOL, symbol);
          g.writeNumberField(WATERMARK, time);
          g.writeEndObject();
        });
  }

  /**
   * A {@link GapRecord}: the symbol's trades in [{@code from}, {@code to}) (epoch ms) may be
   * missing for good.
   *
   * @throws IllegalArgumentException when {@code from > to}
   */
  public static byte[] encodeGap(String symbol, long from, long to) {
    if (from > to) {
      throw new IllegalArgumentException(
          "gap of " + symbol + ": from " + from + " is after to " + to);
    }
    return Json.write(
        80,
        g -> {
          g.writeStartObject();
          g.writeStringField(SYMBOL, symbol);
          g.writeObjectFieldStart(GAP);
          g.writeNumberField(GAP_FROM, from);
          g.writeNumberField(GAP_TO, to);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /**
   * Decodes a {@code trades} record value: a trade, a watermark or a gap. The canonical form the
   * feed writes takes a scanner that allocates only the result ({@link TradeLogScanner}), since
   * every trade passes here; anything else goes through the general decoder. Unknown fields are
   * ignored; a missing or mistyped field fails with a reason.
   *
   * @throws DecodeException naming what is wrong
   */
  public static TradeLogRecord decode(byte[] bytes) {
    TradeLogRecord fast = TradeLogScanner.scan(bytes);
    return fast != null ? fast : decodeGeneral(bytes);
  }

  /**
   * The general decoder (Jackson, streaming): any field order, white space and escapes; every error
   * message.
   */
  static TradeLogRecord decodeGeneral(byte[] bytes) {
    try (JsonParser p = Json.FACTORY.createParser(bytes)) {
      Json.startObject(p);
      Fields f = new Fields();
      JsonToken tok;
      while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
        f.read(p, p.currentName(), p.nextToken());
      }
      Json.endObject(tok);
      return f.record();
    } catch (IOException e) {
      throw Json.malformed(e);
    }
  }

  /** The fields of one record as the general decoder meets them. */
  private static final class Fields {
    private static final int HAS_ID = 1;
    private static final int HAS_TIME = 1 << 1;
    private static final int HAS_PRICE = 1 << 2;
    private static final int HAS_AMOUNT = 1 << 3;
    private static final int HAS_WATERMARK = 1 << 4;
    private static final int HAS_GAP = 1 << 5;
    private static final int HAS_GAP_FROM = 1 << 6;
    private static final int HAS_GAP_TO = 1 << 7;

    String symbol;
    String side;
    long id;
    long time;
    long watermark;
    long gapFrom;
    long gapTo;
    double price;
    double amount;
    int seen;

    void read(JsonParser p, String name, JsonToken v) throws IOException {
      switch (name) {
        case SYMBOL -> symbol = Json.stringOrNull(p, v);
        case SIDE -> side = Json.stringOrNull(p, v);
        case ID -> id = integral(p, v, ID, HAS_ID);
        case TIME -> time = integral(p, v, TIME, HAS_TIME);
        case PRICE -> price = number(p, v, PRICE, HAS_PRICE);
        case AMOUNT -> amount = number(p, v, AMOUNT, HAS_AMOUNT);
        case WATERMARK -> watermark = integral(p, v, WATERMARK, HAS_WATERMARK);
        case GAP -> readGap(p, v);
        default -> p.skipChildren();
      }
    }

    /**
     * The gap's span: an object with integers {@code from} and {@code to}; other fields in it are
     * ignored.
     */
    private void readGap(JsonParser p, JsonToken v) throws IOException {
      if (v != JsonToken.START_OBJECT) {
        throw new DecodeException(
            "field '"
                + GAP
                + "' must be an object {\""
                + GAP_FROM
                + "\":ms,\""
                + GAP_TO
                + "\":ms}");
      }
      seen = (seen | HAS_GAP) & ~(HAS_GAP_FROM | HAS_GAP_TO);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case GAP_FROM -> gapFrom = integral(p, value, GAP + "." + GAP_FROM, HAS_GAP_FROM);
          case GAP_TO -> gapTo = integral(p, value, GAP + "." + GAP_TO, HAS_GAP_TO);
          default -> p.skipChildren();
        }
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

    TradeLogRecord record() {
      if (symbol == null) {
        throw new DecodeException("field '" + SYMBOL + "' must be a string");
      }
      if ((seen & HAS_GAP) != 0) {
        return gap();
      }
      if ((seen & HAS_WATERMARK) != 0) {
        return new WatermarkRecord(symbol, watermark);
      }
      require(HAS_ID, ID, "an integer");
      require(HAS_TIME, TIME, "an integer");
      require(HAS_PRICE, PRICE, "a number");
      require(HAS_AMOUNT, AMOUNT, "a number");
      Side s = Side.tryParse(side);
      if (s == null) {
        throw new DecodeException("trade: unknown side '" + side + "'");
      }
      return new TradeRecord(new Trade(symbol, id, time, price, amount, s));
    }

    private GapRecord gap() {
      require(HAS_GAP_FROM, GAP + "." + GAP_FROM, "an integer");
      require(HAS_GAP_TO, GAP + "." + GAP_TO, "an integer");
      if (gapFrom > gapTo) {
        throw new DecodeException(
            "gap: '" + GAP_FROM + "' (" + gapFrom + ") is after '" + GAP_TO + "' (" + gapTo + ")");
      }
      return new GapRecord(symbol, gapFrom, gapTo);
    }

    private void require(int bit, String field, String what) {
      if ((seen & bit) == 0) {
        throw new DecodeException("field '" + field + "' must be " + what);
      }
    }
  }
}
