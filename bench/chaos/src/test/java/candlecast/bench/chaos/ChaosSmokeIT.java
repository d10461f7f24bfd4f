package candlecast.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The 5-minute smoke of the chaos soak ({@code mvn verify -Pchaos}): the whole cluster, the fleet
 * and the nemesis from the pom's seed; passes only when the run finds no violation. The report is
 * in {@code target/chaos-smoke/}.
 */
class ChaosSmokeIT {
  @Test
  void fiveMinutesOfFaultsLoseNothing() throws Exception {
    Path out = Path.of(System.getProperty("chaos.out", "target/chaos-smoke"));
    int rc =
        ChaosMain.run(
            ChaosMain.Options.parse(
                new String[] {
                  "--jar=" + System.getProperty("chaos.jar", "../../deploy/target/candlecast.jar"),
                  "--out=" + out,
                  "--minutes=" + System.getProperty("chaos.minutes", "5"),
                  "--seed=" + System.getProperty("chaos.seed", "19"),
                  "--ws=150",
                  "--sockjs=15"
                }));
    JsonObject report = new JsonObject(Files.readString(out.resolve("report.json")));
    assertThat(report.getJsonArray("faults")).as("faults injected").isNotEmpty();
    assertThat(report.getJsonArray("violations")).as(report.encodePrettily()).isEmpty();
    assertThat(rc).isZero();
  }
}
