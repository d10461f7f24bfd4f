package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The socket, its state machine, the subscriptions it restores and the commands it matches. Every
 * field is used on one thread (the event loop {@link #loop}); the public methods hop onto it.
 * Sockets are opened by {@link Dialer}, their frames handled by {@link Inbound}, their liveness
 * judged by {@link Liveness} and their sends ordered by {@link SendQueue}.
 */
final class Connection {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());

  private final ClientConfig cfg;
  final ScheduledExecutorService loop;
  private final ExecutorService publishers;
  private final Dialer dialer;
  private final Backoff backoff;
  private final Requests requests;
  private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
  private final SubscriptionTable table = new SubscriptionTable(this);
  private final Inbound inbound;
  private final Liveness liveness;
  private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
  private volatile ConnectionState state = ConnectionState.IDLE;
  private WebSocket ws;
  private int generation;
  private int attempt;
  private long seq;
  private final SendQueue sendQueue = new SendQueue();
  private ScheduledFuture<?> pingTask;

  Connection(
      ClientConfig cfg,
      ScheduledExecutorService loop,
      ExecutorService publishers,
      HttpClient http) {
    this.cfg = cfg;
    this.loop = loop;
    this.publishers = publishers;
    this.dialer = new Dialer(cfg, http, loop);
    this.backoff = new Backoff(cfg.initialBackoffMs(), cfg.maxBackoffMs(), Math::random);
    this.requests = new Requests(loop, cfg.requestTimeoutMs());
    this.inbound = new Inbound(this, table, requests);
    this.liveness = new Liveness(cfg.pingIntervalMs());
  }

  ConnectionState state() {
    return state;
  }

  ExecutorService publisherExecutor() {
    return publishers;
  }

  int publisherBuffer() {
    return cfg.publisherBuffer();
  }

  void addStateListener(StateListener l) {
    stateListeners.add(l);
  }

  void removeStateListener(StateListener l) {
    stateListeners.remove(l);
  }

  void addNoticeListener(Consumer<Notice> l) {
    inbound.noticeListeners.add(l);
  }

  void removeNoticeListener(Consumer<Notice> l) {
    inbound.noticeListeners.remove(l);
  }

  void guard(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a Candlecast listener threw", e);
    }
  }

  /** Runs {@code task} on the loop after {@code ms}; the loop's tasks report their own failures. */
  void later(Runnable task, long ms) {
    ScheduledFuture<?> unused = loop.schedule(task, ms, TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Runs a task on the event loop; false when the client is closed (the loop is shut down), then
   * {@code orElse} runs on the caller's thread.
   */
  boolean exec(Runnable task, Runnable orElse) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException closed) {
      orElse.run();
      return false;
    }
  }

  private static CandlecastException closedError() {
    return new CandlecastException(CandlecastException.CLOSED, "the client is closed");
  }

  CompletableFuture<Void> connect() {
    exec(this::start, () -> {});
    return firstConnect;
  }

  private void start() {
    if (state == ConnectionState.IDLE) {
      setState(ConnectionState.CONNECTING, null, 0);
      pingTask =
          loop.scheduleAtFixedRate(
              this::checkLiveness,
              cfg.pingIntervalMs(),
              cfg.pingIntervalMs(),
              TimeUnit.MILLISECONDS);
      openSocket();
    }
  }

  private void openSocket() {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    int gen = ++generation;
    dialer.dial(gen, this, e -> dialFailed(gen, e));
  }

  /** A socket could not be opened: a refused fixed token ends the client, anything else retries. */
  private void dialFailed(int gen, CandlecastException e) {
    if ((e.status() == 401 || e.status() == 403) && cfg.fixedToken()) {
      shutdown(e);
      return;
    }
    dropped(gen, -1, e);
  }

  void opened(int gen, WebSocket socket) {
    if (gen != generation || state == ConnectionState.CLOSED) {
      socket.abort();
      return;
    }
    ws = socket;
    inbound.serverTimeAtConnect = null;
    sendQueue.reset();
    liveness.reset(System.currentTimeMillis());
    for (Requests.Pending p : requests.unsent()) {
      p.sent = true;
      send(p.text);
    }
    table.restoreAll();
    checkConnected();
  }

  void dropped(int gen, int code, CandlecastException error) {
    if (gen != generation || state == ConnectionState.CLOSED) {
      return;
    }
    generation++;
    WebSocket old = ws;
    ws = null;
    if (old != null) {
      old.abort();
    }
    requests.failSent(CandlecastException.CONNECTION_LOST, "the connection dropped", false);
    table.dropAll();
    long delay;
    if (code == 1012) {
      delay = backoff.restartDelay();
    } else {
      delay = backoff.delay(attempt);
      attempt++;
    }
    setState(ConnectionState.RECONNECTING, error, delay);
    later(this::openSocket, delay);
  }

  CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    exec(
        () -> {
          shutdown(null);
          done.complete(null);
        },
        () -> done.complete(null));
    return done;
  }

  private void shutdown(CandlecastException error) {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    generation++;
    if (pingTask != null) {
      pingTask.cancel(false);
    }
    requests.failSent(CandlecastException.CLOSED, "the client is closed", true);
    table.finishAll(error);
    WebSocket old = ws;
    ws = null;
    if (old != null) {
      CompletableFuture<?> unused =
          old.sendClose(WebSocket.NORMAL_CLOSURE, "bye").whenComplete((x, e) -> old.abort());
    }
    setState(ConnectionState.CLOSED, error, 0);
    firstConnect.completeExceptionally(error != null ? error : closedError());
  }

  private void setState(ConnectionState s, CandlecastException error, long delay) {
    state = s;
    StateChange change = new StateChange(s, attempt, delay, error);
    for (StateListener l : stateListeners) {
      guard(() -> l.onState(change));
    }
  }

  void checkConnected() {
    if (ws != null && table.allRestored() && state != ConnectionState.CONNECTED) {
      attempt = 0;
      setState(ConnectionState.CONNECTED, null, 0);
      firstConnect.complete(null);
    }
  }

  private void checkLiveness() {
    if (ws == null) {
      return;
    }
    String dead = liveness.check(System.currentTimeMillis());
    if (dead != null) {
      dropped(generation, -1, new CandlecastException(CandlecastException.CONNECTION_LOST, dead));
      return;
    }
    send("{\"type\":\"ping\"}");
  }

  // ---------------------------------------------------------------- sending

  void send(String text) {
    WebSocket socket = ws;
    if (socket == null) {
      return;
    }
    sendQueue.send(socket, text);
  }

  String nextId() {
    return "c" + ++seq;
  }

  CompletableFuture<JsonNode> request(ObjectNode command, Predicate<JsonNode> frames) {
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    exec(
        () -> {
          if (state == ConnectionState.CLOSED) {
            f.completeExceptionally(closedError());
            return;
          }
          String id = nextId();
          command.put("id", id);
          Requests.Pending p = new Requests.Pending(id, f, frames, Json.write(command));
          requests.add(p);
          if (state == ConnectionState.IDLE) {
            start();
          } else if (ws != null) {
            p.sent = true;
            send(p.text);
          }
        },
        () -> f.completeExceptionally(closedError()));
    return f;
  }

  // ---------------------------------------------------------------- subscriptions (see
  // SubscriptionTable)

  void open(Subscription<?> s) {
    exec(
        () -> {
          if (s.phase != Subscription.Phase.NEW) {
            return;
          }
          if (state == ConnectionState.CLOSED) {
            s.fail(closedError());
            return;
          }
          table.add(s);
          if (state == ConnectionState.IDLE) {
            start();
          } else if (ws != null) {
            table.sendSubscribe(s);
          }
        },
        () -> s.fail(closedError()));
  }

  void resubscribe(Subscription<?> s, long delayMs) {
    table.resubscribe(s, delayMs);
  }

  void restored(Subscription<?> s) {
    table.restored(s);
  }

  CompletableFuture<Void> unsubscribe(Subscription<?> s) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    exec(
        () -> {
          if (!table.remove(s, ws != null)) {
            done.complete(null);
            return;
          }
          CompletableFuture<?> unused =
              request(s.unsubscribeCommand(), null).whenComplete((r, e) -> done.complete(null));
        },
        () -> done.complete(null));
    return done;
  }

  boolean isOpen() {
    return ws != null;
  }

  /**
   * The server's clock when the current socket connected (its {@code connection} frame's {@code
   * timestamp}, epoch ms), or null before that frame or when it had none.
   */
  Long serverTimeAtConnect() {
    return inbound.serverTimeAtConnect;
  }

  /** A pong (or any answer to a ping) arrived. */
  void ponged() {
    liveness.ponged();
  }

  int generation() {
    return generation;
  }

  Backoff backoff() {
    return backoff;
  }

  long requestTimeoutMs() {
    return cfg.requestTimeoutMs();
  }

  // ---------------------------------------------------------------- receiving

  void received(int gen, String text) {
    if (gen == generation) {
      liveness.heard(System.currentTimeMillis());
      inbound.received(text);
    }
  }

  /** A binary frame (issue 20, {@code encoding=binary}), see {@link Inbound#receivedBinary}. */
  void receivedBinary(int gen, java.nio.ByteBuffer frame) {
    if (gen == generation) {
      liveness.heard(System.currentTimeMillis());
      inbound.receivedBinary(frame);
    }
  }
}
