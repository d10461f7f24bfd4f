package candlecast.common.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration setting: its dotted key ({@code http.port}), the environment variable that overrides it
 * ({@code CANDLECAST_HTTP_PORT}), the system property ({@code candlecast.http.port}), a default and a parser that
 * either returns the typed value or throws {@link IllegalArgumentException} with a reason.
 */
public record Setting<T>(String key, T defaultValue, String description, Function<String, T> parser) {

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
      throw new ConfigException("invalid setting " + envName() + " (" + key + "): " + e.getMessage());
    }
  }
}
