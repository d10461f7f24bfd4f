package candlecast.common.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry behind {@link Settings}: every setting declared with {@link #define}, in declaration
 * order, and the lookup by environment variable name.
 */
final class SettingsRegistry {
  private static final List<Setting<?>> REGISTRY = new ArrayList<>();
  private static final Map<String, Setting<?>> BY_ENV_NAME = new HashMap<>();

  /** All settings, in declaration order (a read-only view). */
  static final List<Setting<?>> ALL = Collections.unmodifiableList(REGISTRY);

  private SettingsRegistry() {}

  /**
   * Creates and registers a setting.
   *
   * @throws IllegalStateException when a setting with the same key (or environment variable) is
   *     already registered
   */
  static <T> Setting<T> define(
      String key, T defaultValue, String description, Function<String, T> parser) {
    Setting<T> s = new Setting<>(key, defaultValue, description, parser);
    if (BY_ENV_NAME.putIfAbsent(s.envName(), s) != null) {
      throw new IllegalStateException("duplicate setting " + key);
    }
    REGISTRY.add(s);
    return s;
  }

  /** The setting read from environment variable {@code env}, or null when there is none. */
  static Setting<?> byEnvName(String env) {
    return BY_ENV_NAME.get(env);
  }
}
