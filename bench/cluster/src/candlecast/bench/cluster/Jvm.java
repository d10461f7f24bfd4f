package candlecast.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A child JVM of the harness; its output is kept and echoed to a log file; killed at the end in any case. */
final class Jvm implements AutoCloseable {
  private static final List<Jvm> ALL = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(j -> j.process.destroyForcibly())));
  }

  final String name;
  final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private Jvm(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code java <jvmArgs> <args>} with the harness's own java; output to {@code log}. */
  static Jvm start(String name, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmArgs);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Jvm j = new Jvm(name, pb.start());
    ALL.add(j);
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(j.process.getInputStream(), StandardCharsets.UTF_8));
                  var w = java.nio.file.Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                  j.lines.add(line);
                  w.write(line);
                  w.newLine();
                  w.flush();
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "out-" + name);
    t.setDaemon(true);
    t.start();
    return j;
  }

  /** The first output line starting with {@code prefix}, waiting up to {@code timeoutMs}. */
  String await(String prefix, long timeoutMs) throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      for (String l : lines) {
        if (l.startsWith(prefix)) {
          return l;
        }
        if (l.startsWith("FAILED")) {
          throw new IllegalStateException(name + ": " + l);
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue());
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(name + ": no '" + prefix + "' within " + timeoutMs + " ms");
  }

  /** The last output line starting with {@code prefix}, or null. */
  String lastLine(String prefix) {
    String last = null;
    for (String l : lines) {
      if (l.startsWith(prefix)) {
        last = l;
      }
    }
    return last;
  }

  /** {@code key=value} of a READY line as a long. */
  static long field(String line, String key) {
    for (String part : line.split(" ")) {
      if (part.startsWith(key + "=")) {
        return Long.parseLong(part.substring(key.length() + 1));
      }
    }
    throw new IllegalArgumentException("no " + key + " in " + line);
  }

  long pid() {
    return process.pid();
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill9();
    }
    ALL.remove(this);
  }
}
