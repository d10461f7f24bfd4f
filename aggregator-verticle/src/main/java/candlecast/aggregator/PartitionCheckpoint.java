package candlecast.aggregator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The state of one {@code trades} partition at a batch boundary: the offset of the next record to
 * fold and every symbol's complete fold state. Written to the compacted checkpoint topic after
 * every candle it covers is acknowledged; restoring it and re-reading {@code trades} from {@link
 * #nextOffset} reproduces exactly the same candles.
 */
@SuppressWarnings("ArrayRecordComponent") // alerts: opaque bytes, never compared
public record PartitionCheckpoint(
    int partition, long nextOffset, List<CandleFolder> folders, byte[] alerts) {
  private static final int MAGIC = 0x43434b31; // "CCK1"

  /** Marks the optional trailing section holding the alert book's state (issue 17). */
  private static final int ALERTS_MAGIC = 0x43414c31; // "CAL1"

  /** A checkpoint without alert state. */
  public PartitionCheckpoint(int partition, long nextOffset, List<CandleFolder> folders) {
    this(partition, nextOffset, folders, null);
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(partition);
      out.writeLong(nextOffset);
      out.writeInt(folders.size());
      for (CandleFolder f : folders) {
        FolderStateCodec.write(f, out);
      }
      if (alerts != null) {
        out.writeInt(ALERTS_MAGIC);
        out.writeInt(alerts.length);
        out.write(alerts);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static PartitionCheckpoint of(
      int partition, long nextOffset, Collection<CandleFolder> folders) {
    return new PartitionCheckpoint(partition, nextOffset, List.copyOf(folders));
  }

  /** A checkpoint with the alert book's state ({@code alerts} null: none). */
  public static PartitionCheckpoint of(
      int partition, long nextOffset, Collection<CandleFolder> folders, byte[] alerts) {
    return new PartitionCheckpoint(partition, nextOffset, List.copyOf(folders), alerts);
  }

  /**
   * Reads a checkpoint written by {@link #encode}.
   *
   * @throws IOException when the bytes are not a checkpoint this version can read; the message says
   *     why
   */
  public static PartitionCheckpoint decode(byte[] value) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      return read(in);
    } catch (EOFException e) {
      throw new IOException("truncated checkpoint");
    }
  }

  private static PartitionCheckpoint read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a Candlecast checkpoint");
    }
    int partition = in.readInt();
    long offset = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > 1_000_000) {
      throw new IOException("corrupt checkpoint: " + n + " symbols");
    }
    List<CandleFolder> folders = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      folders.add(FolderStateCodec.read(in));
    }
    return new PartitionCheckpoint(partition, offset, folders, readAlerts(in));
  }

  /** The trailing alert section, or null when absent (a checkpoint from before issue 17). */
  private static byte[] readAlerts(DataInputStream in) throws IOException {
    if (in.available() == 0) {
      return null;
    }
    if (in.readInt() != ALERTS_MAGIC) {
      throw new IOException("unknown trailing checkpoint section");
    }
    int len = in.readInt();
    if (len < 0 || len > 64 * 1024 * 1024) {
      throw new IOException("corrupt checkpoint: alert section of " + len + " bytes");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  public static String key(int partition) {
    return "trades-" + partition;
  }
}
