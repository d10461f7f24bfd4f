package candlecast.feed;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of a {@link ReplaySource} (trades emitted, rows malformed or of other symbols, wall
 * time) and its progress line (trades, rate, % of the file). Written on the feed's context only;
 * {@link #emitted()} may be read from any thread.
 */
final class ReplayProgress {
  /** The source's logger: the progress lines keep their logger name. */
  private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);

  private final Path file;
  private volatile long emitted;
  private long malformed;
  private final TreeMap<String, Long> otherSymbols = new TreeMap<>();
  private long startNanos;
  private long lastProgressNanos;
  private long lastProgressEmitted;
  private long finishedNanos;

  ReplayProgress(Path file) {
    this.file = file;
  }

  /** The replay starts now. */
  void start() {
    startNanos = System.nanoTime();
    lastProgressNanos = startNanos;
  }

  /** The replay reached the end of the file now. */
  void finish() {
    finishedNanos = System.nanoTime();
  }

  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // only the source's context writes emitted; other threads read it
  void countEmitted() {
    emitted++;
  }

  void countMalformed() {
    malformed++;
  }

  /** A row of a symbol outside {@code feed.symbols} was skipped. */
  void countOtherSymbol(String symbol) {
    otherSymbols.merge(symbol, 1L, Long::sum);
  }

  long emitted() {
    return emitted;
  }

  long malformed() {
    return malformed;
  }

  /** Wall time from start to the end of the file, or -1 while running. */
  long elapsedMs() {
    return finishedNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(finishedNanos - startNanos);
  }

  /** Adds the skipped rows per other symbol to {@code j}, if any. */
  JsonObject addOtherSymbols(JsonObject j) {
    if (!otherSymbols.isEmpty()) {
      j.put("otherSymbols", new JsonObject(new LinkedHashMap<>(otherSymbols)));
    }
    return j;
  }

  /**
   * Logs the progress line: the rate since the previous line, {@code pct} of the file, the loop
   * and, when so, that the replay is waiting for Kafka.
   */
  void log(double pct, int loopIndex, boolean waitingForRoom) {
    long now = System.nanoTime();
    double secs = Math.max(1e-9, (now - lastProgressNanos) / 1e9);
    double rate = (emitted - lastProgressEmitted) / secs;
    lastProgressNanos = now;
    lastProgressEmitted = emitted;
    StringBuilder sb =
        new StringBuilder("feed replay: ")
            .append(
                String.format(
                    Locale.ROOT,
                    "%,d trades (%,.0f/s), %.1f%% of %s",
                    emitted,
                    rate,
                    pct,
                    file.getFileName()));
    if (loopIndex > 0) {
      sb.append(", loop ").append(loopIndex);
    }
    if (malformed > 0) {
      sb.append(", ")
          .append(malformed)
          .append(" malformed or invalid rows skipped (see trades.dlq)");
    }
    if (!otherSymbols.isEmpty()) {
      sb.append(", skipped rows of symbols not in feed.symbols: ").append(otherSymbols);
    }
    if (waitingForRoom) {
      sb.append(", waiting for Kafka");
    }
    LOG.info("{}", sb);
  }
}
