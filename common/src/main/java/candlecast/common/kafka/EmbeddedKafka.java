package candlecast.common.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.Server;
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
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final Path dataDir;

  /** The address it listens on and advertises: loopback, or its quorum voter's host. */
  private final String host;

  private final int port;
  private final int controllerPort;
  private final Server server;
  private final DirLock lock;
  private boolean stopped;

  private EmbeddedKafka(
      Path dataDir, String host, int port, int controllerPort, Server server, DirLock lock) {
    this.dataDir = dataDir;
    this.host = host;
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
    return start(dataDir, LoopbackPorts.HOST, port, 0, extraProperties, null);
  }

  /**
   * One broker of a multi-broker KRaft quorum (issue 19: the chaos harness runs three), see {@link
   * KafkaQuorum}. It listens on, and advertises, the host its own entry of the voters names.
   */
  public static EmbeddedKafka start(Path dataDir, int port, KafkaQuorum quorum) {
    String host = quorum.host();
    return start(
        dataDir,
        host,
        port,
        quorum.controllerPort(),
        quorum.properties(host, port),
        quorum.clusterId());
  }

  private static EmbeddedKafka start(
      Path dataDir,
      String host,
      int port,
      int fixedControllerPort,
      Map<String, String> extraProperties,
      String clusterId) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    KafkaLogging.quietKafkaLoggers();
    KafkaExits.install();
    long t0 = System.nanoTime();
    Path dir = dataDir.toAbsolutePath().normalize();
    Path logDir = dir.resolve("logs");
    int brokerPort = port == 0 ? LoopbackPorts.freePort() : port;
    if (port != 0 && !LoopbackPorts.isFree(port)) {
      throw new IllegalStateException(
          "embedded Kafka broker cannot listen on "
              + host
              + ":"
              + port
              + ": the port is already in use");
    }
    int ctlPort = fixedControllerPort > 0 ? fixedControllerPort : LoopbackPorts.freePort();
    while (ctlPort == brokerPort) {
      ctlPort = LoopbackPorts.freePort();
    }
    Properties props = BrokerStorage.defaults(host, logDir, brokerPort, ctlPort);
    props.putAll(extraProperties);
    DirLock lock = lock(dir, logDir);
    Server server;
    try {
      server = startServer(props, dir.resolve("broker.properties"), logDir, clusterId);
    } catch (IOException | RuntimeException e) {
      lock.release();
      throw new IllegalStateException(
          "embedded Kafka broker failed to start on "
              + host
              + ":"
              + brokerPort
              + " with data in "
              + dir
              + ": "
              + describe(e),
          e);
    }
    EmbeddedKafka k = new EmbeddedKafka(dir, host, brokerPort, ctlPort, server, lock);
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
    BrokerStorage.write(props, propsFile);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      BrokerStorage.format(propsFile, logDir, clusterId);
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
    return host + ":" + port;
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
        + host
        + ":"
        + controllerPort
        + ", "
        + dataDir
        + "]";
  }

  // ------------------------------------------------------------------------------------------------ internals

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
}
