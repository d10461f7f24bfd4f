package candlecast.deploy;

import static org.awaitility.Awaitility.await;

import candlecast.common.config.Settings;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The single-node jar in a JVM of its own (so a test can kill it with -9), on loopback ports and a
 * data directory, its output appended to a log; {@link #start} returns once {@code /ready} answers.
 */
final class SingleNodeProcess {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SingleNodeProcess() {}

  /**
   * Starts the jar with the given settings on top of the loopback host, the ports, the data
   * directory and one gateway instance.
   */
  static Process start(
      int httpPort, int kafkaPort, Path dataDir, Path log, Map<String, String> settings)
      throws Exception {
    Path jar =
        Path.of(System.getProperty("failover.jar", "target/candlecast.jar")).toAbsolutePath();
    ProcessBuilder pb =
        new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-jar",
            jar.toString());
    Map<String, String> env = pb.environment();
    env.put(Settings.HTTP_HOST.envName(), "127.0.0.1");
    env.put(Settings.HTTP_PORT.envName(), String.valueOf(httpPort));
    env.put(Settings.KAFKA_EMBEDDED_PORT.envName(), String.valueOf(kafkaPort));
    env.put(Settings.DATA_DIR.envName(), dataDir.toString());
    env.put(Settings.GATEWAY_INSTANCES.envName(), "1");
    env.putAll(settings);
    pb.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    await().atMost(Duration.ofMinutes(2)).until(() -> ready(httpPort));
    return p;
  }

  static boolean ready(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }
}
