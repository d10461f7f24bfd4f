package candlecast.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the whole client fleet saw that is not per series: protocol errors by code, {@code
 * recovered:false} resumes, trades whose values differ from the ground truth, reconnect events and
 * latency samples. Thread-safe: every client's event loop writes here.
 */
final class FleetRecord {
  private final Map<String, Map<Long, GroundTruth.Trade>> truth = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> errorCounts = new ConcurrentHashMap<>();
  private final Map<String, String> errorSamples = new ConcurrentHashMap<>();
  private final List<String> notRecovered = new ArrayList<>();
  private final List<String> badTrades = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final List<long[]> latency = new ArrayList<>();
  private final List<String> latencySymbols = new ArrayList<>();
  private final AtomicLong resubscribes = new AtomicLong();

  FleetRecord(GroundTruth gt) {
    for (GroundTruth.Trade t : gt.trades()) {
      truth.computeIfAbsent(t.symbol(), s -> new ConcurrentHashMap<>()).put(t.id(), t);
    }
  }

  void error(String client, String code, String frame) {
    errorCounts.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    errorSamples.putIfAbsent(code, client + ": " + frame);
  }

  synchronized void notRecovered(String what) {
    notRecovered.add(what);
  }

  synchronized void event(String what) {
    if (events.size() < 10_000) {
      events.add(System.currentTimeMillis() + " " + what);
    }
  }

  void resubscribed() {
    resubscribes.incrementAndGet();
  }

  /** A trade a client received must be the ground truth's trade of that id. */
  void checkTrade(String client, String sym, long id, long t, double p, double q) {
    GroundTruth.Trade g = truth.getOrDefault(sym, Map.of()).get(id);
    if (g == null || g.time() != t || g.price() != p || g.amount() != q) {
      synchronized (this) {
        badTrades.add(
            client
                + " got "
                + sym
                + " trade "
                + id
                + " t="
                + t
                + " p="
                + p
                + " q="
                + q
                + ", ground truth "
                + g);
      }
    }
  }

  /** Receipt times of live trades: {id, receivedAtMs}. */
  synchronized void latency(String sym, List<long[]> samples) {
    for (long[] s : samples) {
      latency.add(s);
      latencySymbols.add(sym);
    }
  }

  synchronized List<long[]> latencySamples() {
    return new ArrayList<>(latency);
  }

  synchronized List<String> latencySampleSymbols() {
    return new ArrayList<>(latencySymbols);
  }

  Map<String, Long> errorCounts() {
    Map<String, Long> m = new TreeMap<>();
    errorCounts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  Map<String, String> errorSamples() {
    return new TreeMap<>(errorSamples);
  }

  synchronized List<String> notRecovered() {
    return new ArrayList<>(notRecovered);
  }

  synchronized List<String> badTrades() {
    return new ArrayList<>(badTrades);
  }

  synchronized List<String> events() {
    return new ArrayList<>(events);
  }

  long resubscribes() {
    return resubscribes.get();
  }
}
