package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Candlecast client: one WebSocket ({@code /ws}, JSON protocol) that reconnects with full-jitter
 * back-off and restores every subscription without gap or duplicate, plus REST history.
 * Thread-safe; listeners are called on the client's single event thread, {@link
 * java.util.concurrent.Flow.Subscriber}s on their own executor.
 *
 * <pre>{@code
 * try (var c = CandlecastClient.builder("http://localhost:8080").token(jwt).build()) {
 *   c.candles("BTCUSD", "1m", candle -> System.out.println(candle));
 *   Thread.sleep(60_000);
 * }
 * }</pre>
 */
public final class CandlecastClient extends Streams implements AutoCloseable {
  private final Connection conn;
  private final Rest rest;
  private final History history;
  private final ScheduledExecutorService loop;
  private final ExecutorService workers;

  private CandlecastClient(ClientConfig cfg) {
    AtomicInteger n = new AtomicInteger();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "candlecast-client-" + n.incrementAndGet()));
    this.workers =
        Executors.newCachedThreadPool(r -> daemon(r, "candlecast-worker-" + n.incrementAndGet()));
    HttpClient http =
        HttpClient.newBuilder()
            .executor(workers)
            .connectTimeout(Duration.ofMillis(cfg.requestTimeoutMs()))
            .build();
    this.conn = new Connection(cfg, loop, workers, http);
    this.rest = new Rest(http, cfg);
    this.history = new History(rest, conn);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  Connection connection() {
    return conn;
  }

  /**
   * A builder.
   *
   * @param url the node's base URL ({@code http://host:8080}) or its WebSocket URL ({@code
   *     ws://host:8080/ws})
   * @return the builder
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  // ---------------------------------------------------------------- connection

  /**
   * The current state.
   *
   * @return the state
   */
  public ConnectionState state() {
    return conn.state();
  }

  /**
   * Whether the socket is open and every subscription restored.
   *
   * @return true when connected
   */
  public boolean isConnected() {
    return conn.state() == ConnectionState.CONNECTED;
  }

  /**
   * Observes state changes.
   *
   * @param l the listener
   * @return removes the listener
   */
  public Runnable onState(StateListener l) {
    conn.addStateListener(l);
    return () -> conn.removeStateListener(l);
  }

  /**
   * Observes operator notices (always on).
   *
   * @param l the listener
   * @return removes the listener
   */
  public Runnable onNotice(Consumer<Notice> l) {
    conn.addNoticeListener(l);
    return () -> conn.removeNoticeListener(l);
  }

  /**
   * Connects (also implied by the first subscription or request).
   *
   * @return completes at the first {@code connected}; fails when the client closes first (e.g.
   *     unauthorized)
   */
  public CompletableFuture<Void> connect() {
    return conn.connect();
  }

  /**
   * Closes: no reconnect, pending requests fail with {@code closed}, publishers complete.
   *
   * @return completes when closed
   */
  public CompletableFuture<Void> closeAsync() {
    return conn.close()
        .whenComplete(
            (x, e) -> {
              loop.shutdown();
              workers.shutdown();
            });
  }

  /** Closes and waits (up to 5 s) for it. */
  @Override
  public void close() {
    try {
      closeAsync().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw CandlecastException.of(e);
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * Sends any JSON command (an {@code id} is added) and completes with its reply frame.
   *
   * @param command the command
   * @return the reply; fails with the server's error
   */
  public CompletableFuture<JsonNode> request(ObjectNode command) {
    return conn.request(command.deepCopy(), null);
  }

  /**
   * Creates an alert.
   *
   * @param definition the definition (docs/PROTOCOL.md, "Alert definition")
   * @return the record
   */
  public CompletableFuture<JsonNode> createAlert(Map<String, ?> definition) {
    ObjectNode cmd = Json.object().put("type", "alert_create");
    cmd.set("alert", Json.MAPPER.valueToTree(definition));
    return conn.request(cmd, null).thenApply(r -> r.get("alert"));
  }

  /**
   * Deletes an alert.
   *
   * @param alertId the id
   * @return completes when deleted
   */
  public CompletableFuture<Void> deleteAlert(String alertId) {
    return conn.request(Json.object().put("type", "alert_delete").put("alertId", alertId), null)
        .thenApply(r -> null);
  }

  /**
   * Lists the owner's alerts.
   *
   * @param symbol only this symbol's, or null
   * @param state only alerts in this state, or null
   * @return the records, newest first
   */
  public CompletableFuture<JsonNode> listAlerts(String symbol, String state) {
    ObjectNode cmd = Json.object().put("type", "alert_list");
    if (symbol != null) {
      cmd.put("symbol", symbol);
    }
    if (state != null) {
      cmd.put("state", state);
    }
    return conn.request(cmd, null).thenApply(r -> r.get("alerts"));
  }

  /**
   * One alert and its recent fires.
   *
   * @param alertId the id
   * @return {@code {"type":"alert_detail","alert":…,"fires":[…]}}
   */
  public CompletableFuture<JsonNode> getAlert(String alertId) {
    return conn.request(Json.object().put("type", "alert_get").put("alertId", alertId), null);
  }

  /**
   * History over REST and the socket's batch command.
   *
   * @return the history API
   */
  public History history() {
    return history;
  }

  /**
   * Any REST call under {@code /api} with the token.
   *
   * @param method GET, POST, PUT, DELETE
   * @param path e.g. {@code /api/ticker?symbol=BTCUSD}
   * @param body a JSON body, or null
   * @return the JSON answer; fails with a CandlecastException carrying the status
   */
  public CompletableFuture<JsonNode> rest(String method, String path, JsonNode body) {
    return rest.call(method, path, body);
  }

  /**
   * Builds a client; nothing connects before the first subscription, request or {@link #connect()}.
   */
  public static final class Builder {
    private final String url;
    private Supplier<String> token;
    private boolean fixedToken;
    private String owner;
    private long initialBackoffMs = 500;
    private long maxBackoffMs = 15_000;
    private long requestTimeoutMs = 10_000;
    private long pingIntervalMs = 15_000;
    private int publisherBuffer = 1024;
    private String encoding = "json";

    private Builder(String url) {
      this.url = url;
    }

    /**
     * A fixed JWT: a handshake refused with 401/403 closes the client ({@code unauthorized}/{@code
     * forbidden}).
     *
     * @param jwt the token
     * @return this
     */
    public Builder token(String jwt) {
      this.token = () -> jwt;
      this.fixedToken = true;
      return this;
    }

    /**
     * A token function, called on every connect (a refused handshake is retried: it may return a
     * new token).
     *
     * @param supplier the function
     * @return this
     */
    public Builder token(Supplier<String> supplier) {
      this.token = supplier;
      this.fixedToken = false;
      return this;
    }

    /**
     * The owner label for alerts and portfolio when the server runs without authentication.
     *
     * @param o the owner
     * @return this
     */
    public Builder owner(String o) {
      this.owner = o;
      return this;
    }

    /**
     * The back-off's first ceiling and its maximum (default 500 ms, 15 s).
     *
     * @param initialMs initial ceiling
     * @param maxMs maximum ceiling
     * @return this
     */
    public Builder backoff(long initialMs, long maxMs) {
      this.initialBackoffMs = initialMs;
      this.maxBackoffMs = maxMs;
      return this;
    }

    /**
     * How long a request waits for its reply (default 10 s).
     *
     * @param ms milliseconds
     * @return this
     */
    public Builder requestTimeoutMs(long ms) {
      this.requestTimeoutMs = ms;
      return this;
    }

    /**
     * The ping interval (default 15 s; 2 missed pongs drop the connection).
     *
     * @param ms milliseconds
     * @return this
     */
    public Builder pingIntervalMs(long ms) {
      this.pingIntervalMs = ms;
      return this;
    }

    /**
     * The buffer of each publisher subscriber (default 1024 events; a full buffer slows the socket
     * down).
     *
     * @param events buffer size
     * @return this
     */
    public Builder publisherBuffer(int events) {
      this.publisherBuffer = events;
      return this;
    }

    /**
     * The encoding of the server's updates (issue 20): {@code "json"} (the default) or {@code
     * "binary"} (candle, trades and book updates as compact binary frames, read into the same
     * models; replies stay JSON).
     *
     * @param name json or binary
     * @return this
     * @throws IllegalArgumentException for any other name
     */
    public Builder encoding(String name) {
      if (!"json".equals(name) && !"binary".equals(name)) {
        throw new IllegalArgumentException(
            "unknown encoding '" + name + "': use \"json\" (the default) or \"binary\"");
      }
      this.encoding = name;
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     */
    public CandlecastClient build() {
      if (requestTimeoutMs <= 0 || pingIntervalMs <= 0 || publisherBuffer <= 0) {
        throw new IllegalArgumentException(
            "timeouts, ping interval and publisher buffer must be positive");
      }
      Backoff check = new Backoff(initialBackoffMs, maxBackoffMs, Math::random);
      check.ceiling(0);
      return new CandlecastClient(
          new ClientConfig(
              Endpoints.of(url, owner).withEncoding(encoding),
              token,
              fixedToken,
              owner,
              initialBackoffMs,
              maxBackoffMs,
              requestTimeoutMs,
              pingIntervalMs,
              publisherBuffer));
    }
  }
}
