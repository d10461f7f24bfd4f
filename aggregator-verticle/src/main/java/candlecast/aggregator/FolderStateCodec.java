package candlecast.aggregator;

import candlecast.common.Timeframe;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;

/**
 * The checkpoint form of one {@link CandleFolder}'s complete fold state: watermark, remembered
 * trade ids, open windows, the closed windows a gap can still mark, and the gap spans. Layout
 * (big-endian, {@link DataOutput} primitives):
 *
 * <pre>
 * byte    version (3; versions 1 and 2 are refused, see below)
 * UTF     symbol
 * long    grace period, ms
 * boolean started
 * long    watermark
 * int     id window capacity
 * int     number of remembered ids, then each id as a zig-zag varint of its difference to the previous one
 * per timeframe (1s ... 1d, 1w, 1M):
 *   long  start of the newest closed window;  double  its close
 *   int   number of open windows, then per window (oldest first):
 *         long start; double open, high, low, close, volume; long trades
 *   long  start of the oldest closed window that can be rebuilt (MIN_VALUE: none forgotten);  double  close before it
 *   int   number of kept closed windows with trades, then per window (oldest first): as an open window
 * int     number of gap spans, then per span (oldest first): long from; long to
 * </pre>
 *
 * Whether a window is partial is not written: it is whether the window overlaps a gap span.
 *
 * <p>Versions 1 (no gap spans, no kept closed windows) and 2 (this layout) held seven timeframes,
 * 1s to 1d: their 1w and 1M windows cannot be rebuilt from them (a week or month began long before
 * the checkpoint), so they are refused with a reason, and the partition is folded again from the
 * start of its log as for any unreadable checkpoint (docs/DECISIONS.md, issue 15).
 *
 * <p>Checkpoints in the compacted topic outlive the code that wrote them: a change of this layout
 * needs a new version.
 */
final class FolderStateCodec {
  static final int VERSION = 3;

  /** The versions written before 1w and 1M existed (seven timeframes). */
  private static final int VERSION_1 = 1;

  private static final int VERSION_2 = 2;

  /** More open windows in one timeframe than this is not a checkpoint this code wrote. */
  private static final int MAX_WINDOWS = 1_000_000;

  private static final int TF = Timeframe.COUNT;
  private static final int VALUES = 5; // open, high, low, close, volume
  private static final int VARINT_PAYLOAD = 0x7F;
  private static final int VARINT_MORE = 0x80;

  private FolderStateCodec() {}

  /** Thrown for bytes that are not a fold state this version can read; the message says why. */
  static final class CorruptStateException extends IOException {
    CorruptStateException(String message) {
      super(message);
    }
  }

  /**
   * Windows as read: {@code starts[j]}, {@code trades[j]} and open, high, low, close, volume at
   * {@code ohlcv[5j]}.
   */
  @SuppressWarnings("ArrayRecordComponent") // read once into a WindowRing, never compared or hashed
  private record SavedWindows(long[] starts, long[] trades, double[] ohlcv) {}

  /**
   * The windows of one timeframe as read, before the folder (whose ring capacity depends on all of
   * them) exists.
   */
  private record SavedRing(
      long closedStart,
      double closedClose,
      SavedWindows open,
      long knownFrom,
      double baseClose,
      SavedWindows kept) {}

  /**
   * Writes the complete fold state of {@code f}. Committing the folder's hot accumulator changes no
   * candle.
   */
  static void write(CandleFolder f, DataOutput out) throws IOException {
    WindowRing[] rings = f.committedRings();
    out.writeByte(VERSION);
    out.writeUTF(f.symbol());
    out.writeLong(f.graceMs());
    out.writeBoolean(f.started());
    out.writeLong(f.watermark());
    long[] ids = f.seen().toArray();
    out.writeInt(f.seen().capacity());
    out.writeInt(ids.length);
    long prev = 0;
    for (long id : ids) { // consecutive ids cost a byte each
      writeZigZag(out, id - prev);
      prev = id;
    }
    for (WindowRing s : rings) {
      writeRing(s, out);
    }
    GapSpans gaps = f.gaps();
    out.writeInt(gaps.count());
    for (int i = 0; i < gaps.count(); i++) {
      out.writeLong(gaps.from(i));
      out.writeLong(gaps.to(i));
    }
  }

  private static void writeRing(WindowRing s, DataOutput out) throws IOException {
    out.writeLong(s.lastClosedStart);
    out.writeDouble(s.lastClosedClose);
    out.writeInt(s.count);
    for (int j = 0; j < s.count; j++) {
      int k = s.slot(j);
      writeWindow(out, s.start[k], s.o[k], s.h[k], s.l[k], s.c[k], s.v[k], s.n[k]);
    }
    ClosedWindows kept = s.kept;
    out.writeLong(kept.knownFrom());
    out.writeDouble(kept.baseClose());
    out.writeInt(kept.count());
    for (int j = 0; j < kept.count(); j++) {
      int k = kept.slot(j);
      writeWindow(
          out, kept.start[k], kept.o[k], kept.h[k], kept.l[k], kept.c[k], kept.v[k], kept.n[k]);
    }
  }

  private static void writeWindow(
      DataOutput out, long start, double o, double h, double l, double c, double v, long n)
      throws IOException {
    out.writeLong(start);
    out.writeDouble(o);
    out.writeDouble(h);
    out.writeDouble(l);
    out.writeDouble(c);
    out.writeDouble(v);
    out.writeLong(n);
  }

