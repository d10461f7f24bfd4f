package candlecast.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration: one typed value per {@link Setting}. Built from the merged JSON that
 * {@link ConfigLoader} produces; every value is checked here, so a bad one fails start-up with one
 * line.
 */
public final class CandlecastConfig {
  private final IdentityHashMap<Setting<?>, Object> values;

  private CandlecastConfig(IdentityHashMap<Setting<?>, Object> values) {
    this.values = values;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> s) {
    return (T) values.get(s);
  }

  /** All defaults (no file, no environment). */
  public static CandlecastConfig defaults() {
    return from(new JsonObject());
  }

  /**
   * Resolves every setting from a merged JSON document that may hold, for each setting, the nested
   * value ({@code {"http":{"port":8080}}}), the environment variable ({@code CANDLECAST_HTTP_PORT})
   * and the system property ({@code candlecast.http.port}); the system property wins, then the
   * environment, then the nested value, then the built-in default.
   *
   * @throws ConfigException naming the first bad setting
   */
  public static CandlecastConfig from(JsonObject merged) {
    IdentityHashMap<Setting<?>, Object> values = new IdentityHashMap<>();
    for (Setting<?> s : Settings.ALL) {
      String raw = rawValue(merged, s);
      values.put(s, raw == null ? s.defaultValue() : s.parse(raw));
    }
    return new CandlecastConfig(values);
  }

  private static String rawValue(JsonObject merged, Setting<?> s) {
    Object v = merged.getValue(s.sysProp());
    if (v == null) {
      v = merged.getValue(s.envName());
    }
    if (v == null) {
      Object section = merged.getValue(s.section());
      if (section instanceof JsonObject o) {
        v = o.getValue(s.field());
      } else if (section instanceof Map<?, ?> m) {
        v = m.get(s.field());
      }
    }
    if (v == null) {
      return null;
    }
    if (v instanceof JsonArray a) {
      return joinList(a.getList());
    }
    if (v instanceof Collection<?> c) {
      return joinList(c);
    }
    if (v instanceof JsonObject) {
      throw new ConfigException(
          "invalid setting " + s.envName() + " (" + s.key() + "): expected a value, got an object");
    }
    return String.valueOf(v);
  }

  private static String joinList(Collection<?> c) {
    StringBuilder sb = new StringBuilder();
    for (Object o : c) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(o);
    }
    return sb.toString();
  }

  /** Returns a copy with one setting replaced (tests and launchers use it). */
  public <T> CandlecastConfig with(Setting<T> s, T value) {
    IdentityHashMap<Setting<?>, Object> copy = new IdentityHashMap<>(values);
    copy.put(s, value);
    return new CandlecastConfig(copy);
  }

  /** The effective settings as nested JSON (same shape as the YAML file). */
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (Setting<?> s : Settings.ALL) {
      JsonObject section = out.getJsonObject(s.section());
      if (section == null) {
        section = new JsonObject();
        out.put(s.section(), section);
      }
      Object v = values.get(s);
      if (v instanceof Collection<?> c) {
        section.put(s.field(), new JsonArray(List.copyOf(c)));
      } else if (v instanceof Number || v instanceof Boolean || v instanceof String) {
        section.put(s.field(), v);
      } else {
        section.put(s.field(), String.valueOf(v));
      }
    }
    return out;
  }
}
