package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest closed windows (at most {@link #CAP}) of one symbol at one timeframe, contiguous:
 * windows without trades are synthesized flat at the previous close. Kept by an {@link AlertBook}
 * only while a candle-kind alert needs it; RSI, SMA and volume averages are recomputed from it on
 * each close.
 */
final class CandleRing {
  static final int CAP = 200;

  /** Called after each window appended, synthesized flats included. */
  interface Listener {
    void appended(boolean synthesized);
  }

  final Timeframe tf;
  private final long[] start = new long[CAP];
  private final double[] o = new double[CAP];
  private final double[] h = new double[CAP];
  private final double[] l = new double[CAP];
  private final double[] c = new double[CAP];
  private final double[] v = new double[CAP];
  private int head;
  private int size;

  /** The alerts evaluated on this ring's closes. */
  final List<Alert> alerts = new ArrayList<>();

  CandleRing(Timeframe tf) {
    this.tf = tf;
  }

  int size() {
    return size;
  }

  private int slot(int k) {
    int s = head + k;
    return s >= CAP ? s - CAP : s;
  }

  long start(int k) {
    return start[slot(k)];
  }

  double open(int k) {
    return o[slot(k)];
  }

  double high(int k) {
    return h[slot(k)];
  }

  double low(int k) {
    return l[slot(k)];
  }

  double close(int k) {
    return c[slot(k)];
  }

  double volume(int k) {
    return v[slot(k)];
  }

  /** Start of the newest window, MIN_VALUE when empty. */
  long newest() {
    return size == 0 ? Long.MIN_VALUE : start(size - 1);
  }

  /**
   * Appends a closed window after the newest (older or equal ones are ignored: re-emissions),
   * synthesizing the flat windows between (at most {@link #CAP}); the listener runs after each.
   */
  void add(long openTime, double op, double hi, double lo, double cl, double vol, Listener ls) {
    if (size > 0 && openTime <= newest()) {
      return;
    }
    if (size > 0) {
      long next = tf.windowEnd(newest());
      long missing = tf.windowIndex(openTime) - tf.windowIndex(next);
      if (missing > CAP) {
        next = tf.windowStartOfIndex(tf.windowIndex(openTime) - CAP);
      }
      double prev = close(size - 1);
      while (next < openTime) {
        push(next, prev, prev, prev, prev, 0);
        if (ls != null) {
          ls.appended(true);
        }
        next = tf.windowEnd(next);
      }
    }
    push(openTime, op, hi, lo, cl, vol);
    if (ls != null) {
      ls.appended(false);
    }
  }

  private void push(long t, double op, double hi, double lo, double cl, double vol) {
    if (size == CAP) {
      head = head + 1 == CAP ? 0 : head + 1;
      size--;
    }
    int s = slot(size);
    start[s] = t;
    o[s] = op;
    h[s] = hi;
    l[s] = lo;
    c[s] = cl;
    v[s] = vol;
    size++;
  }

  /** Mean volume of the {@code n} windows before window {@code k}; NaN without them. */
  double meanVolumeBefore(int k, int n) {
    if (k < n) {
      return Double.NaN;
    }
    double sum = 0;
    for (int j = k - n; j < k; j++) {
      sum += volume(j);
    }
    return sum / n;
  }

  /** SMA of the closes of the {@code period} windows ending at {@code k}; NaN without them. */
  double sma(int k, int period) {
    if (k < period - 1) {
      return Double.NaN;
    }
    double sum = 0;
    for (int j = k - period + 1; j <= k; j++) {
      sum += close(j);
    }
    return sum / period;
  }

  /**
   * Wilder RSI of the closes up to window {@code k}, seeded with the mean of the first {@code
   * period} changes of the ring; 50 when neither gains nor losses; NaN before the period-th change.
   */
  double rsi(int k, int period) {
    if (k < period) {
      return Double.NaN;
    }
    double g = 0;
    double lo = 0;
    for (int j = 1; j <= period; j++) {
      double d = close(j) - close(j - 1);
      g += d > 0 ? d : 0;
      lo += d < 0 ? -d : 0;
    }
    g /= period;
    lo /= period;
    for (int j = period + 1; j <= k; j++) {
      double d = close(j) - close(j - 1);
      g = (g * (period - 1) + (d > 0 ? d : 0)) / period;
      lo = (lo * (period - 1) + (d < 0 ? -d : 0)) / period;
    }
    double sum = g + lo;
    return sum == 0 ? 50 : 100 * g / sum;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(tf.index());
    out.writeInt(size);
    for (int k = 0; k < size; k++) {
      out.writeLong(start(k));
      out.writeDouble(open(k));
      out.writeDouble(high(k));
      out.writeDouble(low(k));
      out.writeDouble(close(k));
      out.writeDouble(volume(k));
    }
  }

  static CandleRing read(DataInputStream in) throws IOException {
    CandleRing r = new CandleRing(AlertBookCodec.timeframe(in.readInt()));
    int n = in.readInt();
    if (n < 0 || n > CAP) {
      throw new IOException("corrupt alert state: ring of " + n);
    }
    for (int k = 0; k < n; k++) {
      r.push(
          in.readLong(),
          in.readDouble(),
          in.readDouble(),
          in.readDouble(),
          in.readDouble(),
          in.readDouble());
    }
    return r;
  }
}
