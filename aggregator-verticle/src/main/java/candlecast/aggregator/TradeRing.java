package candlecast.aggregator;

import candlecast.common.Side;
import candlecast.common.TapeTrade;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The newest trades of one symbol, in log order, at most {@code capacity} (the oldest is evicted).
 * Each trade keeps its {@code seq} (its offset in the symbol's {@code trades} partition), which
 * strictly increases; the ring also knows up to where it is complete: every trade of the symbol
 * with a {@code seq} above {@link #floorSeq()} is held. So it can answer "the trades after this
 * one" exactly, or say that they are no longer held.
 *
 * <p>Columns of primitives in a circular buffer that grows (doubling) up to its capacity, so a
 * quiet symbol costs little. Pure; confined to one thread (the aggregator's event loop).
 */
final class TradeRing {
  /** Some trades, oldest first; {@code more}: further trades follow the last one. */
  record Slice(List<TapeTrade> trades, boolean more) {}

  private static final int INITIAL = 64;

  private final int capacity;
  private long[] seqs;
  private long[] ids;
  private long[] times;
  private double[] prices;
  private double[] amounts;
  private byte[] sides;

  /** Physical index of the oldest trade. */
  private int head;

  private int size;
  private long floorSeq;
  private long lastSeq;

  /**
   * @param capacity trades held at most
   * @param floorSeq every trade of the symbol after this seq will be appended (-1: since the start
   *     of the log)
   */
  TradeRing(int capacity, long floorSeq) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.floorSeq = floorSeq;
    this.lastSeq = floorSeq;
    int n = Math.min(capacity, INITIAL);
    seqs = new long[n];
    ids = new long[n];
    times = new long[n];
    prices = new double[n];
    amounts = new double[n];
    sides = new byte[n];
  }

  /**
   * Appends the trade at log position {@code seq}; a {@code seq} not after the newest one held is
   * ignored (the same trade read again, e.g. after a rewind to a checkpoint).
   *
   * @return whether the trade was appended
   */
  boolean append(long seq, long id, long time, double price, double amount, Side side) {
    if (seq <= lastSeq) {
      return false;
    }
    if (size == seqs.length && size < capacity) {
      grow();
    }
    int i;
    if (size == capacity) {
      i = head; // overwrite the oldest
      floorSeq = seqs[i];
      head = next(head);
    } else {
      i = physical(size);
      size++;
    }
    seqs[i] = seq;
    ids[i] = id;
    times[i] = time;
    prices[i] = price;
    amounts[i] = amount;
    sides[i] = side == Side.BUY ? (byte) 0 : (byte) 1;
    lastSeq = seq;
    return true;
  }

  boolean append(TapeTrade t) {
    return append(t.seq(), t.id(), t.time(), t.price(), t.amount(), t.side());
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  /** The seq of the newest trade held, or {@link #floorSeq()} when none is. */
  long lastSeq() {
    return lastSeq;
  }

  /** Every trade of the symbol after this seq is held; the trade at it (if any) is not. */
  long floorSeq() {
    return floorSeq;
  }

  /** The id of the oldest trade held, or -1. */
  long oldestId() {
    return size == 0 ? -1 : ids[head];
  }

  /** The newest {@code n} trades, oldest first. */
  List<TapeTrade> last(int n) {
    int k = Math.min(Math.max(n, 0), size);
    return range(size - k, size);
  }

  /**
   * The trades after the one at log position {@code seq}, oldest first, at most {@code limit}; null
   * when they are not all held (some after {@code seq} were evicted, or were never read back after
   * a takeover).
   */
  Slice afterSeq(long seq, int limit) {
    if (seq < floorSeq) {
      return null;
    }
    int lo = 0;
    int hi = size; // first logical index whose seq is > seq
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (seqs[physical(mid)] <= seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return slice(lo, limit);
  }

  /**
   * The trades after the newest held trade with this exchange id, oldest first, at most {@code
   * limit}; null when no held trade has this id (it is too old, or unknown).
   */
  Slice afterId(long id, int limit) {
    for (int k = size - 1; k >= 0; k--) {
      if (ids[physical(k)] == id) {
        return slice(k + 1, limit);
      }
    }
    return null;
  }

  /**
   * The newest {@code limit} trades whose time is at or after {@code fromMs}, oldest first (in log
   * order).
   */
  List<TapeTrade> from(long fromMs, int limit) {
    int[] picked = new int[Math.min(Math.max(limit, 0), size)];
    int n = 0;
    for (int k = size - 1; k >= 0 && n < picked.length; k--) {
      if (times[physical(k)] >= fromMs) {
        picked[n++] = k;
      }
    }
    List<TapeTrade> out = new ArrayList<>(n);
    for (int j = n - 1; j >= 0; j--) {
      out.add(get(picked[j]));
    }
    return out;
  }

  private Slice slice(int fromLogical, int limit) {
    int end = (int) Math.min(size, (long) fromLogical + Math.max(limit, 0));
    return new Slice(range(fromLogical, end), end < size);
  }

  private List<TapeTrade> range(int fromLogical, int toLogical) {
    List<TapeTrade> out = new ArrayList<>(Math.max(0, toLogical - fromLogical));
    for (int k = fromLogical; k < toLogical; k++) {
      out.add(get(k));
    }
    return out;
  }

  private TapeTrade get(int logical) {
    int i = physical(logical);
    return new TapeTrade(
        seqs[i], ids[i], times[i], prices[i], amounts[i], sides[i] == 0 ? Side.BUY : Side.SELL);
  }

  private int physical(int logical) {
    int i = head + logical;
    return i >= seqs.length ? i - seqs.length : i;
  }

  private int next(int i) {
    return i + 1 == seqs.length ? 0 : i + 1;
  }

  /**
   * Doubles the columns (up to the capacity). Only a ring below its capacity grows, and such a ring
   * has never evicted, so its oldest trade is at index 0 and a plain copy keeps the order.
   */
  private void grow() {
    int n = (int) Math.min(capacity, 2L * seqs.length);
    seqs = Arrays.copyOf(seqs, n);
    ids = Arrays.copyOf(ids, n);
    times = Arrays.copyOf(times, n);
    prices = Arrays.copyOf(prices, n);
    amounts = Arrays.copyOf(amounts, n);
    sides = Arrays.copyOf(sides, n);
  }
}
