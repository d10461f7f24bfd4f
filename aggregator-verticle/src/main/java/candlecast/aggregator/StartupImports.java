package candlecast.aggregator;

import candlecast.common.Addresses;
import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code aggregator.import} preload: {@code SYMBOL:tf:path} entries, comma-separated, each a
 * CSV of bars ({@link candlecast.common.BarCsv}) imported through {@link Addresses#IMPORT} once the
 * aggregator has its partitions (the symbol's owner stores them). Importing the same file again
 * writes the same records (same keys and values), so a restart changes nothing. Runs after the
 * aggregator started (its readiness does not wait for it); a bad entry or file is logged.
 */
final class StartupImports {
  private static final Logger LOG = LoggerFactory.getLogger(StartupImports.class);
  static final long TIMEOUT_MS = 300_000;

  record Entry(String symbol, Timeframe tf, String path) {}

  private StartupImports() {}

  /**
   * Parses the setting.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  static List<Entry> parse(String spec) {
    List<Entry> out = new ArrayList<>();
    for (String raw : spec.split(",", -1)) {
      String e = raw.trim();
      if (e.isEmpty()) {
        continue;
      }
      String[] p = e.split(":", 3);
      String symbol = p.length == 3 ? Symbols.normalize(p[0].trim()) : null;
      Timeframe tf = p.length == 3 ? Timeframe.tryParse(p[1].trim()) : null;
      if (symbol == null || tf == null || p[2].isBlank()) {
        throw new IllegalArgumentException(
            "aggregator.import: '" + e + "' is not SYMBOL:tf:path (e.g. AAPL:1d:/data/aapl.csv)");
      }
      out.add(new Entry(symbol, tf, p[2].trim()));
    }
    return out;
  }

  /** Imports every entry, one after the other; fails with the first entry that cannot be. */
  static Future<Void> run(Vertx vertx, String spec) {
    List<Entry> entries;
    try {
      entries = parse(spec);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<Void> chain = Future.succeededFuture();
    for (Entry e : entries) {
      chain = chain.compose(v -> one(vertx, e));
    }
    return chain;
  }

  private static Future<Void> one(Vertx vertx, Entry e) {
    return vertx
        .fileSystem()
        .readFile(e.path())
        .compose(
            b ->
                vertx
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.IMPORT,
                        new JsonObject()
                            .put("symbol", e.symbol())
                            .put("tf", e.tf().label())
                            .put("csv", b.toString(StandardCharsets.UTF_8)),
                        new DeliveryOptions().setSendTimeout(TIMEOUT_MS)))
        .map(Message::body)
        .onSuccess(r -> LOG.info("imported {}: {}", e.path(), r.encode()))
        .recover(
            x ->
                Future.failedFuture(
                    new IllegalStateException(
                        "aggregator.import " + e.path() + ": " + x.getMessage(), x)))
        .mapEmpty();
  }
}
