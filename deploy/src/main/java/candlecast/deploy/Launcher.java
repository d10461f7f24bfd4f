package candlecast.deploy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.ConfigException;
import candlecast.common.config.ConfigLoader;
import candlecast.common.config.Setting;
import candlecast.common.config.Settings;
import candlecast.gateway.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar candlecast.jar [all] [--conf FILE]}: runs every tier in one JVM on embedded
 * defaults; {@code java -jar candlecast.jar feed|aggregator|gateway --cluster} runs one tier in a
 * clustered JVM (see {@link RoleNode}); {@code java -jar candlecast.jar kafka} runs the embedded
 * broker alone. Exit codes: 0 after a clean shutdown, 2 for a bad argument or setting (one line on
 * stderr), 1 when start-up fails.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

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
    // Metrics must be enabled when Vert.x is built: the single-node Vert.x is the gateway's too
    // (/metrics).
    Vertx vertx =
        Vertx.builder()
            .with(vertxOptions(args.role() == Role.ALL ? Role.GATEWAY : args.role()))
            .build();
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
    if (args.role() != Role.ALL) {
      vertx.close();
      return runRole(args.role(), config, t0);
    }
    SingleNode node;
    try {
      node = SingleNode.start(vertx, config).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("candlecast: start-up failed: " + rootMessage(e));
      return 1;
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down");
                  try {
                    node.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                    LOG.info("stopped cleanly");
                  } catch (Exception e) {
                    LOG.warn("shutdown incomplete: {}", rootMessage(e));
                  }
                  stopped.complete(null);
                },
                "candlecast-shutdown"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    LOG.info(
        "Candlecast ready at http://localhost:{}/ in {} ms (kafka {}, feed {} {})",
        node.httpPort(),
        ms,
        node.embeddedKafka() != null
            ? "embedded " + node.bootstrapServers()
            : node.bootstrapServers(),
        config.get(Settings.FEED_SOURCE),
        String.join(",", config.get(Settings.FEED_SYMBOLS)));
    stopped.join();
    return 0;
  }

  /** One role in this JVM (see {@link RoleNode}); stops cleanly on SIGTERM / Ctrl-C. */
  static int runRole(Role role, CandlecastConfig config, long t0) {
    RoleNode node;
    try {
      node = RoleNode.start(role, config, vertxOptions(role)).await(120, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      System.err.println("candlecast: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      Throwable c = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      if (c instanceof IllegalArgumentException) {
        System.err.println("candlecast: " + c.getMessage());
        return 2;
      }
      System.err.println("candlecast: " + role.label() + " start-up failed: " + causes(e));
      return 1;
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("{} shutting down", role.label());
                  try {
                    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    LOG.info("{} stopped cleanly", role.label());
                  } catch (Exception e) {
                    LOG.warn("{} shutdown incomplete: {}", role.label(), rootMessage(e));
                  }
                  stopped.complete(null);
                },
                "candlecast-shutdown"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    if (role == Role.KAFKA) {
      LOG.info(
          "Candlecast kafka ready at {} in {} ms (probes on http port {})",
          node.embeddedKafka().bootstrapServers(),
          ms,
          node.httpPort());
    } else {
      LOG.info(
          "Candlecast {} joined cluster '{}' ({} members) in {} ms; http port {}",
          role.label(),
          config.get(Settings.CLUSTER_NAME),
          node.cluster().members(),
          ms,
          node.httpPort());
    }
    stopped.join();
    return 0;
  }

  /**
   * Vert.x options of a role: a gateway's Vert.x has the gateway's metrics (Prometheus at {@code
   * /metrics}).
   */
  static VertxOptions vertxOptions(Role role) {
    return role == Role.GATEWAY ? GatewayMetrics.vertxOptions() : new VertxOptions();
  }

  /** Every cause's message, outermost first: "cannot create topics: ... (TimeoutException)". */
  static String causes(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(c.getMessage() == null ? c.getClass().getName() : c.getMessage());
    }
    return sb.toString();
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
    sb.append("Usage: java -jar candlecast.jar [ROLE] [--cluster] [--conf FILE] [--help]\n\n")
        .append("Roles:\n");
    for (Role r : Role.values()) {
      sb.append(String.format("  %-12s %s%n", r.label(), r.description()));
    }
    sb.append("\nOptions:\n")
        .append(
            "  --cluster    join the Hazelcast cluster (required by feed, aggregator and gateway); discovery,\n")
        .append(
            "               addresses and timeouts come from the CANDLECAST_CLUSTER_* settings\n")
        .append(
            "  --conf FILE  YAML or JSON file with settings (same shape as candlecast-defaults.yaml)\n")
        .append("  --help       this text\n\n")
        .append(
            "Example local cluster: deploy/local/cluster.sh up (broker, 2 feeds, 2 aggregators, 2 gateways)\n\n")
        .append(
            "Settings (environment variable, default, meaning); system properties candlecast.<key> also work:\n");
    List<Setting<?>> all = Settings.ALL;
    for (Setting<?> s : all) {
      Object d = s.defaultValue();
      String dv =
          d instanceof List<?> l
              ? String.join(",", l.stream().map(String::valueOf).toList())
              : String.valueOf(d);
      sb.append(
          String.format(
              "  %-42s %-18s %s%n", s.envName(), dv.isEmpty() ? "\"\"" : dv, s.description()));
    }
    return sb.toString();
  }
}
