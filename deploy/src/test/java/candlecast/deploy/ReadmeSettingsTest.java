package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.config.Setting;
import candlecast.common.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the settings registry never drift apart. */
class ReadmeSettingsTest {
  @Test
  void readmeDocumentsExactlyTheKnownSettings() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> missing = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      if (!readme.contains("`" + s.envName() + "`")) {
        missing.add(s.envName());
      }
    }
    assertThat(missing).as("settings missing from README's table").isEmpty();
    Matcher m = Pattern.compile("`(CANDLECAST_[A-Z0-9_]+)`").matcher(readme);
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      if (Settings.byEnvName(m.group(1)) == null) {
        unknown.add(m.group(1));
      }
    }
    assertThat(unknown).as("README names variables the launcher does not know").isEmpty();
  }

  @Test
  void defaultsFileHasEverySetting() throws Exception {
    String yaml =
        new String(
            Settings.class
                .getClassLoader()
                .getResourceAsStream("candlecast-defaults.yaml")
                .readAllBytes(),
            StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      if (!Pattern.compile(
              "(?m)^" + s.section() + ":\\s*$[\\s\\S]*?^  " + Pattern.quote(s.field()) + ":")
          .matcher(yaml)
          .find()) {
        missing.add(s.key());
      }
    }
    assertThat(missing).as("settings missing from candlecast-defaults.yaml").isEmpty();
  }

  /**
   * The defaults file, the registry and README's default column state the same default for every
   * setting.
   */
  @Test
  void defaultsAgreeEverywhere() throws Exception {
    String yaml =
        new String(
            Settings.class
                .getClassLoader()
                .getResourceAsStream("candlecast-defaults.yaml")
                .readAllBytes(),
            StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> differ = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      Object d = s.defaultValue();
      String text =
          d instanceof java.util.Collection<?> c
              ? c.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
              : String.valueOf(d);
      Object expected = parsed(s, text); // a parser may turn text into a structure
      Matcher y =
          Pattern.compile(
                  "(?m)^"
                      + s.section()
                      + ":\\s*$[\\s\\S]*?^  "
                      + Pattern.quote(s.field())
                      + ":[ \\t]*([^\\n#]*)")
              .matcher(yaml);
      if (y.find()) {
        String raw = unquote(y.group(1).trim());
        if (!java.util.Objects.equals(parsed(s, raw), expected)) {
          differ.add(
              s.key() + ": defaults file '" + raw + "', registry '" + s.defaultValue() + "'");
        }
      }
      Matcher r =
          Pattern.compile("(?m)^\\| `" + Pattern.quote(s.envName()) + "` \\| `([^`]*)` \\|")
              .matcher(readme);
      if (r.find() && !java.util.Objects.equals(parsed(s, r.group(1)), expected)) {
        differ.add(
            s.envName() + ": README '" + r.group(1) + "', registry '" + s.defaultValue() + "'");
      }
    }
    assertThat(differ).as("defaults that disagree").isEmpty();
  }

  private static String unquote(String v) {
    return v.length() >= 2
            && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))
        ? v.substring(1, v.length() - 1)
        : v;
  }

  /**
   * The value as the setting's parser reads it, or the text itself when it is not a value the
   * parser takes.
   */
  private static Object parsed(Setting<?> s, String raw) {
    try {
      return s.parser().apply(raw.trim());
    } catch (RuntimeException e) {
      return "unparseable: " + raw;
    }
  }
}
