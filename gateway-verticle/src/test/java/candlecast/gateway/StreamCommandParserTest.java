package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import org.junit.jupiter.api.Test;

/**
 * The messages of the stream service dialect ({@code /ws/stream}): every accepted form and every
 * malformed one.
 */
class StreamCommandParserTest {
  private static final int ALL = StreamDataType.EVERY;

  private static Command parse(String s) {
    return StreamCommandParser.parse(s);
  }

  private static void invalid(String message, String code, String text) {
    Command c = parse(message);
    assertThat(c).as(message).isInstanceOf(Command.Invalid.class);
    Command.Invalid i = (Command.Invalid) c;
    assertThat(i.code()).as(message).isEqualTo(code);
    assertThat(i.message()).as(message).contains(text);
    assertThat(i.command()).isNull();
  }

  @Test
  void theSeedsMessages() {
    assertThat(parse("{\"type\":\"subscribe\",\"symbol\":\"RELIANCE\"}"))
        .isEqualTo(new Command.StreamSubscribe("RELIANCE", "RELIANCE", ALL, Timeframe.M1));
    assertThat(parse("{\"type\":\"unsubscribe\",\"symbol\":\"RELIANCE\"}"))
        .isEqualTo(new Command.StreamUnsubscribe("RELIANCE", "RELIANCE"));
    assertThat(parse("{\"type\":\"heartbeat\",\"timestamp\":1706352600.123}"))
        .isEqualTo(new Command.Heartbeat(null));
    assertThat(parse("{\"type\":\"ping\",\"timestamp\":1706352600.123}"))
        .isEqualTo(new Command.Ping(null));
  }

  @Test
  void symbolsAreCanonicalAndKeepTheirSpelling() {
    assertThat(parse("{\"type\":\"subscribe\",\"symbol\":\"BTC-USD\"}"))
        .isEqualTo(new Command.StreamSubscribe("BTCUSD", "BTC-USD", ALL, Timeframe.M1));
    assertThat(parse("{\"type\":\"subscribe\",\"symbol\":\" eth-usd \"}"))
        .isEqualTo(new Command.StreamSubscribe("ETHUSD", "eth-usd", ALL, Timeframe.M1));
    assertThat(parse("{\"type\":\"unsubscribe\",\"symbol\":\"btc-usd\"}"))
        .isEqualTo(new Command.StreamUnsubscribe("BTCUSD", "btc-usd"));
  }

  @Test
  void dataTypesAndTimeframeAreOptional() {
    assertThat(
            parse(
                "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"data_types\":[\"market_data\"]}"))
        .isEqualTo(
            new Command.StreamSubscribe(
                "BTCUSD", "BTCUSD", StreamDataType.MARKET.bit(), Timeframe.M1));
    assertThat(
            parse(
                "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"data_types\":[\"candle_data\",\"tick_data\","
                    + "\"tick_data\"],\"timeframe\":\"5m\"}"))
        .isEqualTo(
            new Command.StreamSubscribe(
                "BTCUSD",
                "BTCUSD",
                StreamDataType.CANDLES.bit() | StreamDataType.TICKS.bit(),
                Timeframe.M5));
  }

  @Test
  void badJsonIsInvalidJsonFormat() {
    invalid("{\"type\":\"subscribe\",", ErrorCodes.INVALID_JSON, "Invalid JSON format");
    invalid("hello", ErrorCodes.INVALID_JSON, "Invalid JSON format");
    invalid("", ErrorCodes.INVALID_JSON, "Invalid JSON format");
    invalid("[1,2]", ErrorCodes.INVALID_JSON, "a message is a JSON object");
    invalid("42", ErrorCodes.INVALID_JSON, "a message is a JSON object");
    invalid("null", ErrorCodes.INVALID_JSON, "a message is a JSON object");
  }

  @Test
  void everyMalformedMessageGetsItsCode() {
    invalid("{\"symbol\":\"BTCUSD\"}", ErrorCodes.MISSING_FIELD, "missing field 'type'");
    invalid("{\"type\":7}", ErrorCodes.BAD_FIELD, "'type' must be a string");
    invalid("{\"type\":\"data\"}", ErrorCodes.UNKNOWN_TYPE, "unknown message type 'data'");
    invalid(
        "{\"type\":\"" + "x".repeat(500) + "\"}", ErrorCodes.UNKNOWN_TYPE, "x".repeat(64) + "'");
    invalid("{\"type\":\"subscribe\"}", ErrorCodes.MISSING_FIELD, "subscribe needs 'symbol'");
    invalid("{\"type\":\"unsubscribe\"}", ErrorCodes.MISSING_FIELD, "unsubscribe needs 'symbol'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTC_USD\"}",
        ErrorCodes.BAD_SYMBOL,
        "bad symbol 'BTC_USD'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"-BTC\"}", ErrorCodes.BAD_SYMBOL, "bad symbol '-BTC'");
    invalid("{\"type\":\"subscribe\",\"symbol\":42}", ErrorCodes.BAD_SYMBOL, "bad symbol '42'");
    invalid("{\"type\":\"unsubscribe\",\"symbol\":\"B\"}", ErrorCodes.BAD_SYMBOL, "bad symbol 'B'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"data_types\":[]}",
        ErrorCodes.BAD_FIELD,
        "'data_types' must be a non-empty list of market_data, tick_data, candle_data");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"data_types\":\"market_data\"}",
        ErrorCodes.BAD_FIELD,
        "'data_types'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"data_types\":[\"market_data\",\"news\"]}",
        ErrorCodes.BAD_FIELD,
        "'data_types'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"data_types\":[1]}",
        ErrorCodes.BAD_FIELD,
        "'data_types'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"timeframe\":\"7m\"}",
        ErrorCodes.UNKNOWN_TIMEFRAME,
        "unknown timeframe '7m'");
    invalid(
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"timeframe\":60}",
        ErrorCodes.UNKNOWN_TIMEFRAME,
        "unknown timeframe '60'");
  }
}
