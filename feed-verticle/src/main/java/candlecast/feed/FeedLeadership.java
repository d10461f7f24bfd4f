package candlecast.feed;

import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership of its group's {@link LeaderLease} and the {@link FeedTerm}s it runs
 * while it holds it. Term changes happen one after the other, on the verticle's context.
 */
final class FeedLeadership {
  private static final Logger LOG = LoggerFactory.getLogger(FeedVerticle.class);

  private final Vertx vertx;
  private final Context context;
  private final CandlecastConfig config;
  private final String bootstrapServers;
  private final Map<String, List<String>> plan;
  private final String group;
  private final LeaderLease lease;

  /** The current term, or the last one (its counters stay readable); null before the first. */
  private FeedTerm term;

  private boolean termRunning;

  /** Term changes happen one after the other. */
  private Future<Void> termOps = Future.succeededFuture();

  private long retryTimer = -1;
  private volatile boolean stopping;
  private long terms;
  private long lastTakeoverMs = -1;

  /**
   * The outcome of this instance's first attempt to lead (start() reports it); done at once for a
   * standby.
   */
  private final Promise<Void> firstAttempt = Promise.promise();

  FeedLeadership(
      Vertx vertx,
      Context context,
      CandlecastConfig config,
      String bootstrapServers,
      Map<String, List<String>> plan,
      String group) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.plan = plan;
    this.group = group;
    this.lease = lease();
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
            serially(FeedLeadership.this::beginTerm);
          }

          @Override
          public void deposed() {
            serially(() -> endTerm("the lease moved"));
          }
        });
  }

  /**
   * Joins the group. The returned future may complete on the lease's own thread: compose {@link
   * #firstOutcome} onto it through a future of the verticle's context, so that it runs there, after
   * the elected callback.
   */
  Future<Void> join() {
    return lease.start();
  }

  /**
   * Once joined, on the verticle's context: the outcome of the first attempt to lead (the elected
   * callback, if any, was queued before this); a standby has nothing to wait for.
   */
  Future<Void> firstOutcome() {
    serially(
        () -> {
          firstAttempt.tryComplete();
          return Future.succeededFuture();
        });
    return firstAttempt.future();
  }

  private void serially(Supplier<Future<Void>> op) {
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
        .executeBlocking(() -> TermFence.raise(bootstrapServers, group, symbols), false)
        .compose(fenced -> lead(fenced, t0))
        .onSuccess(v -> firstAttempt.tryComplete())
        .recover(this::beginFailed);
  }

  /** Fenced: runs the term unless the lease moved (or the feed stops) meanwhile. */
  private Future<Void> lead(TermFence fenced, long t0) {
    if (stopping || !lease.leader()) {
      fenced.producer().close(Duration.ZERO);
      return Future.succeededFuture();
    }
    term =
        new FeedTerm(
            vertx,
            context,
            config,
            bootstrapServers,
            plan,
            fenced.producer(),
            fenced.positions(),
            this::fatal);
    termRunning = true;
    terms++;
    lastTakeoverMs = (System.nanoTime() - t0) / 1_000_000;
    LOG.info(
        "feed: leading (term {}), {} ms from election to writing; continuing after {}",
        terms,
        lastTakeoverMs,
        fenced.positions().values());
    return term.start();
  }

  /** The first attempt's failure fails start(); a later one is retried after a pause. */
  private Future<Void> beginFailed(Throwable e) {
    if (firstAttempt.tryFail(e)) {
      return termRunning
          ? endTerm("failed to start")
          : Future.succeededFuture(); // start() fails with it
    }
    LOG.warn(
        "feed: cannot begin writing yet ({}); retrying in {} ms",
        e.toString(),
        FeedVerticle.TERM_RETRY_MS);
    Future<Void> ended = termRunning ? endTerm("failed to start") : Future.succeededFuture();
    return ended.onComplete(
        x ->
            retryTimer =
                vertx.setTimer(
                    FeedVerticle.TERM_RETRY_MS,
                    id -> {
                      retryTimer = -1;
                      serially(this::beginTerm);
                    }));
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
    return term.stop(FeedVerticle.STOP_TIMEOUT_MS);
  }

  /** Stops leading: no more terms begin, and the current one ends (after the queued changes). */
  Future<Void> endTerms() {
    stopping = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    retryTimer = -1;
    Promise<Void> ended = Promise.promise();
    serially(() -> endTerm("stopping").onComplete(ended));
    return ended.future();
  }

  /** Leaves the group, so that a standby takes over at once. */
  Future<Void> leave() {
    return lease.stop();
  }

  /** Whether this instance leads and the term is healthy, or stands by (not stopping). */
  boolean healthy() {
    return termRunning ? term.healthy() : !stopping;
  }

  boolean leading() {
    return termRunning;
  }

  long terms() {
    return terms;
  }

  long lastTakeoverMs() {
    return lastTakeoverMs;
  }

  /** The current or last term, or null before the first. */
  FeedTerm term() {
    return term;
  }
}
