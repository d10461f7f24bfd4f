package candlecast.deploy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.ConfigException;
import candlecast.common.config.ConfigLoader;
import candlecast.common.config.Setting;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar candlecast.jar [all] [--conf FILE]}: runs every tier in one JVM on embedded defaults.
 * Exit codes: 0 after a clean shutdown, 2 for a bad argument or setting (one line on stderr), 1 when start-up fails.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {
  }

  public static void main(String[] args) {
    LauncherArgs parsed;
    try {
      parsed = LauncherArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("candlecast: " + e.getMessage() + " (try --help)");
      System.exit(2);
      return;
    }
    if (parsed.help()) {
      System.out.println(help());
      return;
    }
    System.exit(run(parsed));
  }

  static int run(LauncherArgs args) {
    long t0 = System.nanoTime();
    for (String unknown : ConfigLoader.unknownEnvironmentVariables(System.getenv())) {
      LOG.warn("ignoring environment variable {}: no such setting (see --help)", unknown);
    }
    Vertx vertx = Vertx.vertx();
    CandlecastConfig config;
    try {
      config = ConfigLoader.load(vertx, args.confFile()).await(30, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      System.err.println("candlecast: " + e.getMessage());
      vertx.close();
      return 2;
    } catch (Exception e) {
      Throwable c = e.getCause() instanceof ConfigException ? e.getCause() : e;
      System.err.println("candlecast: " + c.getMessage());
      vertx.close();
      return 2;
    }
    SingleNode node;
    try {
      node = SingleNode.start(vertx, config).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("candlecast: start-up failed: " + rootMessage(e));
      return 1;
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      try {
        node.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        LOG.info("stopped cleanly");
      } catch (Exception e) {
        LOG.warn("shutdown incomplete: {}", rootMessage(e));
      }
      stopped.complete(null);
    }, "candlecast-shutdown"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    LOG.info("Candlecast ready at http://localhost:{}/ in {} ms (kafka {}, feed {} {})", node.httpPort(), ms,
        node.embeddedKafka() != null ? "embedded " + node.bootstrapServers() : node.bootstrapServers(),
        config.get(Settings.FEED_SOURCE), String.join(",", config.get(Settings.FEED_SYMBOLS)));
    stopped.join();
    return 0;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: java -jar candlecast.jar [all] [--conf FILE] [--help]\n\n")
        .append("  all          run every tier in one JVM (default): embedded Kafka unless\n")
        .append("               CANDLECAST_KAFKA_BOOTSTRAP_SERVERS is set, mock feed, http://localhost:8080\n")
        .append("  --conf FILE  YAML or JSON file with settings (same shape as candlecast-defaults.yaml)\n\n")
        .append("Settings (environment variable, default, meaning); system properties candlecast.<key> also work:\n");
    List<Setting<?>> all = Settings.ALL;
    for (Setting<?> s : all) {
      Object d = s.defaultValue();
      String dv = d instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(d);
      sb.append(String.format("  %-38s %-18s %s%n", s.envName(), dv.isEmpty() ? "\"\"" : dv, s.description()));
    }
    return sb.toString();
  }
}
