package candlecast.aggregator.portfolio;

import candlecast.common.Symbols;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Validates portfolio positions (issue 17) and builds the canonical ones: {@code
 * {"symbol":"BTCUSD","quantity":0.5,"avgCost":42000.0}} with the symbol canonical ({@link
 * Symbols#normalize}) and known, {@code quantity} finite and not 0 (negative = short), {@code
 * avgCost} finite and &gt; 0, at most {@value #MAX} positions, one per symbol. A bad position fails
 * with {@code IllegalArgumentException("bad_position: <field>: <why>")}; a well-formed symbol
 * nobody trades with {@link UnknownSymbol} ({@code "unknown_symbol: <SYMBOL>"}). Pure.
 */
public final class Positions {
  /** Most positions of one portfolio. */
  public static final int MAX = 200;

  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");

  /** A well-formed symbol that is not known. */
  public static final class UnknownSymbol extends IllegalArgumentException {
    UnknownSymbol(String symbol) {
      super("unknown_symbol: " + symbol);
    }
  }

  private Positions() {}

  /** The owner rule of the gateway's OwnerIdentity: 1–64 characters of [A-Za-z0-9._@:-]. */
  public static boolean validOwner(Object owner) {
    return owner instanceof String s && OWNER.matcher(s).matches();
  }

  /** The canonical positions of a whole portfolio ({@code positions}: a JSON array). */
  public static JsonArray all(Object positions, Predicate<String> known) {
    if (!(positions instanceof JsonArray arr)) {
      throw bad("positions", "must be an array of {symbol, quantity, avgCost}");
    }
    if (arr.size() > MAX) {
      throw bad("positions", "at most " + MAX + " positions, got " + arr.size());
    }
    JsonArray out = new JsonArray();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonObject p = one(arr.getValue(i), "positions[" + i + "].", known);
      if (!seen.add(p.getString("symbol"))) {
        throw bad("positions[" + i + "].symbol", "a second position in " + p.getString("symbol"));
      }
      out.add(p);
    }
    return out;
  }

  /** One canonical position ({@code position}: a JSON object). */
  public static JsonObject one(Object position, Predicate<String> known) {
    return one(position, "position.", known);
  }

  /**
   * {@code current} with {@code position} replacing the one of its symbol (or added); fails when
   * that makes more than {@value #MAX}.
   */
  public static JsonArray upsert(JsonArray current, JsonObject position) {
    JsonArray out = new JsonArray();
    boolean replaced = false;
    for (int i = 0; i < current.size(); i++) {
      JsonObject p = current.getJsonObject(i);
      if (p.getString("symbol").equals(position.getString("symbol"))) {
        out.add(position);
        replaced = true;
      } else {
        out.add(p);
      }
    }
    if (!replaced) {
      if (out.size() >= MAX) {
        throw bad("positions", "at most " + MAX + " positions");
      }
      out.add(position);
    }
    return out;
  }

  /** {@code current} without the position in {@code symbol}; null when it holds none. */
  public static JsonArray remove(JsonArray current, String symbol) {
    List<Object> kept = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      JsonObject p = current.getJsonObject(i);
      if (!p.getString("symbol").equals(symbol)) {
        kept.add(p);
      }
    }
    return kept.size() == current.size() ? null : new JsonArray(kept);
  }

  /** A canonical symbol, or "bad_position: symbol: ..." . */
  public static String symbol(Object value, String field) {
    String s = value instanceof String str ? Symbols.normalize(str) : null;
    if (s == null) {
      throw bad(
          field,
          value == null
              ? "missing (a symbol such as BTCUSD)"
              : "'"
                  + clip(String.valueOf(value))
                  + "' is not a symbol (2 to 20 letters or digits)");
    }
    return s;
  }

  private static JsonObject one(Object position, String prefix, Predicate<String> known) {
    if (!(position instanceof JsonObject p)) {
      throw bad(
          prefix.substring(0, prefix.length() - 1),
          "must be an object {symbol, quantity, avgCost}");
    }
    String symbol = symbol(p.getValue("symbol"), prefix + "symbol");
    double quantity = number(p.getValue("quantity"), prefix + "quantity");
    if (quantity == 0) {
      throw bad(prefix + "quantity", "must not be 0 (negative = short)");
    }
    double avgCost = number(p.getValue("avgCost"), prefix + "avgCost");
    if (avgCost <= 0) {
      throw bad(prefix + "avgCost", "must be > 0, was " + avgCost);
    }
    if (!known.test(symbol)) {
      throw new UnknownSymbol(symbol);
    }
    return new JsonObject().put("symbol", symbol).put("quantity", quantity).put("avgCost", avgCost);
  }

  private static double number(Object v, String field) {
    if (v == null) {
      throw bad(field, "missing (a number)");
    }
    if (!(v instanceof Number n)) {
      throw bad(field, "must be a number, was '" + clip(String.valueOf(v)) + "'");
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw bad(field, "must be finite");
    }
    return d;
  }

  static IllegalArgumentException bad(String field, String why) {
    return new IllegalArgumentException("bad_position: " + field + ": " + why);
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
