package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.Settings;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's run command starts the jar with the class-data-sharing archive the build wrote beside it
 * ({@code java -XX:SharedArchiveFile=deploy/target/candlecast.jsa -jar
 * deploy/target/candlecast.jar}, from the repository root, relative paths as typed): the JVM must
 * really map the node's classes from it — a class-path mismatch would make it fall back to loading
 * them all, silently slower.
 */
class CdsArchiveIT {
  @TempDir Path tmp;

  @Test
  void readmesRunCommandMapsTheNodesClassesFromTheBuildsArchive() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("deploy/target/candlecast.jsa"))
        .as("written by mvn package")
        .isRegularFile();
    Path classLog = tmp.resolve("classes.log");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:SharedArchiveFile=deploy/target/candlecast.jsa",
                "-Xlog:class+load=info:file=" + classLog,
                "-jar",
                "deploy/target/candlecast.jar")
            .directory(root.toFile());
    Map<String, String> env = pb.environment();
    env.put(Settings.HTTP_HOST.envName(), "127.0.0.1");
    env.put(Settings.HTTP_PORT.envName(), String.valueOf(port));
    env.put(Settings.KAFKA_EMBEDDED_PORT.envName(), "0");
    env.put(Settings.DATA_DIR.envName(), tmp.resolve("data").toString());
    env.put(Settings.MOCK_HISTORY_DAYS.envName(), "0");
    pb.redirectErrorStream(true)
        .redirectOutput(tmp.resolve("node.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> !p.isAlive() || SingleNodeProcess.ready(port));
      assertThat(p.isAlive()).as(Files.readString(tmp.resolve("node.log"))).isTrue();
    } finally {
      p.destroy();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    List<String> candlecast =
        Files.readAllLines(classLog).stream()
            .filter(l -> l.contains(" candlecast."))
            .collect(Collectors.toList());
    List<String> shared =
        candlecast.stream().filter(l -> l.contains("shared objects file")).toList();
    assertThat(candlecast).as("the node's own classes loaded").hasSizeGreaterThan(200);
    assertThat(shared)
        .as("candlecast classes mapped from the archive")
        .anyMatch(l -> l.contains(" candlecast.deploy.SingleNode "))
        .anyMatch(l -> l.contains(" candlecast.gateway.GatewayVerticle "))
        .anyMatch(l -> l.contains(" candlecast.aggregator.AggregatorVerticle "));
    assertThat((double) shared.size() / candlecast.size())
        .as("share of the node's classes mapped from the archive")
        .isGreaterThan(0.8);
  }
}
