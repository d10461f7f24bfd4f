package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.config.Setting;
import candlecast.common.config.Settings;
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
    String yaml = new String(Settings.class.getClassLoader().getResourceAsStream("candlecast-defaults.yaml")
        .readAllBytes());
    List<String> missing = new ArrayList<>();
    for (Setting<?> s : Settings.ALL) {
      if (!Pattern.compile("(?m)^" + s.section() + ":\\s*$[\\s\\S]*?^  " + Pattern.quote(s.field()) + ":")
          .matcher(yaml).find()) {
        missing.add(s.key());
      }
    }
    assertThat(missing).as("settings missing from candlecast-defaults.yaml").isEmpty();
  }
}
