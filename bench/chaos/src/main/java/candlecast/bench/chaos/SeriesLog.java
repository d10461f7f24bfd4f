package candlecast.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one client received of one candle series (symbol, timeframe): each closed candle once by
 * open time, and every duplicate and every hole between consecutive closed candles. A hole right
 * after a {@code recovered:false} snapshot is explained (the protocol says the resume was not
 * possible); any other hole is a violation. Pure logic, fed in arrival order.
 */
final class SeriesLog {
  final String client;
  final String symbol;
  final String tf;
  final long tfMs;
  final TreeMap<Long, OracleFold.Bar> closed = new TreeMap<>();
  final List<String> duplicates = new ArrayList<>();
  final List<String> twoValues = new ArrayList<>();
  final List<String> holes = new ArrayList<>();
  final List<String> explainedHoles = new ArrayList<>();
  private long expectedNext = Long.MIN_VALUE;

  /** Wall-clock ms of the last closed candle received (read by the nemesis's recovery check). */
  volatile long lastClosedAt;

  private String breakReason;

  SeriesLog(String client, String symbol, String tf, long tfMs) {
    this.client = client;
    this.symbol = symbol;
    this.tf = tf;
    this.tfMs = tfMs;
  }

  /** The open time to resume from ({@code since}): the first window not yet seen closed. */
  Long since() {
    return expectedNext == Long.MIN_VALUE ? null : expectedNext;
  }

  /** A {@code recovered:false} snapshot (or a first subscription) follows: its seam may skip. */
  void streamBreak(String reason) {
    breakReason = reason;
  }

  void closedCandle(OracleFold.Bar b) {
    lastClosedAt = System.currentTimeMillis();
    OracleFold.Bar prev = closed.putIfAbsent(b.t(), b);
    if (prev != null) {
      String what = symbol + " " + tf + " @" + b.t() + " at " + client;
      if (prev.equals(b)) {
        duplicates.add(what);
      } else {
        twoValues.add(what + ": " + prev.show() + " then " + b.show());
      }
      return;
    }
    if (expectedNext != Long.MIN_VALUE && b.t() > expectedNext) {
      String hole =
          symbol + " " + tf + " windows [" + expectedNext + "," + b.t() + ") missing at " + client;
      if (breakReason != null) {
        explainedHoles.add(hole + " (" + breakReason + ")");
      } else {
        holes.add(hole);
      }
    }
    breakReason = null;
    expectedNext = Math.max(expectedNext, b.t() + tfMs);
  }

  /** Every closed candle received, by open time. */
  Map<Long, OracleFold.Bar> bars() {
    return closed;
  }
}
