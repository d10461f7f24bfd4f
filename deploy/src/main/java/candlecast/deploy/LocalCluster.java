package candlecast.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local cluster of separate JVMs on loopback: the broker ({@code kafka#1}), one feed, two
 * aggregators and two gateways (HTTP 8080 and 8081), each started as {@code java -jar
 * candlecast.jar <role> [--cluster]} with its settings in environment variables. Logs, pid files
 * and the layout live under {@code <data dir>/local-cluster/}.
 *
 * <pre>
 *   java -cp candlecast.jar candlecast.deploy.LocalCluster up|down|status|kill ROLE#N|restart ROLE#N|stop ROLE#N|cont ROLE#N
 * </pre>
 *
 * ({@code deploy/local/cluster.sh} wraps it.) Tests use the same class with their own ports and
 * directory.
 */
public final class LocalCluster {
  static final String LAYOUT_FILE = "layout.properties";
  static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  static final List<String> JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  /** One JVM of the cluster: {@code role#index}. */
  public record Node(Role role, int index, int httpPort, int clusterPort) {
    public String name() {
      return role.label() + "#" + index;
    }

    String fileName() {
      return role.label() + "-" + index;
    }
  }

  /** Where everything is: ports, cluster name, the jar, the directory. */
  public record Layout(
      Path dir,
      Path jar,
      String clusterName,
      int kafkaPort,
      int partitions,
      String heap,
      List<Node> nodes) {

    /**
     * The standard layout: kafka 9092 (probes 8089), feeds 8090 and 8093 (a leader and a standby),
     * aggregators 8091-8092, gateways 8080-8081.
     */
    public static Layout standard(Path dataDir, Path jar) {
      return of(
          dataDir,
          jar,
          "candlecast-local",
          9092,
          new int[] {8089, 8090, 8093, 8091, 8092, 8080, 8081},
          new int[] {5701, 5702, 5703, 5704, 5705, 5706},
          4);
    }

    /**
     * A layout with the given ports: {@code http} = kafka, feed#1, feed#2, aggregator#1,
     * aggregator#2, gateway#1, gateway#2; {@code cluster} = Hazelcast ports of the six clustered
     * nodes in the same order.
     */
    public static Layout of(
        Path dataDir,
        Path jar,
        String clusterName,
        int kafkaPort,
        int[] http,
        int[] cluster,
        int partitions) {
      List<Node> nodes =
          List.of(
              new Node(Role.KAFKA, 1, http[0], 0),
              new Node(Role.FEED, 1, http[1], cluster[0]),
              new Node(Role.FEED, 2, http[2], cluster[1]),
              new Node(Role.AGGREGATOR, 1, http[3], cluster[2]),
              new Node(Role.AGGREGATOR, 2, http[4], cluster[3]),
              new Node(Role.GATEWAY, 1, http[5], cluster[4]),
              new Node(Role.GATEWAY, 2, http[6], cluster[5]));
      return new Layout(
          dataDir.toAbsolutePath().normalize().resolve("local-cluster"),
          jar.toAbsolutePath().normalize(),
          clusterName,
          kafkaPort,
          partitions,
          "256m",
          nodes);
    }

    public Node node(String name) {
      for (Node n : nodes) {
        if (n.name().equals(name)) {
          return n;
        }
      }
      throw new IllegalArgumentException(
          "no node '"
              + name
              + "' (nodes: "
              + String.join(", ", nodes.stream().map(Node::name).toList())
              + ")");
    }

    public List<Node> nodes(Role role) {
      return nodes.stream().filter(n -> n.role() == role).toList();
    }

    String members() {
      return String.join(
          ",",
          nodes.stream()
              .filter(n -> n.clusterPort() > 0)
              .map(n -> "127.0.0.1:" + n.clusterPort())
              .toList());
    }

    Path log(Node n) {
      return dir.resolve("logs").resolve(n.fileName() + ".log");
    }

    Path pidFile(Node n) {
      return dir.resolve("pids").resolve(n.fileName() + ".pid");
    }

    void save() {
      LayoutFile.save(this);
    }

    /** The layout saved by the last {@code up} in {@code dataDir}, if any. */
    static Optional<Layout> load(Path dataDir) {
      return LayoutFile.load(dataDir);
    }
  }

  private final Layout layout;
  private final NodeLauncher launcher;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param extraEnv settings for every node (e.g. {@code CANDLECAST_FEED_RATE}); the layout's own
   *     win
   * @param detach start nodes in their own session (survive the terminal's Ctrl-C) — for the
   *     command line
   */
  public LocalCluster(
      Layout layout, Map<String, String> extraEnv, boolean detach, PrintStream out) {
    this.layout = layout;
    this.launcher = new NodeLauncher(layout, extraEnv, detach);
    this.out = out;
  }

  public Layout layout() {
    return layout;
  }

  // ------------------------------------------------------------------------------------------
  // commands

  /**
   * Starts every node that is not running (broker first) and waits until all are ready; returns the
   * time taken.
   */
  public Duration up() throws InterruptedException {
    long t0 = System.nanoTime();
    layout.save();
    Node kafka = layout.nodes(Role.KAFKA).get(0);
    startIfDown(kafka);
    awaitReady(List.of(kafka), READY_TIMEOUT);
    for (Node n : layout.nodes()) {
      if (n.role() != Role.KAFKA) {
        startIfDown(n);
      }
    }
    awaitReady(layout.nodes(), READY_TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    out.println(
        "local cluster '"
            + layout.clusterName()
            + "' ready in "
            + took.toMillis()
            + " ms: gateways "
            + String.join(
                ", ",
                layout.nodes(Role.GATEWAY).stream()
                    .map(n -> "http://localhost:" + n.httpPort() + "/")
                    .toList())
            + "; logs in "
            + layout.dir().resolve("logs"));
    return took;
  }

  /** Stops every node (SIGTERM, feed first and the broker last; SIGKILL after 30 s). */
  public void down() throws InterruptedException {
    List<Node> order = new ArrayList<>(layout.nodes(Role.FEED));
    order.addAll(layout.nodes(Role.GATEWAY));
    order.addAll(layout.nodes(Role.AGGREGATOR));
    for (Node n : order) {
      signal(n, "TERM");
    }
    for (Node n : order) {
      awaitExit(n, STOP_TIMEOUT);
    }
    Node kafka = layout.nodes(Role.KAFKA).get(0);
    signal(kafka, "TERM");
    awaitExit(kafka, STOP_TIMEOUT);
    out.println("local cluster '" + layout.clusterName() + "' stopped");
  }

  /** One line per node: name, pid, running or not, ready or not, ports. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    for (Node n : layout.nodes()) {
      Optional<ProcessHandle> p = process(n);
      String state = p.isEmpty() ? "down" : ready(n) ? "ready" : "running, not ready";
      lines.add(
          String.format(
              "%-14s pid %-8s %-20s http %d%s",
              n.name(),
              p.map(h -> String.valueOf(h.pid())).orElse("-"),
              state,
              n.httpPort(),
              n.clusterPort() > 0
                  ? " cluster " + n.clusterPort()
                  : " kafka " + layout.kafkaPort()));
    }
    return lines;
  }

  /** Sends a signal (KILL, TERM, STOP, CONT) to a running node; false when it does not run. */
  public boolean signal(Node n, String signal) throws InterruptedException {
    Optional<ProcessHandle> p = process(n);
    if (p.isEmpty()) {
      return false;
    }
    try {
      Process k =
          new ProcessBuilder("kill", "-s", signal, String.valueOf(p.get().pid()))
              .redirectErrorStream(true)
              .start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException("kill -s " + signal + " " + p.get().pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  /** {@code kill -9}, then waits for the process to be gone. */
  public void kill(Node n) throws InterruptedException {
    Optional<ProcessHandle> p = process(n);
    if (signal(n, "KILL")) {
      awaitExit(n, Duration.ofSeconds(10));
      out.println("killed " + n.name() + " (pid " + p.map(ProcessHandle::pid).orElse(-1L) + ")");
    }
  }

  /** Stops a node cleanly (SIGTERM), starts it again and waits until it is ready. */
  public Duration restart(Node n) throws InterruptedException {
    long t0 = System.nanoTime();
    if (signal(n, "TERM")) {
      awaitExit(n, STOP_TIMEOUT);
    }
    start(n);
    awaitReady(List.of(n), READY_TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    out.println("restarted " + n.name() + " in " + took.toMillis() + " ms");
    return took;
  }

  // ------------------------------------------------------------------------------------------
  // processes

  /** The live process of a node, from its pid file (a stale pid file counts as down). */
  public Optional<ProcessHandle> process(Node n) {
    Path f = layout.pidFile(n);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(f).trim());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  h.info()
                      .commandLine()
                      .map(c -> c.contains(layout.jar().toString()))
                      .orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void startIfDown(Node n) {
    if (process(n).isPresent()) {
      out.println(n.name() + " already runs");
      return;
    }
    start(n);
  }

  /** Starts a node's JVM with its environment; output appended to its log. */
  public ProcessHandle start(Node n) {
    return launcher.start(n);
  }

  /** The settings of one node, as environment variables. */
  Map<String, String> env(Node n) {
    return launcher.env(n);
  }

  // ------------------------------------------------------------------------------------------
  // readiness

  /** GET /ready is 200 (a gateway without /ready yet: GET /health is 200). */
  public boolean ready(Node n) {
    int ready = get(n, "/ready");
    if (ready == 404) {
      return get(n, "/health") == 200;
    }
    return ready == 200;
  }

  private int get(Node n, String path) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort() + path))
              .timeout(Duration.ofSeconds(3))
              .GET()
              .build();
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Waits until every node is ready; fails naming the ones that are not (and whether they died).
   */
  public void awaitReady(List<Node> nodes, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Node> pending = new ArrayList<>(nodes);
    while (true) {
      pending.removeIf(this::ready);
      if (pending.isEmpty()) {
        return;
      }
      for (Node n : pending) {
        if (process(n).isEmpty()) {
          throw new IllegalStateException(n.name() + " exited; see " + layout.log(n));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not ready within "
                + timeout.toSeconds()
                + " s: "
                + String.join(", ", pending.stream().map(Node::name).toList())
                + " (logs in "
                + layout.dir().resolve("logs")
                + ")");
      }
      Thread.sleep(200); // polling another process's HTTP endpoint: nothing to await in this JVM
    }
  }

  /** Waits until a node's process is gone. */
  public void awaitExit(Node n, Duration timeout) throws InterruptedException {
    Optional<ProcessHandle> p = process(n);
    if (p.isEmpty()) {
      return;
    }
    try {
      p.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      out.println(n.name() + " did not stop within " + timeout.toSeconds() + " s: killing it");
      p.get().destroyForcibly();
      try {
        p.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
        throw new IllegalStateException(n.name() + " does not die", ex);
      }
    }
  }

  /** The command line ({@code deploy/local/cluster.sh}): see {@link LocalClusterCommand}. */
  public static void main(String[] args) throws Exception {
    System.exit(LocalClusterCommand.run(args, System.out, System.err));
  }
}
