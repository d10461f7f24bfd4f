package candlecast.deploy;

import candlecast.common.config.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of the {@link LocalCluster} ({@code deploy/local/cluster.sh}): the standard
 * layout in {@code $CANDLECAST_DATA_DIR}, or the one the last {@code up} saved there.
 */
final class LocalClusterCommand {
  private LocalClusterCommand() {}

  /**
   * Runs one command; returns the exit code (2: usage error, 1: the cluster refused, 3: status not
   * all ready).
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    Path dataDir =
        Path.of(
            Optional.ofNullable(System.getenv(Settings.DATA_DIR.envName()))
                .orElse(Settings.DATA_DIR.defaultValue()));
    Path jar =
        Path.of(Optional.ofNullable(System.getenv("CANDLECAST_JAR")).orElse(jarOfThisClass()));
    String cmd = args[0];
    LocalCluster.Layout layout =
        cmd.equals("up")
            ? LocalCluster.Layout.standard(dataDir, jar)
            : LocalCluster.Layout.load(dataDir).orElse(LocalCluster.Layout.standard(dataDir, jar));
    LocalCluster c = new LocalCluster(layout, Map.of(), true, out);
    try {
      return execute(c, args, out, err);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("cluster: " + e.getMessage());
      return 1;
    }
  }

  private static int execute(LocalCluster c, String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    String cmd = args[0];
    switch (cmd) {
      case "up" -> c.up();
      case "down" -> c.down();
      case "status" -> {
        c.status().forEach(out::println);
        return c.layout().nodes().stream().allMatch(c::ready) ? 0 : 3;
      }
      case "kill", "restart", "stop", "cont" -> {
        if (args.length != 2) {
          err.println("usage: " + cmd + " ROLE#N (e.g. aggregator#1)");
          return 2;
        }
        onNode(c, cmd, c.layout().node(args[1]));
      }
      default -> {
        err.println("unknown command '" + cmd + "'\n" + usage());
        return 2;
      }
    }
    return 0;
  }

  private static void onNode(LocalCluster c, String cmd, LocalCluster.Node n)
      throws InterruptedException {
    switch (cmd) {
      case "kill" -> c.kill(n);
      case "restart" -> c.restart(n);
      case "stop" -> c.signal(n, "STOP");
      default -> c.signal(n, "CONT");
    }
  }

  static String usage() {
    return """
        Usage: cluster.sh up|down|status|kill ROLE#N|restart ROLE#N|stop ROLE#N|cont ROLE#N

          up       start kafka#1, feed#1, aggregator#1..2, gateway#1..2 (http 8080, 8081) as separate JVMs on
                   loopback and wait until every one is ready
          down     stop them all (SIGTERM; feed first, broker last)
          status   one line per node (exit 0 when all are ready)
          kill     kill -9 one node, e.g. kill aggregator#1
          restart  stop one node cleanly and start it again, e.g. restart gateway#2
          stop     SIGSTOP one node (it hangs); cont sends SIGCONT

        Logs, pid files and broker data live in $CANDLECAST_DATA_DIR/local-cluster (default ./candlecast-data).
        Other CANDLECAST_* variables (e.g. CANDLECAST_FEED_RATE) apply to every node.""";
  }

  private static String jarOfThisClass() {
    try {
      return Path.of(LocalCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "deploy/target/candlecast.jar";
    }
  }
}
