package candlecast.client;

import java.util.Map;
import java.util.TreeMap;

/**
 * The client side of "no gap, no duplicate" for a candle series (docs/CLIENTS.md): what was
 * delivered, what a resume asks for, which candles of a recovered snapshot (or of a live stream
 * replayed after a node restart) are new.
 */
final class CandleSeam {
  private record Open(long trades, boolean partial) {}

  private final String tf;
  private Long lastClosed;
  private Long firstSnapshot;
  private Long gapFrom;
  private final TreeMap<Long, Open> open = new TreeMap<>();

  CandleSeam(String tf) {
    this.tf = tf;
  }

  /**
   * The {@code since} of a resume, or null when nothing was delivered (a plain subscribe). After a
   * gap notice: the notice's {@code from}, or the first window not delivered closed when that is
   * older.
   */
  Long since() {
    if (gapFrom == null) {
      return lastClosed != null ? Long.valueOf(lastClosed + 1) : firstSnapshot;
    }
    Long firstMissing =
        lastClosed != null ? Long.valueOf(Timeframes.next(tf, lastClosed)) : firstSnapshot;
    return firstMissing == null ? gapFrom : Long.valueOf(Math.min(gapFrom, firstMissing));
  }

  /** A gap notice: the closed windows from {@code from} on will not come live. */
  void gap(long from) {
    gapFrom = gapFrom == null ? from : Math.min(gapFrom, from);
  }

  /** A snapshot arrived: it answered the resume's {@code since}, a gap's included. */
  void resumed() {
    gapFrom = null;
  }

  Long lastClosed() {
    return lastClosed;
  }

  /** Forget everything: a recovered=false snapshot replaces what the consumer holds. */
  void reset() {
    lastClosed = null;
    firstSnapshot = null;
    gapFrom = null;
    open.clear();
  }

  /** Whether this candle is news to the consumer. */
  boolean accept(Candle c) {
    if (lastClosed != null && c.t() <= lastClosed) {
      return false;
    }
    Open prev = open.get(c.t());
    if (prev == null) {
      return true;
    }
    return c.closed() || c.trades() > prev.trades() || (c.partial() && !prev.partial());
  }

  /** Whether delivering this closed candle would skip windows after the last closed one. */
  boolean skips(Candle c) {
    return c.closed() && lastClosed != null && c.t() > Timeframes.next(tf, lastClosed);
  }

  /** Record a delivered candle. */
  void delivered(Candle c, boolean inSnapshot) {
    if (inSnapshot && firstSnapshot == null) {
      firstSnapshot = c.t();
    }
    if (c.closed()) {
      if (lastClosed == null || c.t() > lastClosed) {
        lastClosed = c.t();
      }
      Map<Long, Open> done = open.headMap(lastClosed, true);
      done.clear();
    } else {
      open.put(c.t(), new Open(c.trades(), c.partial()));
    }
  }
}
