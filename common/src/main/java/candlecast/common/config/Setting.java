package candlecast.common.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration setting: its dotted key ({@code http.port}), the environment variable that
 * overrides it ({@code CANDLECAST_HTTP_PORT}), the system property ({@code candlecast.http.port}),
 * a default and a parser that either returns the typed value or throws {@link
 * IllegalArgumentException} with a reason. Only the declarations published by {@link Settings}
 * create settings, and {@link SettingsRegistry} registers each one, so every setting has a value in
 * a {@link CandlecastConfig}.
 */
public final class Setting<T> {
  private final String key;
  private final T defaultValue;
  private final String description;
  private final Function<String, T> parser;

  Setting(String key, T defaultValue, String description, Function<String, T> parser) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.parser = parser;
  }

  public String key() {
    return key;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public Function<String, T> parser() {
    return parser;
  }

  public String envName() {
    return "CANDLECAST_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  public String sysProp() {
    return "candlecast." + key;
  }

  public String section() {
    return key.substring(0, key.indexOf('.'));
  }

  public String field() {
    return key.substring(key.indexOf('.') + 1);
  }

  T parse(String raw) {
    try {
      return parser.apply(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "invalid setting " + envName() + " (" + key + "): " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
