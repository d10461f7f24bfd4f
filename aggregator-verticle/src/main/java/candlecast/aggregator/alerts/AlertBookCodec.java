package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The checkpointed state of an {@link AlertBook}: the {@code alerts.fires} offset up to which fires
 * were flushed; per symbol its last price, move groups, candle rings and breakout series; the
 * runtime state (fires so far, last fire time) of the alerts that have fired. Everything else is
 * derived from the alert records: an armed price alert's heap from the last price, so 100,000
 * alerts that never fired add nothing here.
 */
public final class AlertBookCodec {
  private static final int VERSION = 1;

  /** A decoded state: structures without alerts, and the runtime state of alerts by id. */
  public record Snapshot(
      long firesOffset, Map<String, SymbolAlerts> symbols, Map<String, long[]> fired) {
    public static final Snapshot EMPTY = new Snapshot(-1, Map.of(), Map.of());
  }

  private AlertBookCodec() {}

  public static byte[] encode(AlertBook book, long firesOffset) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      out.writeLong(firesOffset);
      out.writeInt(book.symbols.size());
      for (SymbolAlerts s : book.symbols.values()) {
        writeSymbol(s, out);
      }
      int n = 0;
      for (Alert a : book.alerts.values()) {
        n += a.seq > 0 ? 1 : 0;
      }
      out.writeInt(n);
      for (Alert a : book.alerts.values()) {
        if (a.seq > 0) {
          out.writeUTF(a.id);
          out.writeInt(a.seq);
          out.writeLong(a.lastFireTime);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeSymbol(SymbolAlerts s, DataOutputStream out) throws IOException {
    out.writeUTF(s.symbol);
    out.writeDouble(s.lastPrice);
    out.writeInt(s.moves.size());
    for (MoveGroup g : s.moves) {
      g.write(out);
    }
    int rings = 0;
    for (CandleRing r : s.rings) {
      rings += r == null ? 0 : 1;
    }
    out.writeInt(rings);
    for (CandleRing r : s.rings) {
      if (r != null) {
        r.write(out);
      }
    }
    out.writeInt(s.breakouts.size());
    for (BreakoutSeries b : s.breakouts) {
      b.write(out);
    }
  }

  /**
   * Reads a state written by {@link #encode}.
   *
   * @throws IOException when the bytes are not one
   */
  public static Snapshot decode(byte[] value) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      if (in.readInt() != VERSION) {
        throw new IOException("unknown alert state version");
      }
      long firesOffset = in.readLong();
      int n = count(in.readInt());
      Map<String, SymbolAlerts> symbols = new HashMap<>();
      for (int i = 0; i < n; i++) {
        SymbolAlerts s = readSymbol(in);
        symbols.put(s.symbol, s);
      }
      int f = count(in.readInt());
      Map<String, long[]> fired = new HashMap<>();
      for (int i = 0; i < f; i++) {
        fired.put(in.readUTF(), new long[] {in.readInt(), in.readLong()});
      }
      return new Snapshot(firesOffset, symbols, fired);
    } catch (EOFException e) {
      throw new IOException("truncated alert state");
    }
  }

  private static SymbolAlerts readSymbol(DataInputStream in) throws IOException {
    SymbolAlerts s = new SymbolAlerts(in.readUTF());
    s.lastPrice = in.readDouble();
    int g = count(in.readInt());
    for (int i = 0; i < g; i++) {
      s.moves.add(MoveGroup.read(in));
    }
    int r = count(in.readInt());
    for (int i = 0; i < r; i++) {
      CandleRing ring = CandleRing.read(in);
      s.setRing(ring.tf, ring);
    }
    int b = count(in.readInt());
    for (int i = 0; i < b; i++) {
      s.breakouts.add(BreakoutSeries.read(in));
    }
    return s;
  }

  private static int count(int n) throws IOException {
    if (n < 0 || n > 10_000_000) {
      throw new IOException("corrupt alert state: count " + n);
    }
    return n;
  }

  static Timeframe timeframe(int index) throws IOException {
    if (index < 0 || index >= Timeframe.COUNT) {
      throw new IOException("corrupt alert state: timeframe " + index);
    }
    return Timeframe.byIndex(index);
  }
}
