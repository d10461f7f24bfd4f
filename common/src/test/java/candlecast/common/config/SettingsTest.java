package candlecast.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
  /** Every setting constant, in declaration order. */
  private static List<Setting<?>> declared() throws IllegalAccessException {
    List<Setting<?>> out = new ArrayList<>();
    for (Field f : Settings.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
        out.add((Setting<?>) f.get(null));
      }
    }
    return out;
  }

  @Test
  void declaringASettingRegistersIt() throws Exception {
    List<Setting<?>> declared = declared();
    assertThat(declared).hasSizeGreaterThan(50);
    assertThat(Settings.ALL).containsExactlyElementsOf(declared);
    for (Setting<?> s : declared) {
      assertThat(Settings.byEnvName(s.envName())).as(s.key()).isSameAs(s);
    }
    assertThat(Settings.byEnvName("CANDLECAST_NO_SUCH_SETTING")).isNull();
    assertThatThrownBy(() -> Settings.ALL.add(Settings.HTTP_PORT))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everySettingResolvesToItsDefaultValue() throws Exception {
    CandlecastConfig c = CandlecastConfig.defaults();
    for (Setting<?> s : declared()) {
      assertThat((Object) c.get(s)).as(s.key()).isNotNull().isEqualTo(s.defaultValue());
    }
  }

  @Test
  void keysAndEnvironmentNamesAreUnique() {
    Set<String> keys = new HashSet<>();
    Set<String> envs = new HashSet<>();
    for (Setting<?> s : Settings.ALL) {
      assertThat(keys.add(s.key())).as(s.key()).isTrue();
      assertThat(envs.add(s.envName())).as(s.envName()).isTrue();
      assertThat(s.key()).matches("[a-z]+\\.[a-z0-9-]+");
      assertThat(s.description()).isNotBlank();
    }
  }

  @Test
  void sharedParsersKeepTheirMessages() {
    assertThat(Parsers.symbolList().apply(" btcusd, ETHUSD ,btcusd,"))
        .containsExactly("BTCUSD", "ETHUSD");
    assertThat(Parsers.symbolList().apply("")).isEmpty();
    assertThatThrownBy(() -> Parsers.symbols().apply(" , "))
        .hasMessage("at least one symbol is required");
    assertThatThrownBy(() -> Parsers.symbolList().apply("BTC_USD"))
        .hasMessage("'BTC_USD' is not a symbol (2-20 letters or digits)");
    assertThat(Parsers.symbolList().apply("BTC-USD,eth-usd")).containsExactly("BTCUSD", "ETHUSD");
    assertThat(Parsers.url("ws", "wss").apply(" WSS://example.org/x "))
        .isEqualTo("WSS://example.org/x");
    assertThatThrownBy(() -> Parsers.url("http", "https").apply("ftp://example.org"))
        .hasMessage("'ftp://example.org' is not a http or https URL");
    assertThat(Parsers.replaySpeed().apply("MAX")).isEqualTo("max");
    assertThat(Parsers.replaySpeed().apply("2.5")).isEqualTo("2.5");
    assertThatThrownBy(() -> Parsers.replaySpeed().apply("-1"))
        .hasMessage("'-1' is not a number > 0 or max");
  }
}
