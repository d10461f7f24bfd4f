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
public record PartitionCheckpoint(int partition, long nextOffset, List<CandleFolder> folders) {
  private static final int MAGIC = 0x43434b31; // "CCK1"

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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static PartitionCheckpoint of(
      int partition, long nextOffset, Collection<CandleFolder> folders) {
    return new PartitionCheckpoint(partition, nextOffset, List.copyOf(folders));
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
    return new PartitionCheckpoint(partition, offset, folders);
  }

  public static String key(int partition) {
    return "trades-" + partition;
  }
}
