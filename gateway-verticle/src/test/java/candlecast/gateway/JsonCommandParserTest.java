package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonCommandParserTest {
  private static final SeriesKey BTC_5M = new SeriesKey("BTCUSD", Timeframe.M5);

  @Test
  void subscribeWithEveryOption() {
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"symbol\":\"btcusd\",\"tf\":\"5m\",\"id\":7}"))
        .isEqualTo(new Command.Subscribe(BTC_5M, 7, null, 0));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"5m\",\"id\":\"a-1\","
                    + "\"since\":1700000000000,\"throttleMs\":1000,\"extra\":[1]}"))
        .isEqualTo(new Command.Subscribe(BTC_5M, "a-1", 1_700_000_000_000L, 1000));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\","
                    + "\"tf\":\"5m\",\"since\":1.7e12}"))
        .isEqualTo(new Command.Subscribe(BTC_5M, null, 1_700_000_000_000L, 0));
  }

  @Test
  void tradesChannelAndDashedSymbols() {
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"btc-usd\"}"))
        .isEqualTo(new Command.SubscribeTrades("BTCUSD", null, null, null));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\","
                    + "\"since\":123456789012,\"batch\":50,\"id\":\"t\",\"tf\":\"ignored\"}"))
        .isEqualTo(new Command.SubscribeTrades("BTCUSD", "t", 123_456_789_012L, 50));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\","
                    + "\"batch\":1e12}"))
        .as("capped later by the server")
        .isEqualTo(new Command.SubscribeTrades("BTCUSD", null, null, Integer.MAX_VALUE));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"unsubscribe\",\"channel\":\"trades\",\"symbol\":\"ETH-USD\","
                    + "\"id\":2}"))
        .isEqualTo(new Command.UnsubscribeTrades("ETHUSD", 2));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"symbol\":\"eth-usd\",\"tf\":\"5m\"}"))
        .isEqualTo(new Command.Subscribe(new SeriesKey("ETHUSD", Timeframe.M5), null, null, 0));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"channel\":\"ticker\",\"symbol\":\"ETH-USD\"}"))
        .isEqualTo(new Command.SubscribeTicker("ETHUSD", null));
  }

  @Test
  void otherCommands() {
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"subscribe\",\"channel\":\"ticker\",\"symbol\":\"ethusd\",\"id\":1}"))
        .isEqualTo(new Command.SubscribeTicker("ETHUSD", 1));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"unsubscribe\",\"channel\":\"ticker\",\"symbol\":\"ETHUSD\"}"))
        .isEqualTo(new Command.UnsubscribeTicker("ETHUSD", null));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"unsubscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"5m\",\"id\":3}"))
        .isEqualTo(new Command.Unsubscribe(BTC_5M, 3));
    assertThat(JsonCommandParser.parse(" {\"type\":\"unsubscribe\",\"all\":true,\"id\":4}"))
        .isEqualTo(new Command.UnsubscribeAll(4));
    assertThat(JsonCommandParser.parse("{\"type\":\"ping\",\"id\":5}"))
        .isEqualTo(new Command.Ping(5));
    assertThat(JsonCommandParser.parse("{\"type\":\"heartbeat\"}"))
        .isEqualTo(new Command.Heartbeat(null));
    assertThat(JsonCommandParser.parse("{\"type\":\"list\",\"id\":6}"))
        .isEqualTo(new Command.ListSubscriptions(6));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{|invalid_json|malformed JSON",
        "[1,2]|invalid_json|a command is a JSON object",
        "{\"type\":1}|bad_field|'type' must be a string",
        "{\"op\":1}|missing_field|missing field 'type'",
        "{\"type\":\"dance\"}|unknown_type|unknown type 'dance'",
        "{\"type\":\"subscribe\",\"tf\":\"1m\"}|missing_field|needs 'symbol'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTC--USD\",\"tf\":\"1m\"}|bad_symbol|bad symbol 'BTC--USD'",
        "{\"type\":\"subscribe\",\"symbol\":42,\"tf\":\"1m\"}|bad_symbol|bad symbol '42'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\"}|missing_field|needs 'tf'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"7m\"}|unknown_timeframe|unknown timeframe '7m'",
        "{\"type\":\"subscribe\",\"channel\":\"trade\",\"symbol\":\"BTCUSD\"}|unknown_channel|unknown channel 'trade'",
        "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTC USD\"}|bad_symbol|bad symbol",
        "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"since\":-1}|bad_field|'since' must be a trade id",
        "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"since\":\"7\"}|bad_field|'since' must be a trade id",
        "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"batch\":0}|bad_field|'batch'",
        "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"batch\":1.5}|bad_field|'batch'",
        "{\"type\":\"unsubscribe\",\"channel\":\"trades\"}|missing_field|needs 'symbol'",
        "{\"type\":\"subscribe\",\"channel\":5,\"symbol\":\"BTCUSD\"}|bad_field|'channel' must be a string",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"since\":-1}|bad_field|'since'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"since\":\"x\"}|bad_field|'since'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"since\":1.5}|bad_field|'since'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"throttleMs\":60001}|bad_field|'throttleMs'",
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"throttleMs\":true}|bad_field|'throttleMs'",
        "{\"type\":\"ping\",\"id\":{\"a\":1}}|bad_field|'id' must be",
        "{\"type\":\"unsubscribe\",\"all\":1}|bad_field|'all' must be true",
      })
  void everyErrorCode(String text, String code, String message) {
    Command c = JsonCommandParser.parse(text);
    assertThat(c).isInstanceOf(Command.Invalid.class);
    Command.Invalid e = (Command.Invalid) c;
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.message()).contains(message);
    assertThat(e.command()).as("JSON errors echo the id, never the command").isNull();
    assertThat(e.toJson().fieldNames()).containsExactly("type", "code", "message");
  }

  @Test
  void errorsEchoTheIdWhenThereIsOne() {
    Command.Invalid e = (Command.Invalid) JsonCommandParser.parse("{\"type\":\"nope\",\"id\":99}");
    assertThat(e.toJson().getInteger("id")).isEqualTo(99);
    Command.Invalid tooLong =
        (Command.Invalid)
            JsonCommandParser.parse("{\"type\":\"ping\",\"id\":\"" + "x".repeat(65) + "\"}");
    assertThat(tooLong.code()).isEqualTo(ErrorCodes.BAD_FIELD);
  }

  @Test
  void deeplyNestedJsonIsAnErrorNotACrash() {
    String deep = "[".repeat(3000) + "]".repeat(3000);
    assertThat(((Command.Invalid) JsonCommandParser.parse(deep)).code())
        .isEqualTo(ErrorCodes.INVALID_JSON);
    String deepObj = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
    assertThat(((Command.Invalid) JsonCommandParser.parse(deepObj)).code())
        .isIn(ErrorCodes.INVALID_JSON, ErrorCodes.MISSING_FIELD);
  }

  @Test
  void jsonIsRecognisedByItsFirstCharacter() {
    assertThat(JsonCommandParser.looksLikeJson(" \n{\"type\":\"ping\"}")).isTrue();
    assertThat(JsonCommandParser.looksLikeJson("[1]")).isTrue();
    assertThat(JsonCommandParser.looksLikeJson("sub-1m")).isFalse();
    assertThat(JsonCommandParser.looksLikeJson("   ")).isFalse();
  }
}
