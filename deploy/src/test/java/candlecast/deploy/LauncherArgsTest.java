package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.config.Setting;
import candlecast.common.config.Settings;
import org.junit.jupiter.api.Test;

class LauncherArgsTest {

  @Test
  void defaultIsAllInOneJvm() {
    LauncherArgs a = LauncherArgs.parse(new String[0]);
    assertThat(a.role()).isEqualTo(Role.ALL);
    assertThat(a.cluster()).isFalse();
  }

  @Test
  void rolesAndOptions() {
    LauncherArgs a =
        LauncherArgs.parse(new String[] {"aggregator", "--cluster", "--conf", "x.yaml"});
    assertThat(a.role()).isEqualTo(Role.AGGREGATOR);
    assertThat(a.cluster()).isTrue();
    assertThat(a.confFile()).isEqualTo("x.yaml");
    assertThat(LauncherArgs.parse(new String[] {"kafka"}).role()).isEqualTo(Role.KAFKA);
    assertThat(LauncherArgs.parse(new String[] {"--cluster", "gateway"}).role())
        .isEqualTo(Role.GATEWAY);
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> LauncherArgs.parse(new String[] {"gateway"}))
        .hasMessageContaining("add --cluster");
    assertThatThrownBy(() -> LauncherArgs.parse(new String[] {"kafka", "--cluster"}))
        .hasMessageContaining("--cluster is for");
    assertThatThrownBy(() -> LauncherArgs.parse(new String[] {"brokr"}))
        .hasMessageContaining("unknown role 'brokr'")
        .hasMessageContaining("feed, aggregator, gateway, kafka");
    assertThatThrownBy(() -> LauncherArgs.parse(new String[] {"feed", "feed"}))
        .hasMessageContaining("unexpected argument");
    assertThatThrownBy(() -> LauncherArgs.parse(new String[] {"--clustr"}))
        .hasMessageContaining("unknown option");
  }

  @Test
  void helpListsEveryRoleAndEverySetting() {
    assertThat(LauncherArgs.parse(new String[] {"gateway", "--help"}).help()).isTrue();
    String help = Launcher.help();
    for (Role r : Role.values()) {
      assertThat(help).contains("  " + r.label() + " ");
    }
    for (Setting<?> s : Settings.ALL) {
      assertThat(help).contains(s.envName());
    }
    assertThat(help).contains("--cluster");
  }
}
