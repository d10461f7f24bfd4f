package candlecast.feed;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a replay file in batches (blocking I/O: call it from a worker thread). A name ending in
 * {@code .gz} is read as gzip. Tracks how much of the file (compressed bytes for gzip) has been
 * consumed.
 */
final class ReplayReader implements Closeable {
  private final Path file;
  private final long size;
  private final Counting counting;
  private final BufferedReader reader;
  private long lineNo;
  private boolean eof;

  private ReplayReader(Path file, long size, Counting counting, BufferedReader reader) {
    this.file = file;
    this.size = size;
    this.counting = counting;
    this.reader = reader;
  }

  /**
   * Opens {@code file} and checks its header.
   *
   * @throws IOException when it cannot be read (or is not gzip though named .gz)
   * @throws IllegalArgumentException when the header is not {@link ReplayCsv#HEADER}
   */
  static ReplayReader open(Path file) throws IOException {
    long size = Files.size(file);
    Counting counting = new Counting(Files.newInputStream(file));
    BufferedReader reader = null;
    try {
      InputStream in =
          file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
              ? new GZIPInputStream(counting, 64 * 1024)
              : counting;
      reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 256 * 1024);
      String problem = ReplayCsv.headerProblem(reader.readLine());
      if (problem != null) {
        throw new IllegalArgumentException("replay file " + file + ": " + problem);
      }
      ReplayReader r = new ReplayReader(file, size, counting, reader);
      r.lineNo = 1;
      return r;
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        reader.close();
      } else {
        counting.close();
      }
      throw e;
    }
  }

  /**
   * The number of data rows of {@code file} (non-blank lines after the header; blocking).
   *
   * @throws IOException when it cannot be read
   */
  static long countRows(Path file) throws IOException {
    try (ReplayReader r = open(file)) {
      long n = 0;
      for (String line = r.reader.readLine(); line != null; line = r.reader.readLine()) {
        if (!line.isBlank()) {
          n++;
        }
      }
      return n;
    }
  }

  /**
   * Up to {@code max} data rows (malformed ones included, blank lines skipped); empty at the end of
   * the file.
   */
  List<ReplayCsv.Row> read(int max) throws IOException {
    List<ReplayCsv.Row> out = new ArrayList<>(Math.min(max, 16_384));
    while (out.size() < max) {
      String line = reader.readLine();
      if (line == null) {
        eof = true;
        break;
      }
      lineNo++;
      ReplayCsv.Row r = ReplayCsv.parse(line, lineNo);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  boolean eof() {
    return eof;
  }

  /** The last line number read (the header is line 1). */
  long lineNo() {
    return lineNo;
  }

  /** Fraction of the file consumed, 0..1. */
  double fraction() {
    return size == 0 ? 1 : Math.min(1, counting.count / (double) size);
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // reads run one at a time; volatile only publishes count to
  // fraction()
  private static final class Counting extends FilterInputStream {
    volatile long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }
}
