package candlecast.gateway;

import candlecast.common.Candle;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins a snapshot and the live stream without a gap or a duplicate. The subscription registers for
 * live updates first and buffers them, then asks history; every update (buffered or later) passes
 * this filter, which lets through exactly what the snapshot does not already show. Pure.
 *
 * <ul>
 *   <li>An update newer than the snapshot's newest candle passes.
 *   <li>An update of a candle that is <em>open</em> in the snapshot passes when it carries more
 *       than the snapshot showed: it is the closing version, or it has more trades (a window's
 *       trade count only grows). Each newer version passes once, and nothing passes after its
 *       closing version.
 *   <li>A partial update of a candle the snapshot showed as not partial passes once: a gap record
 *       arrived after the snapshot was taken (a closed candle re-emitted as partial, or an open one
 *       marked).
 *   <li>Every other update is older than or equal to what the snapshot showed: dropped.
 *   <li>With {@code since} and an empty snapshot, updates from {@code since} on pass.
 * </ul>
 */
public final class SeamFilter {
  private final long newest;

  /** Open time of the snapshot's oldest candle (MAX_VALUE: none). */
  private final long oldest;

  /**
   * Open time → [trades, closed?1:0] of the candles that are open in the snapshot (few: the current
   * and the one in grace).
   */
  private Map<Long, long[]> open;

  /**
   * Open times within the snapshot's range known to the client as partial (null: none; gaps are
   * rare).
   */
  private Set<Long> partial;

  private SeamFilter(long newest, long oldest, Map<Long, long[]> open, Set<Long> partial) {
    this.newest = newest;
    this.oldest = oldest;
    this.open = open;
    this.partial = partial;
  }

  /**
   * Lets everything through; shared (issue 20: no object per subscription): with {@code newest} at
   * its minimum every update passes at the first test, so it never records anything.
   */
  private static final SeamFilter NONE = new SeamFilter(Long.MIN_VALUE, Long.MAX_VALUE, null, null);

  /** A filter that lets everything through (no snapshot). */
  public static SeamFilter none() {
    return NONE;
  }

  /**
   * The filter for live updates after {@code snapshot}.
   *
   * @param snapshot the candles sent, oldest first
   * @param since the subscription's {@code since}, or null
   */
  public static SeamFilter after(List<Candle> snapshot, Long since) {
    if (snapshot.isEmpty()) {
      if (since == null) {
        return NONE;
      }
      return new SeamFilter(since == null ? Long.MIN_VALUE : since - 1, Long.MAX_VALUE, null, null);
    }
    Map<Long, long[]> open = null;
    Set<Long> partial = null;
    long newest = Long.MIN_VALUE;
    long oldest = Long.MAX_VALUE;
    for (Candle c : snapshot) {
      newest = Math.max(newest, c.openTime());
      oldest = Math.min(oldest, c.openTime());
      if (c.partial()) {
        if (partial == null) {
          partial = new HashSet<>(4);
        }
        partial.add(c.openTime());
      }
      if (!c.closed()) {
        if (open == null) {
          open = new HashMap<>(4);
        }
        open.put(c.openTime(), new long[] {c.trades(), 0});
      }
    }
    return new SeamFilter(newest, oldest, open, partial);
  }

  /**
   * Whether an update of the candle opened at {@code t} with {@code trades} trades must be sent
   * (not partial).
   */
  public boolean pass(long t, long trades, boolean closed) {
    return pass(t, trades, closed, false);
  }

  /**
   * Whether an update of the candle opened at {@code t} with {@code trades} trades must be sent.
   */
  public boolean pass(long t, long trades, boolean closed, boolean isPartial) {
    if (t > newest) {
      return true;
    }
    boolean newlyPartial = isPartial && t >= oldest && firstPartial(t);
    return passSeen(t, trades, closed) || newlyPartial;
  }

  /**
   * Whether the candle at {@code t} becomes partial for the client now (and remembers that it is).
   */
  private boolean firstPartial(long t) {
    if (partial == null) {
      partial = new HashSet<>(4);
    }
    return partial.add(t);
  }

  /** The rules for a candle the snapshot showed (or, before {@code oldest}, did not). */
  private boolean passSeen(long t, long trades, boolean closed) {
    if (open == null) {
      return false;
    }
    long[] seen = open.get(t);
    if (seen == null || seen[1] == 1) {
      return false;
    }
    if (closed || trades > seen[0]) {
      seen[0] = Math.max(seen[0], trades);
      if (closed) {
        seen[1] = 1;
        open.remove(t);
        if (open.isEmpty()) {
          open = null;
        }
      }
      return true;
    }
    return false;
  }
}
