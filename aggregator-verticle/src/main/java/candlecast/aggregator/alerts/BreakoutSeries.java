package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The breakout levels of one symbol at one timeframe over n windows: the highest high and lowest
 * low of the n windows before a trade's window, flat windows counting at the close before them.
 * Kept from the trades themselves (high, low and close of each window with trades, at most {@link
 * #CAP}), so a level never depends on when the folder emits a close. The levels of the newest
 * window are cached: a trade in it costs O(1); one that opens a window recomputes in O(windows).
 */
final class BreakoutSeries {
  static final int CAP = 256;

  final Timeframe tf;
  final int n;
  private final long[] idx = new long[CAP];
  private final double[] hi = new double[CAP];
  private final double[] lo = new double[CAP];
  private final double[] cl = new double[CAP];
  private int size;
  private long cachedFor = Long.MIN_VALUE;
  private double cachedHigh = Double.NaN;
  private double cachedLow = Double.NaN;

  /** The breakout alerts using these levels. */
  final List<Alert> alerts = new ArrayList<>();

  BreakoutSeries(Timeframe tf, int n) {
    this.tf = tf;
    this.n = n;
  }

  /** A trade (or a seeded window's values: high, low and close at once). */
  void add(long time, double high, double low, double close) {
    long w = tf.windowIndex(time);
    int k = size - 1;
    while (k >= 0 && idx[k] > w) {
      k--;
    }
    if (w < cachedFor) {
      cachedFor = Long.MIN_VALUE;
    }
    if (k >= 0 && idx[k] == w) {
      hi[k] = Math.max(hi[k], high);
      lo[k] = Math.min(lo[k], low);
      cl[k] = close;
      return;
    }
    if (size == CAP) {
      if (k < 0) {
        return; // older than every window kept
      }
      shiftOut();
      k--;
    }
    int at = k + 1;
    System.arraycopy(idx, at, idx, at + 1, size - at);
    System.arraycopy(hi, at, hi, at + 1, size - at);
    System.arraycopy(lo, at, lo, at + 1, size - at);
    System.arraycopy(cl, at, cl, at + 1, size - at);
    idx[at] = w;
    hi[at] = high;
    lo[at] = low;
    cl[at] = close;
    size++;
  }

  private void shiftOut() {
    System.arraycopy(idx, 1, idx, 0, size - 1);
    System.arraycopy(hi, 1, hi, 0, size - 1);
    System.arraycopy(lo, 1, lo, 0, size - 1);
    System.arraycopy(cl, 1, cl, 0, size - 1);
    size--;
  }

  /** The highest high of the n windows before {@code time}'s window; NaN without that history. */
  double high(long time) {
    levels(tf.windowIndex(time));
    return cachedHigh;
  }

  /** The lowest low of the n windows before {@code time}'s window; NaN without that history. */
  double low(long time) {
    levels(tf.windowIndex(time));
    return cachedLow;
  }

  private void levels(long w) {
    if (w == cachedFor) {
      return;
    }
    cachedFor = w;
    cachedHigh = Double.NaN;
    cachedLow = Double.NaN;
    long from = w - n;
    long cursor = from;
    double last = Double.NaN;
    double h = Double.NEGATIVE_INFINITY;
    double l = Double.POSITIVE_INFINITY;
    for (int k = 0; k < size && idx[k] < w; k++) {
      if (idx[k] < from) {
        last = cl[k];
        continue;
      }
      if (idx[k] > cursor) { // flat windows in [cursor, idx[k]) at the last close
        if (Double.isNaN(last)) {
          return;
        }
        h = Math.max(h, last);
        l = Math.min(l, last);
      }
      h = Math.max(h, hi[k]);
      l = Math.min(l, lo[k]);
      last = cl[k];
      cursor = idx[k] + 1;
    }
    if (cursor < w) {
      if (Double.isNaN(last)) {
        return;
      }
      h = Math.max(h, last);
      l = Math.min(l, last);
    }
    cachedHigh = h;
    cachedLow = l;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(tf.index());
    out.writeInt(n);
    out.writeInt(size);
    for (int k = 0; k < size; k++) {
      out.writeLong(idx[k]);
      out.writeDouble(hi[k]);
      out.writeDouble(lo[k]);
      out.writeDouble(cl[k]);
    }
  }

  static BreakoutSeries read(DataInputStream in) throws IOException {
    BreakoutSeries s = new BreakoutSeries(AlertBookCodec.timeframe(in.readInt()), in.readInt());
    int count = in.readInt();
    if (count < 0 || count > CAP) {
      throw new IOException("corrupt alert state: " + count + " breakout windows");
    }
    for (int k = 0; k < count; k++) {
      s.idx[k] = in.readLong();
      s.hi[k] = in.readDouble();
      s.lo[k] = in.readDouble();
      s.cl[k] = in.readDouble();
    }
    s.size = count;
    return s;
  }
}
