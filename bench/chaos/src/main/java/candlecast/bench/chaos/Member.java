package candlecast.bench.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the chaos cluster: {@code java -jar candlecast.jar <role> [--cluster]} with its
 * settings in environment variables, output appended to {@code logs/<name>.log}. Only the harness
 * starts, signals and kills it, by the pid of the process it started.
 */
final class Member {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String role;
  final int index;

  /** The address it binds and advertises (loopback, or its network namespace's). */
  final String host;

  final int httpPort;

  /** Its network namespace's slot, 0: none (loopback). */
  final int slot;

  private final Netns net;
  private final Path jar;
  private final Path log;
  private final Map<String, String> env;
  private final String heap;
  private volatile Process process;
  private volatile boolean paused;

  Member(
      String role,
      int index,
      Placement at,
      int httpPort,
      Path jar,
      Path logDir,
      Map<String, String> env) {
    this.role = role;
    this.index = index;
    this.host = at.host();
    this.slot = at.slot();
    this.net = at.net();
    this.httpPort = httpPort;
    this.jar = jar;
    this.log = logDir.resolve(role + "-" + index + ".log");
    this.env = Map.copyOf(env);
    this.heap = "kafka".equals(role) ? "384m" : "256m";
  }

  String name() {
    return role + "#" + index;
  }

  synchronized void start() {
    if (alive()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    if (net != null) {
      cmd.addAll(net.launcher(slot)); // ip netns exec: the JVM keeps the pid it starts with
    }
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + heap);
    cmd.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Dcandlecast.node=" + name(),
            "-jar",
            jar.toString(),
            role));
    if (!"kafka".equals(role)) {
      cmd.add("--cluster");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CANDLECAST_"));
    pb.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- start " + name() + " " + Instant.now() + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      process = pb.start();
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name(), e);
    }
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** kill -9 and wait until the process is gone. */
  void kill9() throws InterruptedException {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    p.waitFor(20, TimeUnit.SECONDS);
    paused = false;
  }

  /** SIGTERM, then kill -9 after {@code graceSeconds}. */
  void terminate(int graceSeconds) throws InterruptedException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      signal("CONT");
    }
    p.destroy();
    if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  void pause() {
    signal("STOP");
    paused = true;
  }

  void resume() {
    signal("CONT");
    paused = false;
  }

  private void signal(String sig) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      Process k = new ProcessBuilder("kill", "-s", sig, String.valueOf(p.pid())).start();
      if (!k.waitFor(10, TimeUnit.SECONDS)) {
        k.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether it can be cut off from everything (it runs in its own network namespace). */
  boolean cuttable() {
    return net != null;
  }

  /** Its network link down: every connection it has goes silent. */
  void cut() {
    net.cut(slot);
  }

  /** Its network link up again. */
  void heal() {
    net.heal(slot);
  }

  /** Where a member runs: its address, and its namespace's slot (net null: loopback). */
  record Placement(String host, int slot, Netns net) {}

  /** GET /ready answers 200. */
  boolean ready() {
    if (!alive() || paused) {
      return false;
    }
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + "/ready"))
              .timeout(Duration.ofSeconds(2))
              .GET()
              .build();
      return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return name() + "(pid " + pid() + ", http " + httpPort + ")";
  }
}
