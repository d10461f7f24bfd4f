package candlecast.aggregator.alerts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A monotonic deque of (time, price) over a sliding time window: the front is the minimum ({@code
 * max} false) or maximum of the prices whose time is within the window. Times must not decrease.
 */
final class PriceDeque {
  private final boolean max;
  private long[] t = new long[16];
  private double[] p = new double[16];
  private int head;
  private int size;

  PriceDeque(boolean max) {
    this.max = max;
  }

  private int slot(int k) {
    return (head + k) & (t.length - 1);
  }

  /** Adds a price at {@code time}, dropping those it dominates. */
  void push(long time, double price) {
    while (size > 0) {
      double back = p[slot(size - 1)];
      if (max ? back <= price : back >= price) {
        size--;
      } else {
        break;
      }
    }
    if (size == t.length) {
      grow();
    }
    int s = slot(size);
    t[s] = time;
    p[s] = price;
    size++;
  }

  /** Drops the prices older than {@code from}. */
  void evictBefore(long from) {
    while (size > 0 && t[head] < from) {
      head = (head + 1) & (t.length - 1);
      size--;
    }
  }

  /** The extreme price in the window (NaN when empty). */
  double front() {
    return size == 0 ? Double.NaN : p[head];
  }

  private void grow() {
    long[] nt = new long[t.length * 2];
    double[] np = new double[t.length * 2];
    for (int k = 0; k < size; k++) {
      nt[k] = t[slot(k)];
      np[k] = p[slot(k)];
    }
    t = nt;
    p = np;
    head = 0;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(size);
    for (int k = 0; k < size; k++) {
      out.writeLong(t[slot(k)]);
      out.writeDouble(p[slot(k)]);
    }
  }

  static PriceDeque read(DataInputStream in, boolean max) throws IOException {
    PriceDeque d = new PriceDeque(max);
    int n = in.readInt();
    if (n < 0 || n > 10_000_000) {
      throw new IOException("corrupt alert state: deque of " + n);
    }
    for (int k = 0; k < n; k++) {
      long time = in.readLong();
      double price = in.readDouble();
      if (d.size == d.t.length) {
        d.grow();
      }
      int s = d.slot(d.size);
      d.t[s] = time;
      d.p[s] = price;
      d.size++;
    }
    return d;
  }
}
