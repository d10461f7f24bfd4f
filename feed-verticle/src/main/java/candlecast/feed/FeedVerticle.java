package candlecast.feed;

import candlecast.common.Addresses;
import candlecast.common.Symbols;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed tier: runs the configured trade sources ({@link MockSource}, {@link BitstampSource},
 * {@link ReplaySource}) and writes what they produce to {@code trades} (and rejects to {@code
 * trades.dlq}) — but only while it leads.
 *
 * <ul>
 *   <li>Sources: {@code feed.source} with {@code feed.symbols}; with bitstamp or replay, a
 *       non-empty {@code mock.symbols} runs the mock alongside for other symbols ({@link
 *       FeedPlan}).
 *   <li>Leadership: every instance with the same {@code feed.group} joins a {@link LeaderLease};
 *       the one holding it runs a {@link FeedTerm}: a transactional producer whose {@code
 *       initTransactions} fences every earlier leader, the log's tail per symbol ({@link LogTail}),
 *       and the sources going on from there (Bitstamp back-fills the gap from REST). The others
 *       stand by. A fenced or failed producer ends the term and rejoins the group ({@link
 *       FeedLeadership}, {@link TermFence}).
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
  private FeedLeadership leadership;

  /** Deep history from the exchange's OHLC endpoint (issue 15), served by every instance. */
  private OhlcService ohlc;

  private long statusTimer = -1;

  public FeedVerticle(CandlecastConfig config, String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Which source produces which symbols ({@link FeedPlan#of}).
   *
   * @throws IllegalArgumentException for a configuration that cannot work, with the reason
   */
  static Map<String, List<String>> plan(CandlecastConfig config) {
    return FeedPlan.of(config);
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
    group = FeedPlan.group(config, plan);
    leadership = new FeedLeadership(vertx, context, config, bootstrapServers, plan, group);
    MessageConsumer<JsonObject> health =
        vertx.eventBus().consumer(HEALTH_ADDRESS, msg -> msg.reply(health()));
    ohlc = new OhlcService(vertx, config, plan.getOrDefault("bitstamp", List.of()));
    return health
        .completion()
        .compose(v -> ohlc.start())
        .compose(v -> announce())
        .compose(v -> leadership.join())
        .compose(v -> leadership.firstOutcome())
        .onSuccess(v -> started())
        .recover(e -> stopAll().transform(x -> Future.failedFuture(e)));
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

  /**
   * The feed's state: {@code
   * {"status","role","source","group","sources":{name:{...}},"kafka":{...}}}.
   */
  public JsonObject health() {
    boolean leading = leadership != null && leadership.leading();
    boolean up = leadership != null && leadership.healthy();
    long terms = leadership == null ? 0 : leadership.terms();
    long lastTakeoverMs = leadership == null ? -1 : leadership.lastTakeoverMs();
    FeedTerm term = term();
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

  /** The current or last term, or null before the first. */
  private FeedTerm term() {
    return leadership == null ? null : leadership.term();
  }

  /** Whether this instance leads now (tests). */
  boolean leading() {
    return leadership != null && leadership.leading();
  }

  /**
   * Trades Kafka acknowledged on {@code trades} in the current or last term (tests and benchmarks).
   */
  long tradesSent() {
    FeedTerm term = term();
    return term == null ? 0 : term.tradesSent();
  }

  /**
   * The order books of the current or last term (tests): its writer is written to by the leader
   * only.
   */
  BookFeed books() {
    FeedTerm term = term();
    return term == null ? null : term.books();
  }

  /** Requests sent to the exchange's OHLC endpoint by this instance (tests). */
  long ohlcRequests() {
    return ohlc == null ? 0 : ohlc.requests();
  }

  /** The sources of the current or last term (tests and benchmarks). */
  List<TradeSource> sources() {
    FeedTerm term = term();
    return term == null ? List.of() : term.sources();
  }

  @Override
  public Future<?> stop() {
    return stopAll().onComplete(ar -> LOG.info("feed stopped: {}", health().encode()));
  }

  private Future<Void> stopAll() {
    if (statusTimer >= 0) {
      vertx.cancelTimer(statusTimer);
    }
    statusTimer = -1;
    Future<Void> ended = leadership == null ? Future.succeededFuture() : leadership.endTerms();
    return ended
        .transform(ar -> ohlc == null ? Future.succeededFuture() : ohlc.stop())
        .transform(ar -> leadership == null ? Future.succeededFuture() : leadership.leave());
  }
}
