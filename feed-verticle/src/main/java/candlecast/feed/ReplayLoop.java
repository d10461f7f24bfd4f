package candlecast.feed;

import candlecast.common.Trade;

/**
 * The {@code replay.loop} arithmetic of a {@link ReplaySource}: the first pass records the id and
 * time span of the trades it offers; loop n shifts ids by n × (id span + 1) and times by n × (time
 * span + 1 ms), so nothing repeats and time moves on. Used on the feed's context only.
 */
final class ReplayLoop {
  private int index;
  private long minId = Long.MAX_VALUE;
  private long maxId = Long.MIN_VALUE;
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;
  private long idShift;
  private long timeShift;

  /** The loop being replayed; 0 for the first pass. */
  int index() {
    return index;
  }

  /** Whether the first pass offered any trade (there is a span to loop over). */
  boolean hasSpan() {
    return minId != Long.MAX_VALUE;
  }

  /** Records {@code t}, about to be offered, in the span (first pass only). */
  void record(Trade t) {
    if (index == 0) {
      minId = Math.min(minId, t.id());
      maxId = Math.max(maxId, t.id());
      minTime = Math.min(minTime, t.time());
      maxTime = Math.max(maxTime, t.time());
    }
  }

  /** {@code t} as this loop replays it: itself on the first pass, else shifted. */
  Trade shifted(Trade t) {
    if (index == 0) {
      return t;
    }
    return new Trade(
        t.symbol(), t.id() + idShift, t.time() + timeShift, t.price(), t.amount(), t.side());
  }

  /** Moves on to the next loop; returns its index. */
  int next() {
    index++;
    idShift = (long) index * (maxId - minId + 1);
    timeShift = (long) index * (maxTime - minTime + 1);
    return index;
  }
}
