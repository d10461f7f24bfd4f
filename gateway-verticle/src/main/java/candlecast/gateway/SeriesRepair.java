package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one candle series' live stream whole on this gateway, for all its subscribers at once (per
 * series, not per client): re-published windows are dropped and a hole in the closed windows
 * (closes lost on the bus while the cluster re-formed) is filled from history before the stream
 * goes on. While a repair is under way the series' updates wait here, in order. See {@link
 * ClosedRun} for the rules.
 *
 * <p>A failed history request is asked again after a back-off ({@link Policy#backoff}: 250 ms
 * doubling to 4 s) while the failure is retryable (no owner yet, a 503 while the owner moves, no
 * reply in time) and the repair is younger than {@link Policy#giveUpMs}. Windows the repair cannot
 * send are announced to the subscribers ({@link SeriesGap}) right where they are missing, never
 * skipped silently: when the repair gives up, when history answers without some of them, and the
 * older part of a hole of more than {@link #MAX_WINDOWS} windows (a quiet-market jump past the
 * folder's implied minute, or a catch-up: history has them). Not thread-safe: used from the hub's
 * context.
 */
final class SeriesRepair {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesRepair.class);
  static final int MAX_WINDOWS = 300;
  static final int MAX_WAITING = 10_000;
  static final long FIRST_BACKOFF_MS = 250;
  static final long MAX_BACKOFF_MS = 4_000;

  /** How long after a hole was seen the gateway's repair stops asking history (issue 19). */
  public static final long GIVE_UP_MS = 60_000;

  /**
   * How hard a repair tries: each history request waits {@code requestTimeoutMs}; failed ones are
   * asked again until {@code giveUpMs} after the hole was seen (0: one request only), with timers
   * of {@code vertx} (may be null when {@code giveUpMs} is 0).
   */
  record Policy(Vertx vertx, long requestTimeoutMs, long giveUpMs) {
    /** One request, no retry. */
    static Policy once(long requestTimeoutMs) {
      return new Policy(null, requestTimeoutMs, 0);
    }

    /** The wait before request {@code attempt + 1} (attempt 0 is the first retry's). */
    long backoff(int attempt) {
      return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt, 10));
    }
  }

  /** Where the series' updates go, and the notices of windows that will not come. */
  interface Sink extends Consumer<Update> {
    void gap(Update notice);
  }

  /** Counters shared by the hub's series. */
  record Counters(
      AtomicLong dropped,
      AtomicLong holes,
      AtomicLong repaired,
      AtomicLong failed,
      AtomicLong retries,
      AtomicLong announced) {
    Counters() {
      this(
          new AtomicLong(),
          new AtomicLong(),
          new AtomicLong(),
          new AtomicLong(),
          new AtomicLong(),
          new AtomicLong());
    }
  }

  private final SeriesKey key;
  private final EventBus bus;
  private final Counters counters;
  private final Policy policy;
  private final DeliveryOptions delivery;
  private final ClosedRun run;

  /** The newest candles asked for to start the run (the last may still be open). */
  static final int PRIME_LIMIT = 2;

  /** Whether {@link #waiting} waits for {@link #prime}'s answer rather than a repair. */
  private boolean priming;

  /** Updates waiting for a repair to finish (null: none under way). */
  private ArrayDeque<Update> waiting;

  /** The repair under way (a late answer of an abandoned one finds another number here). */
  private long repairId;

  private long timerId = -1;

  SeriesRepair(SeriesKey key, EventBus bus, Counters counters, Policy policy) {
    this.key = key;
    this.bus = bus;
    this.counters = counters;
    this.policy = policy;
    this.delivery = new DeliveryOptions().setSendTimeout(policy.requestTimeoutMs());
    this.run = new ClosedRun(key.tf());
  }

  /**
   * Starts the run from history's newest closed window, asked right after this gateway's consumer
   * registered: a window that closes while the new registration is still spreading through the
   * cluster (the publisher does not know this gateway yet) is then a hole to repair, not a silent
   * skip (chaos run60: 1–2 s holes at a wave of reconnects). Updates wait for the answer; if
   * history cannot answer, the run starts at the first closed update, as without priming.
   */
  void prime(Sink out) {
    if (waiting != null) {
      return;
    }
    priming = true;
    waiting = new ArrayDeque<>();
    long id = ++repairId;
    JsonObject request =
        new JsonObject()
            .put("symbol", key.symbol())
            .put("tf", key.tf().label())
            .put("limit", PRIME_LIMIT);
    ask(request, id)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ar.result().stream()
                    .filter(Candle::closed)
                    .mapToLong(Candle::openTime)
                    .max()
                    .ifPresent(run::seed);
              } else {
                LOG.debug("{}: no history to start the run from: {}", key, ar.cause().toString());
              }
              endPriming(out);
            });
  }

  private void endPriming(Sink out) {
    priming = false;
    repairId++;
    ArrayDeque<Update> q = waiting;
    waiting = null;
    while (!q.isEmpty()) {
      if (waiting != null) {
        waiting.addAll(q);
        return;
      }
      pass(q.poll(), out);
    }
  }

  /** Takes the next live update of the series. */
  void accept(Update u, Sink out) {
    if (waiting == null) {
      pass(u, out);
    } else if (waiting.size() < MAX_WAITING) {
      waiting.add(u);
    } else if (priming) {
      endPriming(out);
      accept(u, out);
    } else {
      LOG.warn(
          "{}: {} updates waited for a history repair; going on without it", key, waiting.size());
      counters.failed().incrementAndGet();
      giveUp(out);
      accept(u, out);
    }
  }

  /** Abandons a repair under way (the series has no subscriber left, or the hub stops). */
  void close() {
    abandon();
    waiting = null;
    priming = false;
  }

  private void pass(Update u, Sink out) {
    switch (run.check(u.time(), u.closed(), u.partial())) {
      case PASS -> out.accept(u);
      case DROP -> counters.dropped().incrementAndGet();
      case HOLE -> repair(new Hole(run.holeFrom(), u.time(), System.nanoTime()), u, out);
    }
  }

  /** The windows {@code [from, before)} missing before the closed update of {@code before}. */
  private record Hole(long from, long before, long seenNanos) {}

  private void repair(Hole hole, Update u, Sink out) {
    counters.holes().incrementAndGet();
    waiting = new ArrayDeque<>();
    waiting.add(u);
    long windows = run.windowsBetween(hole.from(), hole.before());
    LOG.info(
        "{}: {} closed windows from {} never arrived; fetching them", key, windows, hole.from());
    request(hole, ++repairId, 0, out);
  }

  private void request(Hole hole, long id, int attempt, Sink out) {
    long fetchFrom = fetchFrom(hole);
    int windows = (int) run.windowsBetween(fetchFrom, hole.before());
    JsonObject request = Resume.sinceRequest(key, fetchFrom, windows).put("to", hole.before() - 1);
    ask(request, id)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                release(hole, fetchFrom, ar.result(), out);
              } else {
                failed(hole, id, attempt, ar.cause(), out);
              }
            });
  }

  /**
   * Asks history; the answer (or failure) comes only if the request {@code id} is still the one
   * under way (an abandoned one's never completes).
   */
  private Future<List<Candle>> ask(JsonObject request, long id) {
    Promise<List<Candle>> current = Promise.promise();
    bus.request(Addresses.HISTORY, request, delivery)
        .map(Message::body)
        .map(body -> Resume.candles(body, key))
        .onComplete(
            ar -> {
              if (id == repairId && waiting != null) {
                current.handle(ar);
              }
            });
    return current.future();
  }

  /** The oldest window asked for: at most the newest {@link #MAX_WINDOWS} of the hole. */
  private long fetchFrom(Hole hole) {
    long idx = key.tf().windowIndex(hole.before());
    long capped = key.tf().windowStartOfIndex(idx - MAX_WINDOWS);
    return Math.max(hole.from(), capped);
  }

  private void failed(Hole hole, long id, int attempt, Throwable err, Sink out) {
    long delay = policy.backoff(attempt);
    long ageMs = (System.nanoTime() - hole.seenNanos()) / 1_000_000;
    if (policy.vertx() != null && BusErrors.retryable(err) && ageMs + delay < policy.giveUpMs()) {
      counters.retries().incrementAndGet();
      LOG.debug("{}: hole from {}: {}; asking again in {} ms", key, hole.from(), err, delay);
      timerId =
          policy
              .vertx()
              .setTimer(
                  delay,
                  t -> {
                    timerId = -1;
                    request(hole, id, attempt + 1, out);
                  });
      return;
    }
    counters.failed().incrementAndGet();
    LOG.warn(
        "{}: cannot fill the hole [{}, {}) after {} request(s) in {} ms, announcing it: {}",
        key,
        hole.from(),
        hole.before(),
        attempt + 1,
        ageMs,
        err.getMessage());
    giveUp(out);
  }

  /** Announces the whole hole under way and lets what waited go on. */
  private void giveUp(Sink out) {
    Update first = waiting.peek();
    long from = run.holeFrom();
    abandon();
    announce(from, first.time(), out);
    flush(out);
  }

  private void abandon() {
    repairId++;
    if (timerId >= 0 && policy.vertx() != null) {
      policy.vertx().cancelTimer(timerId);
    }
    timerId = -1;
  }

  /**
   * Sends the repaired windows oldest first, each run of windows history did not return announced
   * where it is missing, then what waited (which may start the next repair).
   */
  private void release(Hole hole, long fetchFrom, List<Candle> candles, Sink out) {
    long expected = hole.from();
    if (fetchFrom > expected) {
      announce(expected, fetchFrom, out);
      expected = fetchFrom;
    }
    List<Update> repaired = new ArrayList<>(candles.size());
    for (Candle c : candles) {
      if (c.closed() && c.openTime() >= expected && c.openTime() < hole.before()) {
        repaired.add(key.toUpdate(c));
      }
    }
    counters.repaired().addAndGet(repaired.size());
    for (Update r : repaired) {
      if (r.time() < expected) {
        continue; // a window twice in the answer
      }
      if (r.time() > expected) {
        announce(expected, r.time(), out);
      }
      out.accept(r);
      expected = key.tf().windowEnd(r.time());
    }
    if (expected < hole.before()) {
      announce(expected, hole.before(), out);
    }
    repairId++;
    flush(out);
  }

  private void announce(long from, long before, Sink out) {
    counters.announced().incrementAndGet();
    out.gap(SeriesGap.notice(key, from, before));
  }

  /** Sends what waited: first the closed update that showed the hole (counted in the run). */
  private void flush(Sink out) {
    ArrayDeque<Update> q = waiting;
    waiting = null;
    out.accept(q.poll());
    while (!q.isEmpty()) {
      if (waiting != null) {
        waiting.addAll(q);
        return;
      }
      pass(q.poll(), out);
    }
  }
}
