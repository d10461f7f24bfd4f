package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
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
 * <p>A hole of more than {@link #MAX_WINDOWS} windows is filled with its newest {@link
 * #MAX_WINDOWS}: longer ones are quiet-market jumps past the folder's implied minute or catch-ups,
 * which a client reads from history. If history cannot answer, the stream goes on with the hole
 * (counted and logged). Not thread-safe: used from the hub's context.
 */
final class SeriesRepair {
  private static final Logger LOG = LoggerFactory.getLogger(SeriesRepair.class);
  static final int MAX_WINDOWS = 300;
  static final int MAX_WAITING = 10_000;
  private static final DeliveryOptions HISTORY = new DeliveryOptions().setSendTimeout(5_000);

  /** Counters shared by the hub's series. */
  record Counters(AtomicLong dropped, AtomicLong holes, AtomicLong repaired, AtomicLong failed) {
    Counters() {
      this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
    }
  }

  private final SeriesKey key;
  private final EventBus bus;
  private final Counters counters;
  private final ClosedRun run;

  /** Updates waiting for a repair to finish (null: none under way). */
  private ArrayDeque<Update> waiting;

  SeriesRepair(SeriesKey key, EventBus bus, Counters counters) {
    this.key = key;
    this.bus = bus;
    this.counters = counters;
    this.run = new ClosedRun(key.tf());
  }

  /** Takes the next live update of the series; {@code out} fans an update out to subscribers. */
  void accept(Update u, Consumer<Update> out) {
    if (waiting == null) {
      pass(u, out);
    } else if (waiting.size() < MAX_WAITING) {
      waiting.add(u);
    } else {
      LOG.warn(
          "{}: {} updates waited for a history repair; going on without it", key, waiting.size());
      counters.failed().incrementAndGet();
      release(List.of(), out);
      accept(u, out);
    }
  }

  private void pass(Update u, Consumer<Update> out) {
    switch (run.check(u.time(), u.closed(), u.partial())) {
      case PASS -> out.accept(u);
      case DROP -> counters.dropped().incrementAndGet();
      case HOLE -> repair(run.holeFrom(), u, out);
    }
  }

  private void repair(long from, Update u, Consumer<Update> out) {
    counters.holes().incrementAndGet();
    waiting = new ArrayDeque<>();
    waiting.add(u);
    long windows = Math.min(run.windowsBetween(from, u.time()), MAX_WINDOWS);
    JsonObject request = Resume.sinceRequest(key, from, (int) windows).put("to", u.time() - 1);
    LOG.info("{}: {} closed windows from {} never arrived; fetching them", key, windows, from);
    bus.request(Addresses.HISTORY, request, HISTORY)
        .map(Message::body)
        .map(body -> Resume.candles(body, key))
        .onSuccess(candles -> release(missing(candles, from, u.time()), out))
        .onFailure(
            err -> {
              counters.failed().incrementAndGet();
              LOG.warn("{}: cannot fill the hole from {}: {}", key, from, err.getMessage());
              release(List.of(), out);
            });
  }

  private List<Update> missing(List<Candle> candles, long from, long before) {
    List<Update> updates = new ArrayList<>(candles.size());
    for (Candle c : candles) {
      if (c.closed() && c.openTime() >= from && c.openTime() < before) {
        updates.add(key.toUpdate(c));
      }
    }
    counters.repaired().addAndGet(updates.size());
    return updates;
  }

  /** Sends the repaired windows, then what waited (which may start the next repair). */
  private void release(List<Update> repaired, Consumer<Update> out) {
    ArrayDeque<Update> q = waiting;
    waiting = null;
    repaired.forEach(out);
    out.accept(q.poll()); // the closed update that showed the hole: already counted in the run
    while (!q.isEmpty()) {
      if (waiting != null) {
        waiting.addAll(q);
        return;
      }
      pass(q.poll(), out);
    }
  }
}
