package candlecast.gateway;

import candlecast.common.Book;
import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Parses the JSON commands of {@code /ws} (any text message whose first non-blank character is
 * <code>{</code>). Pure.
 *
 * <pre>
 *   {"type":"subscribe","symbol":"BTCUSD","tf":"5m","id":7,"since":1700000000000,"throttleMs":1000}
 *   {"type":"subscribe","channel":"ticker","symbol":"BTCUSD","id":8}
 *   {"type":"subscribe","channel":"trades","symbol":"BTC-USD","since":123456,"batch":50}
 *   {"type":"subscribe","channel":"book","symbol":"BTCUSD","depth":25}   {"type":"unsubscribe","channel":"book",..}
 *   {"type":"subscribe","channel":"indicator","symbol":"BTCUSD","tf":"1m","name":"rsi","params":{"period":14},"limit":200}
 *   {"type":"subscribe","channel":"risk","symbol":"BTCUSD","tf":"1h","key":"risk:30"}   (see {@link AnalysisCommands})
 *   {"type":"unsubscribe","symbol":"BTCUSD","tf":"5m","id":9}   {"type":"unsubscribe","channel":"ticker","symbol":..}
 *   {"type":"unsubscribe","all":true}
 *   {"type":"ping"}  {"type":"heartbeat"}  {"type":"list"}
 *   {"type":"history_batch","symbols":["BTCUSD","ETHUSD"],"tf":"1d","period":"1y"}
 * </pre>
 *
 * {@code id} (optional) is a number or a string of at most 64 characters and is echoed in every
 * reply to the command. Unknown fields are ignored. Never throws: bad input gives {@link
 * Command.Invalid} with a code of {@link ErrorCodes}.
 */
public final class JsonCommandParser {
  public static final String CHANNEL_CANDLES = "candles";
  public static final String CHANNEL_TICKER = "ticker";
  public static final String CHANNEL_TRADES = "trades";
  public static final String CHANNEL_BOOK = "book";
  public static final String CHANNEL_INDICATOR = "indicator";
  public static final String CHANNEL_PATTERNS = "patterns";
  public static final String CHANNEL_RISK = "risk";

  /** Book depths a client may subscribe to (each is one view cut once per book per node). */
  public static final List<Integer> BOOK_DEPTHS = Book.DEPTHS;

  public static final int DEFAULT_BOOK_DEPTH = 10;
  public static final long MAX_THROTTLE_MS = 60_000;
  static final int MAX_ID_CHARS = 64;

  private JsonCommandParser() {}

  /** True when a text message is meant as JSON. */
  public static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  public static Command parse(String text) {
    JsonObject j;
    try {
      Object v = io.vertx.core.json.Json.decodeValue(text);
      if (!(v instanceof JsonObject o)) {
        return invalid(
            ErrorCodes.INVALID_JSON,
            "a command is a JSON object such as {\"type\":\"ping\"}",
            null);
      }
      j = o;
    } catch (RuntimeException e) {
      return invalid(
          ErrorCodes.INVALID_JSON, "malformed JSON: " + clip(String.valueOf(e.getMessage())), null);
    }
    Object id = j.getValue("id");
    if (id != null
        && !(id instanceof Number)
        && !(id instanceof String s && s.length() <= MAX_ID_CHARS)) {
      return invalid(
          ErrorCodes.BAD_FIELD,
          "'id' must be a number or a string of at most " + MAX_ID_CHARS + " characters",
          null);
    }
    Object typeValue = j.getValue("type");
    if (typeValue == null) {
      return invalid(
          ErrorCodes.MISSING_FIELD,
          "missing field 'type' (subscribe, unsubscribe, ping, heartbeat or " + "list)",
          id);
    }
    if (!(typeValue instanceof String type)) {
      return invalid(ErrorCodes.BAD_FIELD, "'type' must be a string", id);
    }
    return switch (type) {
      case "subscribe" -> subscribe(j, id, true);
      case "unsubscribe" -> subscribe(j, id, false);
      case "ping" -> new Command.Ping(id);
      case "heartbeat" -> new Command.Heartbeat(id);
      case "list" -> new Command.ListSubscriptions(id);
      case "history_batch" -> new Command.HistoryBatch(j, id);
      case AlertCommands.CREATE, AlertCommands.DELETE, AlertCommands.LIST, AlertCommands.GET ->
          AlertCommands.parse(type, j, id);
      case PortfolioCommands.GET,
          PortfolioCommands.SET,
          PortfolioCommands.UPSERT,
          PortfolioCommands.REMOVE ->
          PortfolioCommands.request(type, j, id);
      default ->
          invalid(
              ErrorCodes.UNKNOWN_TYPE,
              "unknown type '"
                  + clip(type)
                  + "'; expected subscribe, "
                  + "unsubscribe, ping, heartbeat, list, history_batch, alert_create, alert_delete,"
                  + " alert_list, alert_get, portfolio_get, portfolio_set, portfolio_upsert or"
                  + " portfolio_remove",
              id);
    };
  }

  private static Command subscribe(JsonObject j, Object id, boolean subscribe) {
    String verb = subscribe ? "subscribe" : "unsubscribe";
    if (!subscribe && j.containsKey("all")) {
      if (!Boolean.TRUE.equals(j.getValue("all"))) {
        return invalid(ErrorCodes.BAD_FIELD, "'all' must be true", id);
      }
      return new Command.UnsubscribeAll(id);
    }
    Object channelValue = j.getValue("channel", CHANNEL_CANDLES);
    if (!(channelValue instanceof String channel)) {
      return invalid(ErrorCodes.BAD_FIELD, "'channel' must be a string", id);
    }
    if (channel.equals(AlertCommands.CHANNEL)) {
      return AlertCommands.subscribe(j, id, subscribe);
    }
    if (channel.equals(PortfolioCommands.CHANNEL)) {
      return PortfolioCommands.subscribe(j, id, subscribe);
    }
    if (!channel.equals(CHANNEL_CANDLES)
        && !channel.equals(CHANNEL_TICKER)
        && !channel.equals(CHANNEL_TRADES)
        && !channel.equals(CHANNEL_BOOK)
        && !AnalysisCommands.isChannel(channel)) {
      return invalid(
          ErrorCodes.UNKNOWN_CHANNEL,
          "unknown channel '"
              + clip(channel)
              + "'; expected candles, "
              + "ticker, trades, book, indicator, patterns, risk, alerts or portfolio",
          id);
    }
    Object symValue = j.getValue("symbol");
    if (symValue == null) {
      return invalid(ErrorCodes.MISSING_FIELD, verb + " needs 'symbol', e.g. \"BTCUSD\"", id);
    }
    String symbol = symValue instanceof String s ? Symbols.normalize(s) : null;
    if (symbol == null) {
      return invalid(
          ErrorCodes.BAD_SYMBOL,
          "bad symbol '"
              + clip(String.valueOf(symValue))
              + "': a symbol is 2 to 20 letters or digits, e.g. BTCUSD (or BTC-USD)",
          id);
    }
    if (channel.equals(CHANNEL_TICKER)) {
      return subscribe
          ? new Command.SubscribeTicker(symbol, id)
          : new Command.UnsubscribeTicker(symbol, id);
    }
    if (channel.equals(CHANNEL_TRADES)) {
      return subscribe ? trades(j, id, symbol) : new Command.UnsubscribeTrades(symbol, id);
    }
    if (channel.equals(CHANNEL_BOOK)) {
      return subscribe ? book(j, id, symbol) : new Command.UnsubscribeBook(symbol, id);
    }
    if (AnalysisCommands.isChannel(channel)) {
      return AnalysisCommands.parse(j, id, symbol, channel, subscribe);
    }
    return candles(j, id, symbol, subscribe);
  }

  /**
   * The trades channel's subscribe: {@code since} (a trade id) and {@code batch} (trades per frame,
   * at least 1).
   */
  private static Command trades(JsonObject j, Object id, String symbol) {
    Long since = null;
    if (j.getValue("since") != null) {
      since = wholeNumber(j.getValue("since"));
      if (since == null || since < 0) {
        return invalid(
            ErrorCodes.BAD_FIELD, "'since' must be a trade id (a whole number >= 0)", id);
      }
    }
    Integer batch = null;
    if (j.getValue("batch") != null) {
      Long v = wholeNumber(j.getValue("batch"));
      if (v == null || v < 1) {
        return invalid(
            ErrorCodes.BAD_FIELD,
            "'batch' must be a whole number >= 1 (trades per frame; the server " + "caps it)",
            id);
      }
      batch = (int) Math.min(v, Integer.MAX_VALUE);
    }
    return new Command.SubscribeTrades(symbol, id, since, batch);
  }

  /**
   * The candle channel's (un)subscribe: {@code tf}, and {@code since} and {@code throttleMs} to
   * subscribe.
   */
  private static Command candles(JsonObject j, Object id, String symbol, boolean subscribe) {
    String verb = subscribe ? "subscribe" : "unsubscribe";
    Object tfValue = j.getValue("tf");
    if (tfValue == null) {
      return invalid(
          ErrorCodes.MISSING_FIELD, verb + " needs 'tf', one of " + Timeframe.labels(), id);
    }
    Timeframe tf = tfValue instanceof String s ? Timeframe.tryParse(s) : null;
    if (tf == null) {
      return invalid(
          ErrorCodes.UNKNOWN_TIMEFRAME,
          "unknown timeframe '"
              + clip(String.valueOf(tfValue))
              + "'; expected one of "
              + Timeframe.labels(),
          id);
    }
    SeriesKey key = new SeriesKey(symbol, tf);
    if (!subscribe) {
      return new Command.Unsubscribe(key, id);
    }
    Long since = null;
    if (j.getValue("since") != null) {
      Long v = wholeNumber(j.getValue("since"));
      if (v == null || v < 0) {
        return invalid(
            ErrorCodes.BAD_FIELD,
            "'since' must be an open time in epoch milliseconds (a whole number " + ">= 0)",
            id);
      }
      since = v;
    }
    long throttle = 0;
    if (j.getValue("throttleMs") != null) {
      Long v = wholeNumber(j.getValue("throttleMs"));
      if (v == null || v < 0 || v > MAX_THROTTLE_MS) {
        return invalid(
            ErrorCodes.BAD_FIELD,
            "'throttleMs' must be a whole number between 0 and " + MAX_THROTTLE_MS,
            id);
      }
      throttle = v;
    }
    return new Command.Subscribe(key, id, since, throttle);
  }

  /** The book channel's subscribe: {@code depth} 10, 25 or 100 (default 10). */
  private static Command book(JsonObject j, Object id, String symbol) {
    Object d = j.getValue("depth");
    if (d == null) {
      return new Command.SubscribeBook(symbol, DEFAULT_BOOK_DEPTH, id);
    }
    Long v = wholeNumber(d);
    if (v == null || v < 1 || v > Book.MAX_DEPTH || !BOOK_DEPTHS.contains(v.intValue())) {
      return invalid(
          ErrorCodes.BAD_FIELD,
          "'depth' must be one of " + BOOK_DEPTHS + ", was " + clip(String.valueOf(d)),
          id);
    }
    return new Command.SubscribeBook(symbol, v.intValue(), id);
  }

  static Long wholeNumber(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return d.longValue();
    }
    return null;
  }

  static Command.Invalid invalid(String code, String message, Object id) {
    return new Command.Invalid(code, message, null, id);
  }

  static String clip(String s) {
    return CommandParser.echo(s);
  }
}
