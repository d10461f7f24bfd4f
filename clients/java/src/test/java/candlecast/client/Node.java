package candlecast.client;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The single-node jar ({@code deploy/target/candlecast.jar}) in a JVM of its own on loopback ports,
 * with the mock feed and JWT authentication on; mints HS256 tokens and asks REST directly (the
 * tests' oracle, independent of the client's own parsing).
 */
final class Node implements AutoCloseable {
  static final String SECRET = "candlecast-java-client-test-secret-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  /** How far behind the wall clock the newest 1 s window of a live symbol may be. */
  static final long LIVE_LAG_MS = 15_000;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final java.util.Random RANDOM = new java.security.SecureRandom();

  final int port;
  private final int kafkaPort;
  final Path dataDir;
  private final Path log;
  private Process process;

  private Node(int port, int kafkaPort, Path dir) {
    this.port = port;
    this.kafkaPort = kafkaPort;
    this.dataDir = dir.resolve("data");
    this.log = dir.resolve("node.log");
  }

  /** Starts a node in a fresh temporary directory and waits for /ready. */
  static Node start() throws IOException {
    Node n = new Node(freePort(), freePort(), Files.createTempDirectory("candlecast-java-client"));
    n.launch();
    return n;
  }

  /**
   * A free port outside the kernel's ephemeral range (32768-60999), so that nothing the node (or
   * another test) binds to port 0 can take it between this check and the node's bind.
   */
  static int freePort() throws IOException {
    for (int i = 0; i < 200; i++) {
      int port = 20_000 + RANDOM.nextInt(10_000);
      try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another one
      }
    }
    throw new IOException("no free port in 20000-29999");
  }

  void launch() throws IOException {
    Path jar =
        Path.of(System.getProperty("candlecast.jar", "../../deploy/target/candlecast.jar"))
            .toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "no " + jar + ": build deploy first (mvn package -pl deploy -am)");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-jar",
            jar.toString());
    Map<String, String> env = pb.environment();
    env.put("CANDLECAST_HTTP_HOST", "127.0.0.1");
    env.put("CANDLECAST_HTTP_PORT", String.valueOf(port));
    env.put("CANDLECAST_KAFKA_EMBEDDED_PORT", String.valueOf(kafkaPort));
    env.put("CANDLECAST_DATA_DIR", dataDir.toString());
    env.put("CANDLECAST_GATEWAY_INSTANCES", "1");
    env.put("CANDLECAST_FEED_RATE", "50");
    env.put("CANDLECAST_MOCK_HISTORY_DAYS", "1");
    env.put("CANDLECAST_FEED_SYMBOLS", "BTCUSD,ETHUSD");
    env.put("CANDLECAST_GATEWAY_JWT_SECRET", SECRET);
    pb.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    process = pb.start();
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    try {
      awaitReady();
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the node did not become ready; see " + log, e);
    }
  }

  private void awaitReady() {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ready() || !process.isAlive());
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the node exited with " + process.exitValue() + "; see " + log);
    }
    // ready also means every symbol's tape and ticker answer (the owner knows a symbol at its first
    // live trade)
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                answers("/api/trades?symbol=BTCUSD&limit=1")
                    && answers("/api/trades?symbol=ETHUSD&limit=1")
                    && answers("/api/ticker?symbol=BTCUSD"));
    // ready also means live: a first run folds its day of mock history after /ready, and meanwhile
    // the live stream carries that history (86,400 1 s windows a symbol); a client still in it when
    // the node goes down resumes more than gateway.max-limit windows back: recovered:false, by the
    // protocol
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> live("BTCUSD") && live("ETHUSD"));
  }

  /** Whether the symbol's newest 1 s window is within {@link #LIVE_LAG_MS} of the wall clock. */
  private boolean live(String symbol) throws InterruptedException {
    try {
      HttpResponse<String> r = get("/api/candles?symbol=" + symbol + "&tf=1s&limit=1");
      if (r.statusCode() != 200) {
        return false;
      }
      JsonNode arr = JSON.readTree(r.body());
      return arr.size() == 1
          && arr.get(0).get("t").asLong() >= System.currentTimeMillis() - LIVE_LAG_MS;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean answers(String path) throws InterruptedException {
    try {
      return get(path).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  boolean ready() {
    try {
      return get("/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** kill -9: no shutdown hook, no flush. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  // ---------------------------------------------------------------- tokens and REST

  static String jwt(String sub, boolean operator) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    long exp = System.currentTimeMillis() / 1000 + 600;
    String claims =
        "{\"sub\":\""
            + sub
            + "\",\"exp\":"
            + exp
            + (operator ? ",\"role\":\"operator\"" : "")
            + "}";
    String body = b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig = mac.doFinal((header + "." + body).getBytes(StandardCharsets.UTF_8));
      return header + "." + body + "." + b64.encodeToString(sig);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return get(path, "oracle");
  }

  HttpResponse<String> get(String path, String sub) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Authorization", "Bearer " + jwt(sub, false))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** POST as the user {@code sub}. */
  HttpResponse<String> post(String path, String body, String sub)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Authorization", "Bearer " + jwt(sub, false))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POST as an operator. */
  HttpResponse<String> postAsOperator(String path, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Authorization", "Bearer " + jwt("operator", true))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
