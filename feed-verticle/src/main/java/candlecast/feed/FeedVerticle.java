package candlecast.feed;

import candlecast.common.Addresses;
import candlecast.common.Symbols;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed tier: runs the configured trade sources ({@link MockSource}, {@link BitstampSource},
 * {@link ReplaySource}) and writes what they produce to {@code trades} (and rejects to {@code
 * trades.dlq}) — but only while it leads.
 *
 * <ul>
 *   <li>Sources: {@code feed.source} with {@code feed.symbols}; with bitstamp or replay, a
 *       non-empty {@code mock.symbols} runs the mock alongside for other symbols ({@link #plan}).
 *   <li>Leadership: every instance with the same {@code feed.group} joins a {@link LeaderLease};
 *       the one holding it runs a {@link FeedTerm}: a transactional producer whose {@code
 *       initTransactions} fences every earlier leader, the log's tail per symbol ({@link LogTail}),
 *       and the sources going on from there (Bitstamp back-fills the gap from REST). The others
 *       stand by. A fenced or failed producer ends the term and rejoins the group.
 *   <li>State: {@code candlecast.health.feed} answers {@link #health()}; the same JSON is published
 *       every second on {@code candlecast.status.feed}.
 *   <li>Stop: the term ends (sources first, then the log commits what it took, at most {@link
 *       #STOP_TIMEOUT_MS}), then the lease is left so that a standby takes over at once.
 * </ul>
 */
public final class FeedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedVerticle.class);
  public static final String HEALTH_ADDRESS = Addresses.health("feed");
  public static final String STATUS_ADDRESS = Addresses.STATUS + ".feed";
  static final long STATUS_INTERVAL_MS = 1_000;
  static final long STOP_TIMEOUT_MS = 15_000;
  static final long TERM_RETRY_MS = 1_000;

  private final CandlecastConfig config;
  private final String bootstrapServers;
  private Map<String, List<String>> plan;
  private String group;
  private LeaderLease lease;

  /** The current term, or the last one (its counters stay readable); null before the first. */
  private FeedTerm term;

  private boolean termRunning;

  /** Term changes happen one after the other. */
  private Future<Void> termOps = Future.succeededFuture();

  /** Deep history from the exchange's OHLC endpoint (issue 15), served by every instance. */
  private OhlcService ohlc;

  private long statusTimer = -1;
  private long retryTimer = -1;
  private volatile boolean stopping;
  private long terms;
  private long lastTakeoverMs = -1;

  /**
   * The outcome of this instance's first attempt to lead (start() reports it); done at once for a
   * standby.
   */
  private final Promise<Void> firstAttempt = Promise.promise();

  public FeedVerticle(CandlecastConfig config, String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Which source produces which symbols: {@code feed.source} gets {@code feed.symbols}; the mock
   * gets {@code mock.symbols} if set (alongside bitstamp or replay), else {@code feed.symbols} when
   * it is the source.
   *
   * @throws IllegalArgumentException for a configuration that cannot work, with the reason
   */
  static Map<String, List<String>> plan(CandlecastConfig config) {
    String main = config.get(Settings.FEED_SOURCE);
    List<String> symbols = config.get(Settings.FEED_SYMBOLS);
    List<String> mockSymbols = config.get(Settings.MOCK_SYMBOLS);
    Map<String, List<String>> plan = new LinkedHashMap<>();
    if ("mock".equals(main)) {
      plan.put("mock", mockSymbols.isEmpty() ? symbols : mockSymbols);
    } else {
      plan.put(main, symbols);
      if (!mockSymbols.isEmpty()) {
        Set<String> overlap = new LinkedHashSet<>(mockSymbols);
        overlap.retainAll(symbols);
        if (!overlap.isEmpty()) {
          throw new IllegalArgumentException(
              "feed: "
                  + overlap
                  + " in both feed.symbols ("
                  + main
                  + ") and "
                  + "mock.symbols; each symbol must come from one source");
        }
        plan.put("mock", mockSymbols);
      }
    }
    if ("replay".equals(main) && config.get(Settings.REPLAY_FILE).isBlank()) {
      throw new IllegalArgumentException(
          "feed: feed.source is replay but no file is set "
              + "(CANDLECAST_REPLAY_FILE / replay.file)");
    }
    if ("bitstamp".equals(main) && symbols.size() > BitstampProtocol.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "feed: "
              + symbols.size()
              + " symbols for bitstamp, but one connection "
              + "carries at most "
              + BitstampProtocol.MAX_CHANNELS
              + " channels");
    }
    if (config.get(Settings.BITSTAMP_BACKOFF_MAX_MS)
        < config.get(Settings.BITSTAMP_BACKOFF_MIN_MS)) {
      throw new IllegalArgumentException(
          "feed: bitstamp.backoff-max-ms must be >= bitstamp.backoff-min-ms");
    }
    return plan;
  }

  /**
   * The group name: {@code feed.group}, or one derived from the plan (sources and symbols), so that
   * replicas with the same configuration form one group while feeds of other symbols write side by
   * side.
   */
  static String group(CandlecastConfig config, Map<String, List<String>> plan) {
    String configured = config.get(Settings.FEED_GROUP);
    if (!configured.isEmpty()) {
      return configured;
    }
    StringBuilder b = new StringBuilder();
    plan.forEach(
        (source, symbols) ->
            b.append(b.length() == 0 ? "" : ".")
                .append(source)
                .append('-')
                .append(String.join("-", symbols.stream().sorted().toList())));
    if (b.length() <= 80) {
      return b.toString();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return String.join("-", plan.keySet()) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Future<?> start() {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      return Future.failedFuture(
          new IllegalStateException("feed: Kafka bootstrap servers are empty"));
    }
    try {
      plan = plan(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException(e.getMessage(), e));
    }
    group = group(config, plan);
    lease = lease();
    MessageConsumer<JsonObject> health =
        vertx.eventBus().consumer(HEALTH_ADDRESS, msg -> msg.reply(health()));
    ohlc = new OhlcService(vertx, config, plan.getOrDefault("bitstamp", List.of()));
    return health
        .completion()
        .compose(v -> ohlc.start())
        .compose(v -> announce())
        .compose(v -> lease.start())
        .compose(v -> firstOutcome())
        .onSuccess(v -> started())
        .recover(e -> stopAll().transform(x -> Future.failedFuture(e)));
  }

  /**
   * This instance's membership of its group's lease; the callbacks change terms one after the
   * other.
   */
  private LeaderLease lease() {
    return new LeaderLease(
        context,
        KafkaTopics.consumerProps(bootstrapServers, "candlecast-feed-lease." + group),
        Topics.FEED_LEASE,
        config.get(Settings.FEED_LEASE_TIMEOUT_MS),
        // the client id tells operators (and tests) who holds the lease
        "candlecast-feed-lease-" + ProcessHandle.current().pid(),
        new LeaderLease.Listener() {
          @Override
          public void elected() {
            serially(FeedVerticle.this::beginTerm);
          }

          @Override
          public void deposed() {
            serially(() -> endTerm("the lease moved"));
          }
        });
  }

  /**
   * Once joined: the outcome of the first attempt to lead (the elected callback, if any, was queued
   * before this); a standby has nothing to wait for.
   */
  private Future<Void> firstOutcome() {
    serially(
        () -> {
          firstAttempt.tryComplete();
          return Future.succeededFuture();
        });
    return firstAttempt.future();
  }

  /**
   * Enters the plan's symbols in the symbol directory ({@link Addresses#SYMBOL_DIRECTORY}, value
   * {@code "feed"} unless an aggregator is already named): they exist before an aggregator has
   * folded their first trade, so a request for one is answered "retry" rather than "unknown" (issue
   * 19).
   */
  private Future<Void> announce() {
    return vertx
        .sharedData()
        .<String, String>getAsyncMap(Addresses.SYMBOL_DIRECTORY)
        .compose(
            dir ->
                Future.all(
                    plan.values().stream()
                        .flatMap(List::stream)
                        .map(Symbols::normalize)
                        .filter(java.util.Objects::nonNull)
                        .map(s -> dir.putIfAbsent(s, "feed"))
                        .toList()))
        .mapEmpty();
  }

  private void started() {
    statusTimer =
        vertx.setPeriodic(
            STATUS_INTERVAL_MS, id -> vertx.eventBus().publish(STATUS_ADDRESS, health()));
    LOG.info(
        "feed started: {} to {} in group {} (lease timeout {} ms); writes while it holds the lease",
        plan,
        bootstrapServers,
        group,
        config.get(Settings.FEED_LEASE_TIMEOUT_MS));
  }

  private void serially(java.util.function.Supplier<Future<Void>> op) {
    termOps =
        termOps
            .transform(ar -> op.get())
            .recover(
                e -> {
                  LOG.error("feed: a leadership change failed: {}", e.toString());
                  return Future.succeededFuture();
                });
  }

  /**
   * Begins a term if this instance (still) holds the lease: a transactional producer fencing every
   * earlier leader, then the log's tail, then the sources. Retries after a pause when Kafka does
   * not answer.
   */
  private Future<Void> beginTerm() {
    if (stopping || termRunning || !lease.leader()) {
      return Future.succeededFuture();
    }
    long t0 = System.nanoTime();
    List<String> symbols = plan.values().stream().flatMap(List::stream).toList();
    return vertx
        .executeBlocking(() -> fence(symbols), false)
        .compose(
            started -> {
              if (stopping || !lease.leader()) {
                started.producer().close(Duration.ZERO);
                return Future.succeededFuture();
              }
              term =
                  new FeedTerm(
                      vertx,
                      context,
                      config,
                      bootstrapServers,
                      plan,
                      started.producer(),
                      started.positions(),
                      this::fatal);
              termRunning = true;
              terms++;
              lastTakeoverMs = (System.nanoTime() - t0) / 1_000_000;
              LOG.info(
                  "feed: leading (term {}), {} ms from election to writing; continuing after {}",
                  terms,
                  lastTakeoverMs,
                  started.positions().values());
              return term.start();
            })
        .onSuccess(v -> firstAttempt.tryComplete())
        .recover(
            e -> {
              if (firstAttempt.tryFail(e)) {
                return termRunning
                    ? endTerm("failed to start")
                    : Future.succeededFuture(); // start() fails with it
              }
              LOG.warn(
                  "feed: cannot begin writing yet ({}); retrying in {} ms",
                  e.toString(),
                  TERM_RETRY_MS);
              Future<Void> ended =
                  termRunning ? endTerm("failed to start") : Future.succeededFuture();
              return ended.onComplete(
                  x ->
                      retryTimer =
                          vertx.setTimer(
                              TERM_RETRY_MS,
                              id -> {
                                retryTimer = -1;
                                serially(this::beginTerm);
                              }));
            });
  }

  private record Fenced(
      Producer<String, byte[]> producer, Map<String, LogTail.Position> positions) {}

  /**
   * Blocking: the producer's {@code initTransactions} fences earlier leaders, then the tail is read
   * (committed).
   */
  private Fenced fence(List<String> symbols) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrapServers));
    props.putAll(KafkaTradeLog.producerOverrides());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "candlecast-feed");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "candlecast-feed." + group);
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props);
    try {
      producer.initTransactions();
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(
              new HashMap<String, Object>(KafkaTopics.consumerProps(bootstrapServers, null)))) {
        return new Fenced(producer, new LogTail(c, Duration.ofSeconds(30)).read(symbols));
      }
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * The producer can write no more (fenced by a newer leader, or broken): end the term, let the
   * group decide.
   */
  private void fatal(Throwable cause) {
    LOG.warn(
        "feed: the producer can write no more ({}); stepping down and rejoining the group",
        cause.toString());
    serially(
        () ->
            endTerm("producer fenced or failed")
                .onComplete(
                    x -> {
                      if (!stopping) {
                        lease.rejoin();
                      }
                    }));
  }

  private Future<Void> endTerm(String why) {
    if (!termRunning) {
      return Future.succeededFuture();
    }
    termRunning = false;
    LOG.info("feed: term {} ends ({})", terms, why);
    return term.stop(STOP_TIMEOUT_MS);
  }

  /**
   * The feed's state: {@code
   * {"status","role","source","group","sources":{name:{...}},"kafka":{...}}}.
   */
  public JsonObject health() {
    boolean leading = termRunning;
    boolean up = leading ? term.healthy() : lease != null && !stopping;
    JsonObject j =
        new JsonObject()
            .put("status", up ? "UP" : "DOWN")
            .put("role", leading ? "leader" : "standby")
            .put(
                "source",
                plan == null ? config.get(Settings.FEED_SOURCE) : String.join(",", plan.keySet()))
            .put("group", group)
            .put("terms", terms);
    if (lastTakeoverMs >= 0) {
      j.put("lastTakeoverMs", lastTakeoverMs);
    }
    if (term != null) {
      term.addState(j);
    }
    return j;
  }

  /** Whether this instance leads now (tests). */
  boolean leading() {
    return termRunning;
  }

  /**
   * Trades Kafka acknowledged on {@code trades} in the current or last term (tests and benchmarks).
   */
  long tradesSent() {
    return term == null ? 0 : term.tradesSent();
  }

  /**
   * The order books of the current or last term (tests): its writer is written to by the leader
   * only.
   */
  BookFeed books() {
    return term == null ? null : term.books();
  }

  /** Requests sent to the exchange's OHLC endpoint by this instance (tests). */
  long ohlcRequests() {
    return ohlc == null ? 0 : ohlc.requests();
  }

  /** The sources of the current or last term (tests and benchmarks). */
  List<TradeSource> sources() {
    return term == null ? List.of() : term.sources();
  }

  @Override
  public Future<?> stop() {
    return stopAll().onComplete(ar -> LOG.info("feed stopped: {}", health().encode()));
  }

  private Future<Void> stopAll() {
    stopping = true;
    for (long t : new long[] {statusTimer, retryTimer}) {
      if (t >= 0) {
        vertx.cancelTimer(t);
      }
    }
    statusTimer = -1;
    retryTimer = -1;
    Promise<Void> ended = Promise.promise();
    serially(() -> endTerm("stopping").onComplete(ended));
    return ended
        .future()
        .transform(ar -> ohlc == null ? Future.succeededFuture() : ohlc.stop())
        .transform(ar -> lease == null ? Future.succeededFuture() : lease.stop());
  }
}
