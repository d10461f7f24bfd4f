package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {
  private final CommandParser parser = new CommandParser("BTCUSD");

  @ParameterizedTest
  @CsvSource({
    "sub-1s,S1",
    "sub-1m,M1",
    "sub-5m,M5",
    "sub-15m,M15",
    "sub-1h,H1",
    "sub-4h,H4",
    "sub-1d,D1",
    "sub-1w,W1",
    "sub-1M,MN1"
  })
  void everyTimeframeSubscribesTheDefaultSymbol(String text, Timeframe tf) {
    assertThat(parser.parse(text)).isEqualTo(new Command.Subscribe("BTCUSD", tf));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sub-5m:ETHUSD",
        "sub-5m:ethusd",
        "sub-5m:EthUsd",
        "sub-5m:ETH-USD",
        "sub-5m:eth-usd"
      })
  void namedSymbolIsCaseInsensitiveAndMayBeDashed(String text) {
    assertThat(parser.parse(text)).isEqualTo(new Command.Subscribe("ETHUSD", Timeframe.M5));
  }

  @Test
  void symbolsWithDigitsAndBoundsOfLength() {
    assertThat(parser.parse("sub-1d:PUMP2SOL"))
        .isEqualTo(new Command.Subscribe("PUMP2SOL", Timeframe.D1));
    assertThat(parser.parse("sub-1d:AB")).isEqualTo(new Command.Subscribe("AB", Timeframe.D1));
    assertThat(parser.parse("sub-1d:" + "A".repeat(20)))
        .isEqualTo(new Command.Subscribe("A".repeat(20), Timeframe.D1));
  }

  @Test
  void subscribeKeyNamesTheSeries() {
    SeriesKey key = ((Command.Subscribe) parser.parse("sub-15m:ethusd")).key();
    assertThat(key).isEqualTo(new SeriesKey("ETHUSD", Timeframe.M15));
    assertThat(key.address()).isEqualTo("candles.ETHUSD.15m");
  }

  @Test
  void unsub() {
    assertThat(parser.parse("unsub")).isInstanceOf(Command.UnsubscribeAll.class);
  }

  @Test
  void surroundingWhitespaceOfLineOrientedClientsIsIgnored() {
    assertThat(parser.parse("sub-1m\n")).isEqualTo(new Command.Subscribe("BTCUSD", Timeframe.M1));
    assertThat(parser.parse("  unsub\r\n")).isInstanceOf(Command.UnsubscribeAll.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", "\t \r\n"})
  void emptyCommand(String text) {
    Command.Invalid e = invalid(text);
    assertThat(e.code()).isEqualTo(CommandParser.CODE_EMPTY);
    assertThat(e.message()).startsWith("empty command").contains("sub-<tf>").contains("unsub");
  }

  @Test
  void nullIsEmpty() {
    assertThat(invalid(null).code()).isEqualTo(CommandParser.CODE_EMPTY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello",
        "subscribe",
        "SUB-1m",
        "UNSUB",
        "unsubscribe",
        "sub",
        "sub1m",
        "{\"op\":\"sub\"}"
      })
  void unknownCommandNamesIt(String text) {
    Command.Invalid e = invalid(text);
    assertThat(e.code()).isEqualTo(CommandParser.CODE_UNKNOWN_COMMAND);
    assertThat(e.message())
        .contains("'" + text + "'")
        .contains("sub-<tf>")
        .contains("1s, 1m, 5m, 15m, 1h, 4h, 1d, 1w, 1M");
    assertThat(e.command()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sub-2m", "sub-", "sub-1W", "sub-1mo", "sub-60s", "sub-:ETHUSD", "sub-1m :ETHUSD"})
  void unknownTimeframeNamesTheCommand(String text) {
    Command.Invalid e = invalid(text);
    assertThat(e.code()).isEqualTo(CommandParser.CODE_UNKNOWN_TIMEFRAME);
    assertThat(e.message())
        .contains("in command '" + text + "'")
        .contains("expected one of 1s, 1m");
    assertThat(e.command()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sub-1m:",
        "sub-1m:B",
        "sub-1m:BTC--USD",
        "sub-1m:-BTC",
        "sub-1m:BTC/USD",
        "sub-1m: BTCUSD",
        "sub-1m:BTCUSD:X",
        "sub-1m:ABCDEFGHIJKLMNOPQRSTU",
        "sub-1m:ÄBC"
      })
  void badSymbolNamesTheCommand(String text) {
    Command.Invalid e = invalid(text);
    assertThat(e.code()).isEqualTo(CommandParser.CODE_BAD_SYMBOL);
    assertThat(e.message())
        .contains("in command '" + text + "'")
        .contains("2 to 20 letters or digits");
    assertThat(e.command()).isEqualTo(text);
  }

  @Test
  void unsubOneSeries() {
    assertThat(parser.parse("unsub-5m"))
        .isEqualTo(new Command.Unsubscribe(new SeriesKey("BTCUSD", Timeframe.M5), null));
    assertThat(parser.parse("unsub-1h:ethusd\n"))
        .isEqualTo(new Command.Unsubscribe(new SeriesKey("ETHUSD", Timeframe.H1), null));
    assertThat(invalid("unsub-7m").code()).isEqualTo(CommandParser.CODE_UNKNOWN_TIMEFRAME);
    assertThat(invalid("unsub-1m:BTC_USD").code()).isEqualTo(CommandParser.CODE_BAD_SYMBOL);
    assertThat(parser.parse("unsub-1m:eth-usd"))
        .isEqualTo(new Command.Unsubscribe(new SeriesKey("ETHUSD", Timeframe.M1), null));
    assertThat(invalid("unsub-").code()).isEqualTo(CommandParser.CODE_UNKNOWN_TIMEFRAME);
  }

  @Test
  void echoIsTruncatedTo64CharsWithoutSplittingSurrogates() {
    String longCmd = "bogus-" + "x".repeat(200);
    Command.Invalid e = invalid(longCmd);
    assertThat(e.command()).hasSize(64).isEqualTo(longCmd.substring(0, 64));
    assertThat(e.message())
        .contains("'" + longCmd.substring(0, 64) + "'")
        .doesNotContain(longCmd.substring(0, 65));
    String emoji = "x".repeat(63) + "😀" + "tail";
    assertThat(CommandParser.echo(emoji)).isEqualTo("x".repeat(63));
  }

  @Test
  void binaryMessagesAreRejected() {
    Command.Invalid e = (Command.Invalid) parser.binary(12);
    assertThat(e.code()).isEqualTo(CommandParser.CODE_BINARY);
    assertThat(e.message()).contains("binary").contains("12 bytes").contains("text command");
    assertThat(e.command()).isEqualTo("<binary message of 12 bytes>");
  }

  @Test
  void errorJsonShape() {
    Command.Invalid e = invalid("nope");
    assertThat(e.toJson().fieldNames()).containsExactly("type", "code", "message", "command");
    assertThat(e.toJson().getString("type")).isEqualTo("error");
  }

  @Test
  void defaultSymbolMustBeValid() {
    assertThatThrownBy(() -> new CommandParser("btc-usd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new CommandParser("ETHUSD").parse("sub-1h"))
        .isEqualTo(new Command.Subscribe("ETHUSD", Timeframe.H1));
  }

  private Command.Invalid invalid(String text) {
    Command c = parser.parse(text);
    assertThat(c).isInstanceOf(Command.Invalid.class);
    return (Command.Invalid) c;
  }
}
