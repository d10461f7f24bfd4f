package candlecast.bench.cluster;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.deploy.ClusterSetup;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The product's clustered Vert.x (ClusterSetup, the same settings a role JVM uses) and process probes. */
final class BusNodes {
  static final String CLUSTER = "candlecast-limits";

  private BusNodes() {}

  /** A clustered node as a role JVM starts it: Candlecast's defaults, tcp-ip join via {@code seed}. */
  static Future<ClusterSetup.Clustered> join(int hazelcastPort, String seed) {
    return join(CLUSTER, hazelcastPort, seed);
  }

  /** The same in cluster {@code name}. */
  static Future<ClusterSetup.Clustered> join(String name, int hazelcastPort, String seed) {
    return join(name, hazelcastPort, seed, Settings.CLUSTER_FAILURE_TIMEOUT_SECONDS.defaultValue());
  }

  /** The same with another failure-detection timeout (seconds). */
  static Future<ClusterSetup.Clustered> join(String name, int hazelcastPort, String seed, int failureSeconds) {
    CandlecastConfig c =
        CandlecastConfig.defaults()
            .with(Settings.CLUSTER_FAILURE_TIMEOUT_SECONDS, failureSeconds)
            .with(Settings.CLUSTER_NAME, name)
            .with(Settings.CLUSTER_DISCOVERY, "tcp-ip")
            .with(Settings.CLUSTER_MEMBERS, List.of(seed))
            .with(Settings.CLUSTER_HOST, "127.0.0.1")
            .with(Settings.CLUSTER_PORT, hazelcastPort);
    return ClusterSetup.start(c, new VertxOptions());
  }

  /** CPU time of this process (all threads), ns. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Bytes this process read and wrote through system calls ({@code rchar}, {@code wchar} of /proc/self/io). */
  static long[] ioChars() {
    long[] rw = new long[2];
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("rchar:")) {
          rw[0] = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("wchar:")) {
          rw[1] = Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
    return rw;
  }

  /** Heap in use after a full collection, bytes. */
  static long heapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** Resident set size of a process from /proc, bytes (-1 when unknown). */
  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The series address of symbol index {@code i} (the product's address shape). */
  static String symbol(int i) {
    return String.format("SYM%04dUSD", i);
  }
}
