package candlecast.feed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The rows of a {@link ReplaySource}'s file, read ahead in batches of {@link #READ_BATCH} on worker
 * threads ({@link ReplayFiles}) into a queue the source takes them from on its context. A new pass
 * reopens the file; a read that was running for an older pass is dropped. Used on the feed's
 * context only.
 */
final class ReplayRows {
  static final int READ_BATCH = 8_192;

  private final Vertx vertx;
  private final Path file;
  private final Runnable onRows;
  private final Consumer<String> onFail;
  private final ArrayDeque<ReplayCsv.Row> queue = new ArrayDeque<>();
  private ReplayReader reader;
  private boolean reading;
  private boolean closed;

  /**
   * @param onRows runs when a batch arrived
   * @param onFail runs with the reason when the file cannot be read (or reopened)
   */
  ReplayRows(Vertx vertx, Path file, Runnable onRows, Consumer<String> onFail) {
    this.vertx = vertx;
    this.file = file;
    this.onRows = onRows;
    this.onFail = onFail;
  }

  /** Opens the file for the first pass (fails with a one-line reason). */
  Future<Void> open() {
    return ReplayFiles.open(vertx, file)
        .map(
            r -> {
              reader = r;
              return null;
            });
  }

  /** The next row, or null while none is read yet (or at the end). */
  ReplayCsv.Row peek() {
    return queue.peek();
  }

  void poll() {
    queue.poll();
  }

  /** Starts reading the next batch when the queue runs low. */
  void readAhead() {
    if (queue.size() < READ_BATCH / 2) {
      readMore();
    }
  }

  /** Whether the pass is over: the file was read to its end and every row taken. */
  boolean atEnd() {
    return queue.isEmpty() && reader != null && reader.eof() && !reading;
  }

  /** Fraction of the file read in this pass, 0..1 (0 while reopening). */
  double fraction() {
    ReplayReader r = reader;
    return r == null ? 0 : r.fraction();
  }

  /** Drops what was read ahead and reads the file again from its first row. */
  void reopen(String why) {
    queue.clear();
    ReplayReader old = reader;
    reader = null;
    ReplayFiles.reopen(vertx, old, file)
        .onComplete(
            ar -> {
              if (closed || reader != null) {
                if (ar.succeeded()) {
                  ReplayFiles.close(vertx, ar.result());
                }
                return;
              }
              if (ar.failed()) {
                onFail.accept("cannot reopen " + file + " " + why + ": " + ar.cause());
                return;
              }
              reader = ar.result();
              readMore();
            });
  }

  /** Closes the file (after any read still running) for good: the source stops. */
  Future<Void> close() {
    closed = true;
    return release();
  }

  /** Closes the file (after any read still running) until a {@link #reopen}. */
  Future<Void> release() {
    queue.clear();
    ReplayReader r = reader;
    reader = null;
    return ReplayFiles.close(vertx, r);
  }

  private void readMore() {
    ReplayReader r = reader;
    if (reading || closed || r == null || r.eof()) {
      return;
    }
    reading = true;
    vertx
        .executeBlocking(() -> r.read(READ_BATCH))
        .onComplete(
            ar -> {
              reading = false;
              if (closed || r != reader) {
                readMore(); // a new pass may be waiting for this read to end
                return;
              }
              if (ar.failed()) {
                onFail.accept(
                    "cannot read " + file + " after line " + r.lineNo() + ": " + ar.cause());
                return;
              }
              queue.addAll(ar.result());
              onRows.run();
            });
  }
}
