package candlecast.feed;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A source of trades: mock, Bitstamp or replay. It runs on the feed verticle's context and writes
 * through its {@link TradeGate}. The verticle asks it, every {@code feed.watermark-ms}, for its
 * clock and writes watermarks for its quiet symbols.
 */
interface TradeSource {
  /** Returned by {@link #watermarkClock()} when the source must not emit watermarks now. */
  long NO_CLOCK = Long.MIN_VALUE;

  /** mock, bitstamp or replay. */
  String name();

  /** The symbols this source writes (watermarks are written for these). */
  List<String> symbols();

  TradeGate gate();

  Future<Void> start();

  /** Stops producing; completes once nothing more will be offered. */
  Future<Void> stop();

  /**
   * Event time before which no trade of this source will follow (epoch ms), or {@link #NO_CLOCK}
   * while that cannot be promised (disconnected, back-filling, ...).
   */
  long watermarkClock();

  /** Whether the source works as it should (for /health). */
  boolean healthy();

  /** State for /health and the status address: counters of the gate plus the source's own. */
  JsonObject state();
}
