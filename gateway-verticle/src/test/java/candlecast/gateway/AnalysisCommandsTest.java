package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The analysis channels' commands of the JSON protocol ({@link AnalysisCommands}). */
class AnalysisCommandsTest {
  private static Command parse(String json) {
    return JsonCommandParser.parse(json);
  }

  @Test
  void nameAndParamsOrKeyNameTheSameCanonicalSeries() {
    Command byName =
        parse(
            "{\"type\":\"subscribe\",\"channel\":\"indicator\",\"symbol\":\"btc-usd\",\"tf\":\"1m\","
                + "\"name\":\"Bollinger\",\"params\":{\"Period\":20.0},\"limit\":200,\"id\":3}");
    AnalysisSpec bb = AnalysisSpec.parse("bb", Map.of("period", 20, "mult", 2));
    assertThat(byName)
        .isEqualTo(new Command.SubscribeAnalysis("indicator", "BTCUSD", Timeframe.M1, bb, 200, 3));
    Command byKey =
        parse(
            "{\"type\":\"subscribe\",\"channel\":\"indicator\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\","
                + "\"key\":\"bb:20:2\"}");
    assertThat(byKey)
        .isEqualTo(
            new Command.SubscribeAnalysis(
                "indicator", "BTCUSD", Timeframe.M1, bb, AnalysisHub.DEFAULT_LIMIT, null));
    assertThat(((Command.SubscribeAnalysis) byKey).key())
        .isEqualTo(((Command.SubscribeAnalysis) byName).key());
    assertThat(
            parse(
                "{\"type\":\"unsubscribe\",\"channel\":\"patterns\",\"symbol\":\"BTCUSD\","
                    + "\"tf\":\"5m\"}"))
        .isEqualTo(
            new Command.UnsubscribeAnalysis(
                "patterns",
                "BTCUSD",
                Timeframe.M5,
                AnalysisSpec.parse("patterns", Map.of()),
                null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'channel':'indicator','tf':'1m','name':'foo'}|unknown_indicator",
        "{'channel':'indicator','tf':'1m','name':7}|unknown_indicator",
        "{'channel':'indicator','tf':'1m','name':'risk'}|unknown_indicator",
        "{'channel':'risk','tf':'1m','key':'sma:3'}|unknown_indicator",
        "{'channel':'indicator','tf':'1m'}|missing_field",
        "{'channel':'indicator','name':'sma'}|missing_field",
        "{'channel':'indicator','tf':'2m','name':'sma'}|unknown_timeframe",
        "{'channel':'indicator','tf':'1m','name':'sma','params':[14]}|bad_params",
        "{'channel':'indicator','tf':'1m','name':'sma','params':{'period':0}}|bad_params",
        "{'channel':'indicator','tf':'1m','name':'sma','params':{'period':100000}}|bad_params",
        "{'channel':'indicator','tf':'1m','name':'sma','params':{'period':2.5}}|bad_params",
        "{'channel':'indicator','tf':'1m','name':'sma','params':{'period':'x'}}|bad_params",
        "{'channel':'indicator','tf':'1m','name':'sma','params':{'length':3}}|bad_params",
        "{'channel':'indicator','tf':'1m','name':'macd','params':{'fast':30}}|bad_params",
        "{'channel':'indicator','tf':'1m','key':'sma:03'}|bad_params",
        "{'channel':'indicator','tf':'1m','key':5}|bad_field",
        "{'channel':'indicator','tf':'1m','name':'sma','limit':5001}|bad_field",
        "{'channel':'indicator','tf':'1m','name':'sma','limit':'x'}|bad_field",
      })
  void everyBadCommandHasItsCode(String fields, String code) {
    String json =
        "{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\"," + fields.replace('\'', '"').substring(1);
    Command c = parse(json);
    assertThat(c).as(json).isInstanceOf(Command.Invalid.class);
    assertThat(((Command.Invalid) c).code()).as(json).isEqualTo(code);
    assertThat(((Command.Invalid) c).message()).isNotBlank();
  }
}
