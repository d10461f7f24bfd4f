package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Parses the messages of the stream service dialect ({@code /ws/stream}, the seed's protocol).
 * Pure.
 *
 * <pre>
 *   {"type":"subscribe","symbol":"BTC-USD"}            market, tick and candle data of a symbol
 *   {"type":"subscribe","symbol":"BTCUSD","data_types":["market_data"],"timeframe":"5m"}   (both optional)
 *   {"type":"unsubscribe","symbol":"BTC-USD"}
 *   {"type":"heartbeat","timestamp":1706352600.123}    {"type":"ping"}
 * </pre>
 *
 * The symbol may be written in any case and in the dashed style; it is kept as written (trimmed)
 * for the replies and data of the subscription. Unknown fields (the seed's {@code timestamp}) are
 * ignored. Never throws: bad input gives {@link Command.Invalid} with a code of {@link ErrorCodes}.
 */
final class StreamCommandParser {
  static final String TYPES = "subscribe, unsubscribe, heartbeat or ping";

  private StreamCommandParser() {}

  static Command parse(String text) {
    JsonObject j;
    try {
      Object v = Json.decodeValue(text);
      if (!(v instanceof JsonObject o)) {
        return invalid(
            ErrorCodes.INVALID_JSON,
            "Invalid JSON format: a message is a JSON object such as "
                + "{\"type\":\"subscribe\",\"symbol\":\"BTC-USD\"}");
      }
      j = o;
    } catch (RuntimeException e) {
      return invalid(
          ErrorCodes.INVALID_JSON,
          "Invalid JSON format: " + CommandParser.echo(String.valueOf(e.getMessage())));
    }
    Object typeValue = j.getValue("type");
    if (typeValue == null) {
      return invalid(ErrorCodes.MISSING_FIELD, "missing field 'type' (" + TYPES + ")");
    }
    if (!(typeValue instanceof String type)) {
      return invalid(ErrorCodes.BAD_FIELD, "'type' must be a string (" + TYPES + ")");
    }
    return switch (type) {
      case "subscribe" -> subscribe(j);
      case "unsubscribe" -> unsubscribe(j);
      case "heartbeat" -> new Command.Heartbeat(null);
      case "ping" -> new Command.Ping(null);
      default ->
          invalid(
              ErrorCodes.UNKNOWN_TYPE,
              "unknown message type '" + CommandParser.echo(type) + "'; expected " + TYPES);
    };
  }

  private static Command subscribe(JsonObject j) {
    Object symbolValue = j.getValue("symbol");
    String symbol = symbol(symbolValue);
    if (symbol == null) {
      return symbolError("subscribe", symbolValue);
    }
    int types = StreamDataType.EVERY;
    if (j.getValue("data_types") != null) {
      types = types(j.getValue("data_types"));
      if (types == 0) {
        return invalid(
            ErrorCodes.BAD_FIELD,
            "'data_types' must be a non-empty list of " + StreamDataType.labels());
      }
    }
    Timeframe tf = Timeframe.M1;
    Object tfValue = j.getValue("timeframe");
    if (tfValue != null) {
      tf = tfValue instanceof String s ? Timeframe.tryParse(s) : null;
      if (tf == null) {
        return invalid(
            ErrorCodes.UNKNOWN_TIMEFRAME,
            "unknown timeframe '"
                + CommandParser.echo(String.valueOf(tfValue))
                + "'; expected one of "
                + Timeframe.labels());
      }
    }
    return new Command.StreamSubscribe(symbol, ((String) symbolValue).trim(), types, tf);
  }

  private static Command unsubscribe(JsonObject j) {
    Object symbolValue = j.getValue("symbol");
    String symbol = symbol(symbolValue);
    if (symbol == null) {
      return symbolError("unsubscribe", symbolValue);
    }
    return new Command.StreamUnsubscribe(symbol, ((String) symbolValue).trim());
  }

  /** The canonical symbol of a {@code symbol} field; null when it is missing or not a symbol. */
  private static String symbol(Object v) {
    return v instanceof String s ? Symbols.normalize(s) : null;
  }

  private static Command.Invalid symbolError(String verb, Object v) {
    if (v == null) {
      return invalid(
          ErrorCodes.MISSING_FIELD,
          verb + " needs 'symbol', e.g. {\"type\":\"" + verb + "\",\"symbol\":\"BTC-USD\"}");
    }
    return invalid(
        ErrorCodes.BAD_SYMBOL,
        "bad symbol '"
            + CommandParser.echo(String.valueOf(v))
            + "': a symbol is 2 to 20 letters or digits, e.g. BTCUSD or BTC-USD");
  }

  /** The bit set of a {@code data_types} list; 0 when it is not a non-empty list of known names. */
  private static int types(Object v) {
    if (!(v instanceof JsonArray arr) || arr.isEmpty()) {
      return 0;
    }
    int bits = 0;
    for (Object o : arr) {
      StreamDataType t = o instanceof String s ? StreamDataType.byLabel(s) : null;
      if (t == null) {
        return 0;
      }
      bits |= t.bit();
    }
    return bits;
  }

  private static Command.Invalid invalid(String code, String message) {
    return new Command.Invalid(code, message, null, null);
  }
}
