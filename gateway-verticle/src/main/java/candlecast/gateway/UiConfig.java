package candlecast.gateway;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The page configuration served at {@code GET /api/ui-config}: layout, theme colours and indicators
 * (a list of canonical analysis keys, or the older {@code {"sma50":true,…}} object). The built-in
 * defaults are the classpath file {@code candlecast/gateway/ui-config.json}; {@code
 * CANDLECAST_GATEWAY_UI_CONFIG_FILE} may name a JSON file that replaces it. {@code defaultSymbol}
 * and {@code defaultTf} come from the file when it sets them, else from the gateway settings;
 * {@code timeframes} is always added. Validation is strict so that a bad file stops start-up with
 * one clear line. Pure (the caller reads the file).
 */
public final class UiConfig {
  public static final String RESOURCE = "candlecast/gateway/ui-config.json";

  /** Colours every theme must define. */
  public static final List<String> COLOURS =
      List.of(
          "background", "text", "grid", "up", "down", "volumeUp", "volumeDown", "sma50", "sma200");

  /** Charts per page the page supports. */
  public static final List<Integer> LAYOUTS = List.of(1, 2, 4);

  private UiConfig() {}

  /** The built-in defaults (the classpath file). */
  public static String builtIn() {
    try (InputStream in = UiConfig.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses and validates a UI configuration document and completes it with the defaults.
   *
   * @param source names the document in error messages
   * @throws IllegalArgumentException naming {@code source} and the first problem
   */
  public static JsonObject parse(
      String text, String source, String defaultSymbol, Timeframe defaultTf) {
    JsonObject j;
    try {
      j = new JsonObject(text);
    } catch (RuntimeException e) {
      throw bad(source, "not a JSON object: " + firstLine(e.getMessage()));
    }
    JsonObject out = j.copy();
    Object sym = j.getValue("defaultSymbol", defaultSymbol);
    if (!(sym instanceof String s) || !Symbols.isValid(s)) {
      throw bad(
          source,
          "defaultSymbol must be a symbol of 2 to 20 upper-case letters or digits, was " + sym);
    }
    Object tf = j.getValue("defaultTf", defaultTf.label());
    if (!(tf instanceof String t) || Timeframe.tryParse(t) == null) {
      throw bad(source, "defaultTf must be one of " + Timeframe.labels() + ", was " + tf);
    }
    Object layout = j.getValue("layout", 1);
    if (!(layout instanceof Integer n) || !LAYOUTS.contains(n)) {
      throw bad(source, "layout must be 1, 2 or 4 (charts on the page), was " + layout);
    }
    if (!(j.getValue("themes") instanceof JsonObject themes) || themes.isEmpty()) {
      throw bad(source, "themes must be an object of named themes, e.g. {\"dark\":{...}}");
    }
    for (Map.Entry<String, Object> e : themes) {
      if (!(e.getValue() instanceof JsonObject theme)) {
        throw bad(source, "theme '" + e.getKey() + "' must be an object of colours");
      }
      for (String colour : COLOURS) {
        Object c = theme.getValue(colour);
        if (!(c instanceof String cs) || cs.isBlank() || cs.length() > 64) {
          throw bad(
              source,
              "theme '" + e.getKey() + "' needs colour '" + colour + "' as a CSS colour string");
        }
      }
    }
    Object theme = j.getValue("theme");
    if (!(theme instanceof String th) || !themes.containsKey(th)) {
      throw bad(
          source, "theme must name one of the themes " + themes.fieldNames() + ", was " + theme);
    }
    Object indicators = j.getValue("indicators", new JsonObject());
    if (indicators instanceof JsonArray list) {
      checkIndicatorList(source, list);
    } else if (!(indicators instanceof JsonObject ind)) {
      throw bad(
          source,
          "indicators must be a list of analysis keys such as [\"sma:50\",\"rsi:14\"] (or the"
              + " older object such as {\"sma50\":true,\"sma200\":true})");
    } else {
      for (Map.Entry<String, Object> e : ind) {
        if (!(e.getValue() instanceof Boolean)) {
          throw bad(source, "indicator '" + e.getKey() + "' must be true or false");
        }
      }
    }
    return out.put("defaultSymbol", sym)
        .put("defaultTf", tf)
        .put("layout", layout)
        .put("indicators", indicators)
        .put("timeframes", new JsonArray(Timeframe.LIST.stream().map(Timeframe::label).toList()));
  }

  /**
   * The page's default indicators as a list: canonical analysis keys ({@code sma:50}, {@code
   * macd:12:26:9}, {@code patterns:20}; {@link AnalysisSpec#fromKey}), each at most once.
   */
  private static void checkIndicatorList(String source, JsonArray list) {
    Set<String> seen = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof String key)) {
        throw bad(source, "indicators: each entry must be an analysis key string, was " + o);
      }
      try {
        AnalysisSpec.fromKey(key);
      } catch (IllegalArgumentException e) {
        throw bad(source, "indicators: " + e.getMessage());
      }
      if (!seen.add(key)) {
        throw bad(source, "indicators: '" + key + "' is listed twice");
      }
    }
  }

  private static IllegalArgumentException bad(String source, String why) {
    return new IllegalArgumentException("invalid UI configuration " + source + ": " + why);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
