package candlecast.feed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opening, reopening, counting and closing a {@link ReplaySource}'s file on worker threads (ordered
 * per context, so a close runs after any read still running).
 */
final class ReplayFiles {
  private ReplayFiles() {}

  /** Opens {@code file} (header checked), failing with a one-line reason. */
  static Future<ReplayReader> open(Vertx vertx, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      return Future.failedFuture(
          new IllegalStateException(
              "replay: file "
                  + file.toAbsolutePath()
                  + " does not exist or cannot be read (CANDLECAST_REPLAY_FILE)"));
    }
    return vertx
        .executeBlocking(() -> ReplayReader.open(file))
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        e instanceof IllegalArgumentException
                            ? e.getMessage()
                            : "replay: cannot read " + file + ": " + e,
                        e)));
  }

  /** Closes {@code old} (if any) and opens the file again from its first row. */
  static Future<ReplayReader> reopen(Vertx vertx, ReplayReader old, Path file) {
    return vertx.executeBlocking(
        () -> {
          if (old != null) {
            old.close();
          }
          return ReplayReader.open(file);
        });
  }

  /** The file's data rows. */
  static Future<Long> countRows(Vertx vertx, Path file) {
    return vertx.executeBlocking(() -> ReplayReader.countRows(file));
  }

  /** Closes {@code r} (if any); never fails. */
  static Future<Void> close(Vertx vertx, ReplayReader r) {
    if (r == null) {
      return Future.succeededFuture();
    }
    return vertx
        .<Void>executeBlocking(
            () -> {
              r.close();
              return null;
            })
        .recover(e -> Future.succeededFuture());
  }
}
