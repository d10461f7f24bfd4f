package candlecast.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-bus JSON of the trade tape (docs/PROTOCOL.md, "Trades"): one trade is {@code
 * {"seq":10234,"id":123,"t":1700000000123,"p":37000.5,"q":0.0125,"side":"buy"}} and an update of a
 * symbol's tape, published on {@code trades.<SYMBOL>}, is {@code
 * {"symbol":"BTCUSD","prev":10230,"trades":[…]}} where {@code prev} is the {@code seq} of the
 * symbol's trade before the first one of the update (-1: none), so a receiver that saw that trade
 * knows it missed nothing.
 */
public final class TapeCodec {
  public static final String SEQ = "seq";
  public static final String ID = "id";
  public static final String TIME = "t";
  public static final String PRICE = "p";
  public static final String AMOUNT = "q";
  public static final String SIDE = "side";
  public static final String SYMBOL = "symbol";
  public static final String PREV = "prev";
  public static final String TRADES = "trades";

  private TapeCodec() {}

  public static JsonObject toJson(TapeTrade t) {
    return new JsonObject()
        .put(SEQ, t.seq())
        .put(ID, t.id())
        .put(TIME, t.time())
        .put(PRICE, t.price())
        .put(AMOUNT, t.amount())
        .put(SIDE, t.side().wire());
  }

  public static JsonArray toJsonArray(List<TapeTrade> trades) {
    List<Object> list = new ArrayList<>(trades.size());
    for (TapeTrade t : trades) {
      list.add(toJson(t));
    }
    return new JsonArray(list);
  }

  /** The update of {@code symbol}'s tape published on {@code trades.<SYMBOL>}. */
  public static JsonObject update(String symbol, long prev, List<TapeTrade> trades) {
    return new JsonObject().put(SYMBOL, symbol).put(PREV, prev).put(TRADES, toJsonArray(trades));
  }

  /**
   * Decodes one trade of the tape.
   *
   * @throws DecodeException naming what is wrong
   */
  public static TapeTrade fromJson(Object o) {
    if (!(o instanceof JsonObject j)) {
      throw new DecodeException("tape trade is not a JSON object");
    }
    long seq = integral(j, SEQ);
    long id = integral(j, ID);
    long time = integral(j, TIME);
    double price = number(j, PRICE);
    double amount = number(j, AMOUNT);
    Side side = j.getValue(SIDE) instanceof String s ? Side.tryParse(s) : null;
    if (side == null) {
      throw new DecodeException("tape trade: field 'side' must be buy or sell");
    }
    if (seq < 0 || id < 0 || !(price > 0) || !(amount >= 0)) {
      throw new DecodeException("tape trade out of range: " + j.encode());
    }
    return new TapeTrade(seq, id, time, price, amount, side);
  }

  /**
   * Decodes the trades of a tape update or reply ({@code {"trades":[…]}}), checking that their
   * {@code seq} increase.
   *
   * @throws DecodeException naming what is wrong
   */
  public static List<TapeTrade> trades(JsonObject j) {
    if (!(j.getValue(TRADES) instanceof JsonArray arr)) {
      throw new DecodeException("field 'trades' must be an array");
    }
    List<TapeTrade> out = new ArrayList<>(arr.size());
    long last = Long.MIN_VALUE;
    for (Object o : arr) {
      TapeTrade t = fromJson(o);
      if (t.seq() <= last) {
        throw new DecodeException("tape trades out of order: seq " + t.seq() + " after " + last);
      }
      last = t.seq();
      out.add(t);
    }
    return out;
  }

  /** A whole-number field (Integer or Long). */
  public static long integral(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    throw new DecodeException("field '" + field + "' must be an integer, was " + v);
  }

  private static double number(JsonObject j, String field) {
    if (j.getValue(field) instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        return d;
      }
    }
    throw new DecodeException(
        "field '" + field + "' must be a finite number, was " + j.getValue(field));
  }
}
