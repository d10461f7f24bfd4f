package candlecast.feed;

import candlecast.common.Json;
import candlecast.common.Side;
import candlecast.common.Trade;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bitstamp's WebSocket API v2 and the REST transactions endpoint, as pure functions: frames to
 * send, and parsing of what arrives. Ids are read exactly ({@code id_str} first, else the integer
 * token, never through a double); time from {@code microtimestamp}; price and amount from the
 * {@code _str} fields.
 */
final class BitstampProtocol {
  /** Client frames must stay under 512 bytes. */
  static final int MAX_CLIENT_FRAME_BYTES = 511;

  /** Channels one connection may carry. */
  static final int MAX_CHANNELS = 1024;

  static final String CHANNEL_PREFIX = "live_trades_";

  private BitstampProtocol() {}

  /** BTCUSD → btcusd. */
  static String pair(String symbol) {
    return symbol.toLowerCase(Locale.ROOT);
  }

  /** BTCUSD → live_trades_btcusd. */
  static String channel(String symbol) {
    return CHANNEL_PREFIX + pair(symbol);
  }

  static String subscribeFrame(String channel) {
    return checked("{\"event\":\"bts:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
  }

  static String heartbeatFrame() {
    return checked("{\"event\":\"bts:heartbeat\"}");
  }

  private static String checked(String frame) {
    int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_CLIENT_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "Bitstamp client frame of "
              + bytes
              + " bytes exceeds "
              + MAX_CLIENT_FRAME_BYTES
              + ": "
              + frame.substring(0, 80)
              + "...");
    }
    return frame;
  }

  // ------------------------------------------------------------------------------------------
  // incoming

  /** One frame from the server. */
  sealed interface Message {}

  /**
   * A {@code trade} event: the trade, or the reason it could not even be parsed ({@code trade} then
   * null). A parsed trade may still be invalid (zero price, unknown side, missing id...):
   * validation is the gate's job.
   */
  record TradeEvent(String channel, Trade trade, String problem) implements Message {}

  record SubscriptionSucceeded(String channel) implements Message {}

  record Heartbeat(String status) implements Message {}

  record RequestReconnect() implements Message {}

  @SuppressWarnings("JavaLangClash") // the protocol's bts:error event; outside this file always
  // BitstampProtocol.Error
  record Error(String channel, String message) implements Message {}

  /** Any other event (e.g. bts:unsubscription_succeeded). */
  record Other(String event) implements Message {}

  record Malformed(String reason) implements Message {}

  /** Parses a text frame; {@code symbolsByChannel} maps subscribed channels to symbols. */
  static Message parse(String text, Map<String, String> symbolsByChannel) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return new Malformed("malformed JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      return new Malformed("not a JSON object");
    }
    JsonNode ev = n.get("event");
    if (ev == null || !ev.isTextual()) {
      return new Malformed("no event");
    }
    String event = ev.textValue();
    String channel = text(n, "channel");
    JsonNode data = n.get("data");
    return switch (event) {
      case "trade" ->
          tradeEvent(channel, channel == null ? null : symbolsByChannel.get(channel), data);
      case "bts:subscription_succeeded" -> new SubscriptionSucceeded(channel);
      case "bts:heartbeat" -> new Heartbeat(text(data, "status"));
      case "bts:request_reconnect" -> new RequestReconnect();
      case "bts:error" -> {
        String message = text(data, "message");
        yield new Error(channel, message == null ? String.valueOf(data) : message);
      }
      default -> new Other(event);
    };
  }

  /** The text field {@code field} of {@code data}, or null. */
  private static String text(JsonNode data, String field) {
    return data != null && data.path(field).isTextual() ? data.get(field).textValue() : null;
  }

  /** A trade event of {@code channel} (subscribed for {@code symbol}, or unknown: null). */
  private static TradeEvent tradeEvent(String channel, String symbol, JsonNode data) {
    if (symbol == null) {
      return new TradeEvent(channel, null, "trade on unknown channel '" + channel + "'");
    }
    if (data == null || !data.isObject()) {
      return new TradeEvent(channel, null, "trade without a data object");
    }
    return parseTradeData(channel, symbol, data);
  }

  private static TradeEvent parseTradeData(String channel, String symbol, JsonNode d) {
    try {
      return new TradeEvent(channel, trade(symbol, id(d), time(d), d), null);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return new TradeEvent(channel, null, e.getMessage());
    }
  }

  /**
   * The trade with price, amount and side read from {@code d} (the WebSocket's data and a REST row
   * share them).
   */
  private static Trade trade(String symbol, long id, long time, JsonNode d) {
    double price = decimal(d, "price_str", "price");
    double amount = decimal(d, "amount_str", "amount");
    return new Trade(symbol, id, time, price, amount, side(d.get("type")));
  }

  /**
   * {@code id_str} when present, else the integer {@code id}; -1 when neither is there (the gate
   * rejects it).
   */
  private static long id(JsonNode d) {
    JsonNode s = d.get("id_str");
    if (s != null && !s.isNull()) {
      return longOf(s, "id_str");
    }
    JsonNode n = d.get("id");
    if (n == null || n.isNull()) {
      return -1;
    }
    return longOf(n, "id");
  }

  /**
   * microtimestamp (µs) when present, else timestamp (s); 0 when neither is there (the gate rejects
   * it).
   */
  private static long time(JsonNode d) {
    JsonNode micro = d.get("microtimestamp");
    if (micro != null && !micro.isNull()) {
      return Math.floorDiv(longOf(micro, "microtimestamp"), 1000);
    }
    JsonNode sec = d.get("timestamp");
    if (sec != null && !sec.isNull()) {
      return Math.multiplyExact(longOf(sec, "timestamp"), 1000);
    }
    return 0;
  }

  /** An integer token, or a string holding one, read exactly (never through a double). */
  private static long longOf(JsonNode n, String field) {
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.textValue().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed " + field + " '" + n.textValue() + "'");
      }
    }
    throw new IllegalArgumentException("malformed " + field + " " + n);
  }

  /**
   * The {@code _str} field when present, else the number; NaN when neither is there (the gate
   * rejects it).
   */
  private static double decimal(JsonNode d, String strField, String numField) {
    JsonNode s = d.get(strField);
    if (s != null && !s.isNull()) {
      if (!s.isTextual()) {
        throw new IllegalArgumentException("malformed " + strField + " " + s);
      }
      return parseDecimal(s.textValue(), strField);
    }
    JsonNode n = d.get(numField);
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      return parseDecimal(n.textValue(), numField);
    }
    throw new IllegalArgumentException("malformed " + numField + " " + n);
  }

  private static double parseDecimal(String s, String field) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed " + field + " '" + s + "'");
    }
  }

  /**
   * 0 = buy, 1 = sell (the taker's side); anything else is null (the gate rejects it as an unknown
   * side).
   */
  private static Side side(JsonNode type) {
    if (type == null || type.isNull()) {
      return null;
    }
    String v =
        type.isTextual() ? type.textValue().trim() : type.isIntegralNumber() ? type.asText() : "";
    return switch (v) {
      case "0" -> Side.BUY;
      case "1" -> Side.SELL;
      default -> null;
    };
  }

  // ------------------------------------------------------------------------------------------ REST

  /**
   * A parsed row of {@code /api/v2/transactions/{pair}/}: the trade, or why it could not be parsed.
   */
  record RestRow(Trade trade, String problem, String raw) {}

  /**
   * Parses the body of {@code GET /api/v2/transactions/{pair}/?time=...}: a JSON array of {@code
   * {"date":"<s>","tid":"<id>","price":"…","amount":"…","type":"0|1"}}, newest first. Times are
   * whole seconds.
   *
   * @throws IllegalArgumentException when the body is not a JSON array
   */
  static List<RestRow> parseTransactions(String body, String symbol) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("transactions: malformed JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isArray()) {
      String s = String.valueOf(n);
      throw new IllegalArgumentException(
          "transactions: expected a JSON array, got "
              + (s.length() > 200 ? s.substring(0, 200) + "..." : s));
    }
    List<RestRow> out = new ArrayList<>(n.size());
    for (JsonNode row : n) {
      try {
        if (!row.isObject()) {
          throw new IllegalArgumentException("row is not an object");
        }
        JsonNode tid = row.get("tid");
        long id = tid == null || tid.isNull() ? -1 : longOf(tid, "tid");
        JsonNode date = row.get("date");
        long time =
            date == null || date.isNull() ? 0 : Math.multiplyExact(longOf(date, "date"), 1000);
        out.add(new RestRow(trade(symbol, id, time, row), null, row.toString()));
      } catch (IllegalArgumentException | ArithmeticException e) {
        out.add(new RestRow(null, "back-fill row: " + e.getMessage(), row.toString()));
      }
    }
    return out;
  }

  /**
   * The {@code time} parameter whose window covers {@code spanMs} back from now: minute, hour or
   * day.
   */
  static String transactionsWindow(long spanMs) {
    if (spanMs <= 55_000) {
      return "minute";
    }
    if (spanMs <= 3_540_000) {
      return "hour";
    }
    return "day";
  }

  /** Milliseconds a {@link #transactionsWindow} value covers. */
  static long windowMs(String window) {
    return switch (window) {
      case "minute" -> 60_000;
      case "hour" -> 3_600_000;
      default -> 86_400_000;
    };
  }
}
