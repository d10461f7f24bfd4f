package candlecast.common.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import kafka.server.Server;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM,
 * for the single-JVM mode and for tests.
 *
 * <p>Layout of {@code dataDir}: {@code broker.properties} (the effective configuration of the last
 * start, written for humans and for the storage formatter) and {@code logs/} (the broker's log
 * directory and the KRaft metadata log). The log directory is formatted once, on the first start;
 * every later start on the same directory keeps every topic and record. The broker listens on
 * 127.0.0.1 only: the PLAINTEXT listener on the requested port and the controller listener on a
 * free port picked at each start.
 *
 * <p>The broker is tuned to start in about a second and to be small: replication factors and min
 * ISR 1, internal topics with few partitions, a 2 MiB log-cleaner dedupe buffer (the default needs
 * ~128 MiB at start), no initial rebalance delay, topic auto-creation off (Candlecast creates its
 * topics with {@link KafkaTopics#ensureTopics}). Kafka's fatal-error handlers normally halt the
 * JVM; starting an embedded broker replaces them, for the whole JVM, with procedures that log and
 * throw instead.
 */
public final class EmbeddedKafka {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final Server server;
  private final DirLock lock;
  private boolean stopped;

  private EmbeddedKafka(Path dataDir, int port, int controllerPort, Server server, DirLock lock) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.server = server;
    this.lock = lock;
  }

  /**
   * Starts a broker on {@code dataDir} (created and formatted if needed) listening on {@code port}
   * (0 = any free).
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * Like {@link #start(Path, int)}, with extra broker properties applied last (e.g. {@code
   * advertised.listeners} or {@code log.retention.check.interval.ms}).
   *
   * @throws IllegalStateException when the broker cannot be formatted or started (port in use,
   *     directory locked by another broker, ...); nothing is left running
   */
  public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> extraProperties) {
    return start(dataDir, port, 0, extraProperties, null);
  }

  /**
   * One broker of a multi-broker KRaft quorum (issue 19: the chaos harness runs three), see {@link
   * KafkaQuorum}.
   */
  public static EmbeddedKafka start(Path dataDir, int port, KafkaQuorum quorum) {
    return start(
        dataDir, port, quorum.controllerPort(), quorum.properties(HOST, port), quorum.clusterId());
  }

  private static EmbeddedKafka start(
      Path dataDir,
      int port,
      int fixedControllerPort,
      Map<String, String> extraProperties,
      String clusterId) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    KafkaLogging.quietKafkaLoggers();
    installExitProcedures();
    long t0 = System.nanoTime();
    Path dir = dataDir.toAbsolutePath().normalize();
    Path logDir = dir.resolve("logs");
    int brokerPort = port == 0 ? freePort() : port;
    if (port != 0 && !isFree(port)) {
      throw new IllegalStateException(
          "embedded Kafka broker cannot listen on "
              + HOST
              + ":"
              + port
              + ": the port is already in use");
    }
    int ctlPort = fixedControllerPort > 0 ? fixedControllerPort : freePort();
    while (ctlPort == brokerPort) {
      ctlPort = freePort();
    }
    Properties props = brokerProperties(logDir, brokerPort, ctlPort);
    props.putAll(extraProperties);
    DirLock lock = lock(dir, logDir);
    Server server;
    try {
      server = startServer(props, dir.resolve("broker.properties"), logDir, clusterId);
    } catch (IOException | RuntimeException e) {
      lock.release();
      throw new IllegalStateException(
          "embedded Kafka broker failed to start on "
              + HOST
              + ":"
              + brokerPort
              + " with data in "
              + dir
              + ": "
              + describe(e),
          e);
    }
    EmbeddedKafka k = new EmbeddedKafka(dir, brokerPort, ctlPort, server, lock);
    LOG.info(
        "Embedded Kafka broker up at {} (data {}) in {} ms",
        k.bootstrapServers(),
        dir,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return k;
  }

  /**
   * Creates the log directory and locks the data directory. Kafka's own lock covers the log
   * directory but not the controller's metadata log, which a second instance would open and
   * corrupt: hold our own lock on the whole directory first.
   */
  private static DirLock lock(Path dir, Path logDir) {
    try {
      Files.createDirectories(logDir);
      return DirLock.acquire(dir.resolve("embedded-kafka.lock"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data directory " + dir, e);
    }
  }

  /**
   * Writes the properties, formats the log directory on the first start and starts the broker; on
   * failure, stops it.
   */
  private static Server startServer(Properties props, Path propsFile, Path logDir, String clusterId)
      throws IOException {
    writeProperties(props, propsFile);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(propsFile, logDir, clusterId);
    }
    Server server = newServer(props);
    try {
      server.startup();
    } catch (RuntimeException e) {
      shutdownQuietly(server);
      throw e;
    }
    return server;
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The PLAINTEXT listener's port (the chosen one when started with port 0). */
  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public synchronized boolean isRunning() {
    return !stopped;
  }

  /**
   * Shuts the broker down cleanly (log segments flushed, clean-shutdown marker written, ports
   * released), waiting at most 30 s. Calling it again does nothing.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long t0 = System.nanoTime();
    Thread t = new Thread(() -> shutdownQuietly(server), "embedded-kafka-shutdown");
    t.setDaemon(true);
    t.start();
    try {
      t.join(STOP_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      // Keep the directory lock: the broker may still be writing.
      LOG.error(
          "Embedded Kafka broker at {} did not stop within {} ms",
          bootstrapServers(),
          STOP_TIMEOUT_MS);
    } else {
      lock.release();
      LOG.info(
          "Embedded Kafka broker at {} stopped in {} ms",
          bootstrapServers(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka["
        + bootstrapServers()
        + ", controller "
        + HOST
        + ":"
        + controllerPort
        + ", "
        + dataDir
        + "]";
  }

  // ------------------------------------------------------------------------------------------------ internals

  static Properties brokerProperties(Path logDir, int port, int controllerPort) {
    Map<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: every replication factor and min ISR is 1.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The feed's leader lease may use a session timeout below Kafka's default floor of 6 s.
    p.put("group.min.session.timeout.ms", "500");
    // The default 128 MiB dedupe buffer is allocated at start.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "2");
    // Faster registration and unfencing at start.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("log.retention.check.interval.ms", "60000");
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  private static void format(Path propsFile, Path logDir, String sharedClusterId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String clusterId = sharedClusterId != null ? sharedClusterId : Uuid.randomUuid().toString();
    int rc;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "--config",
                propsFile.toString(),
                "--cluster-id",
                clusterId,
                "--ignore-formatted"
              },
              ps);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot format Kafka storage in "
              + logDir
              + ": "
              + e.getMessage()
              + " "
              + out.toString(StandardCharsets.UTF_8).trim(),
          e);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "cannot format Kafka storage in "
              + logDir
              + " (exit "
              + rc
              + "): "
              + out.toString(StandardCharsets.UTF_8).trim());
    }
    LOG.debug("Formatted Kafka storage {} with cluster id {}", logDir, clusterId);
  }

  private static void writeProperties(Properties props, Path file) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      props.store(os, "Written by Candlecast EmbeddedKafka at each start; edits are overwritten");
    }
  }

  /**
   * {@code new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM)}, reflectively:
   * KafkaConfig's superclass lives in kafka-server, which kafka_2.13 only declares as a runtime
   * dependency.
   */
  private static Server newServer(Properties props) {
    try {
      Class<?> configClass = Class.forName("kafka.server.KafkaConfig");
      Object config =
          configClass
              .getMethod("fromProps", Properties.class, boolean.class)
              .invoke(null, props, false);
      return Class.forName("kafka.server.KafkaRaftServer")
          .asSubclass(Server.class)
          .getConstructor(configClass, Time.class)
          .newInstance(config, Time.SYSTEM);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      throw new IllegalStateException("invalid embedded Kafka configuration: " + c.getMessage(), c);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Kafka broker classes (org.apache.kafka:kafka_2.13) are not usable", e);
    }
  }

  private static void shutdownQuietly(Server server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error while stopping the embedded Kafka broker", e);
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getMessage() + ")";
  }

  @SuppressWarnings(
      "AddressSelection") // HOST is an IP literal: getByName parses it, no name is resolved
  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @SuppressWarnings(
      "AddressSelection") // HOST is an IP literal: getByName parses it, no name is resolved
  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  /**
   * An exclusive lock on a file, held from start to stop: one broker per data directory, in any
   * process.
   */
  private static final class DirLock {
    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    static DirLock acquire(Path file) throws IOException {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new IllegalStateException(
            "embedded Kafka data directory "
                + file.getParent()
                + " is already in use by another broker");
      }
      return new DirLock(ch, l);
    }

    void release() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        LOG.warn("Cannot release {}", lock, e);
      }
    }
  }

  private static volatile boolean exitProceduresInstalled;

  /**
   * Kafka calls {@link Exit#halt} / {@link Exit#exit} on fatal errors: never let it kill our JVM.
   */
  private static synchronized void installExitProcedures() {
    if (exitProceduresInstalled) {
      return;
    }
    Exit.setHaltProcedure(
        (status, message) -> {
          LOG.error("Embedded Kafka requested JVM halt({}): {} (refused)", status, message);
          throw new IllegalStateException(
              "embedded Kafka requested halt(" + status + "): " + message);
        });
    Exit.setExitProcedure(
        (status, message) -> {
          LOG.error("Embedded Kafka requested JVM exit({}): {} (refused)", status, message);
          throw new IllegalStateException(
              "embedded Kafka requested exit(" + status + "): " + message);
        });
    exitProceduresInstalled = true;
  }
}