  /**
   * Restores a folder written by {@link #write}. The grace period and id window are the
   * checkpoint's own, so a replay after recovery folds exactly as the run that wrote it (a changed
   * setting applies to new symbols).
   *
   * @throws CorruptStateException for an unknown version, truncated bytes or impossible counts
   * @throws IOException when {@code in} fails
   */
  static CandleFolder read(DataInput in) throws IOException {
    String symbol = null;
    try {
      int version = in.readByte();
      if (version == VERSION_1 || version == VERSION_2) {
        throw new CorruptStateException(
            "fold state version " + version + " predates the 1w and 1M timeframes");
      }
      if (version != VERSION) {
        throw new CorruptStateException("unsupported fold state version " + version);
      }
      symbol = in.readUTF();
      long grace = in.readLong();
      boolean started = in.readBoolean();
      long watermark = in.readLong();
      LongDedup seen = readIds(in, symbol);
      SavedRing[] saved = new SavedRing[TF];
      int maxCount = 0;
      for (int i = 0; i < TF; i++) {
        saved[i] = readRing(in, symbol);
        maxCount = Math.max(maxCount, saved[i].open().starts().length);
      }
      GapSpans gaps = readGaps(in, symbol);
      WindowRing[] rings = CandleFolder.rings(symbol, grace, maxCount + 3, gaps);
      for (int i = 0; i < TF; i++) {
        restore(rings[i], saved[i]);
      }
      return new CandleFolder(symbol, grace, seen, gaps, rings, started, watermark);
    } catch (EOFException e) {
      throw new CorruptStateException(
          "truncated fold state" + (symbol == null ? "" : " for " + symbol));
    }
  }

  private static LongDedup readIds(DataInput in, String symbol) throws IOException {
    int capacity = in.readInt();
    int n = in.readInt();
    if (capacity < 1 || n < 0 || n > capacity) {
      throw corrupt(symbol, n + " remembered ids in a window of " + capacity);
    }
    LongDedup seen = new LongDedup(capacity);
    long prev = 0;
    for (int i = 0; i < n; i++) {
      prev += readZigZag(in, symbol);
      seen.add(prev);
    }
    return seen;
  }

  private static SavedRing readRing(DataInput in, String symbol) throws IOException {
    long closedStart = in.readLong();
    double closedClose = in.readDouble();
    SavedWindows open = readWindows(in, symbol, "open windows");
    long knownFrom = in.readLong();
    double baseClose = in.readDouble();
    return new SavedRing(
        closedStart,
        closedClose,
        open,
        knownFrom,
        baseClose,
        readWindows(in, symbol, "kept closed windows"));
  }

  private static SavedWindows readWindows(DataInput in, String symbol, String what)
      throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_WINDOWS) {
      throw corrupt(symbol, count + " " + what);
    }
    long[] starts = new long[count];
    long[] trades = new long[count];
    double[] ohlcv = new double[count * VALUES];
    for (int j = 0; j < count; j++) {
      starts[j] = in.readLong();
      for (int k = 0; k < VALUES; k++) {
        ohlcv[VALUES * j + k] = in.readDouble();
      }
      trades[j] = in.readLong();
    }
    return new SavedWindows(starts, trades, ohlcv);
  }

  private static void restore(WindowRing ring, SavedRing r) {
    SavedWindows open = r.open();
    ring.restore(r.closedStart(), r.closedClose(), open.starts(), open.trades(), open.ohlcv());
    ring.kept.reset(r.knownFrom(), r.baseClose());
    SavedWindows kept = r.kept();
    double[] x = kept.ohlcv();
    for (int j = 0; j < kept.starts().length; j++) {
      int b = VALUES * j;
      ring.kept.closed(
          kept.starts()[j], x[b], x[b + 1], x[b + 2], x[b + 3], x[b + 4], kept.trades()[j]);
    }
  }

  private static GapSpans readGaps(DataInput in, String symbol) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_WINDOWS) {
      throw corrupt(symbol, count + " gap spans");
    }
    GapSpans gaps = new GapSpans();
    for (int i = 0; i < count; i++) {
      long from = in.readLong();
      long to = in.readLong();
      if (from >= to) {
        throw corrupt(symbol, "a gap span from " + from + " to " + to);
      }
      gaps.add(from, to);
    }
    return gaps;
  }

  private static CorruptStateException corrupt(String symbol, String what) {
    return new CorruptStateException("corrupt fold state for " + symbol + ": " + what);
  }

  /**
   * Zig-zag (small magnitudes of either sign stay small) then 7 bits a byte, low first, high bit =
   * more follow.
   */
  static void writeZigZag(DataOutput out, long value) throws IOException {
    long z = (value << 1) ^ (value >> 63);
    while ((z & ~(long) VARINT_PAYLOAD) != 0) {
      out.writeByte((int) ((z & VARINT_PAYLOAD) | VARINT_MORE));
      z >>>= 7;
    }
    out.writeByte((int) z);
  }

  static long readZigZag(DataInput in, String symbol) throws IOException {
    long z = 0;
    int shift = 0;
    while (true) {
      int b = in.readByte();
      z |= (long) (b & VARINT_PAYLOAD) << shift;
      if ((b & VARINT_MORE) == 0) {
        break;
      }
      shift += 7;
      if (shift > 63) {
        throw corrupt(symbol, "a varint longer than 10 bytes");
      }
    }
    return (z >>> 1) ^ -(z & 1);
  }
}
