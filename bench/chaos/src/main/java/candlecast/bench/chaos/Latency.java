package candlecast.bench.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Client latency of live trades: receipt time minus the trade record's timestamp in {@code trades}
 * (the feed's send time; same machine clock), split by whether a fault was in progress.
 */
final class Latency {
  final List<Long> during = new ArrayList<>();
  final List<Long> outside = new ArrayList<>();

  /** Per 10-second bucket from {@code t0}: the 99th percentile, for the timeline. */
  final Map<Long, List<Long>> buckets = new java.util.TreeMap<>();

  Latency(
      List<long[]> samples,
      List<String> symbols,
      Map<String, Map<Long, Long>> sentAt,
      List<Fault> faults,
      long t0,
      long end) {
    for (int i = 0; i < samples.size(); i++) {
      long[] s = samples.get(i);
      Long sent = sentAt.getOrDefault(symbols.get(i), Map.of()).get(s[0]);
      if (sent == null) {
        continue;
      }
      long ms = s[1] - sent;
      boolean inFault = faults.stream().anyMatch(f -> f.covers(s[1], end));
      (inFault ? during : outside).add(ms);
      buckets.computeIfAbsent((s[1] - t0) / 10_000, b -> new ArrayList<>()).add(ms);
    }
  }

  static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> v = new ArrayList<>(values);
    Collections.sort(v);
    int i = (int) Math.ceil(p / 100.0 * v.size()) - 1;
    return v.get(Math.max(0, Math.min(v.size() - 1, i)));
  }
}
