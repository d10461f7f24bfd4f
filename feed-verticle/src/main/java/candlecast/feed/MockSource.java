package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock source: a {@link MockTradeGenerator} driven by a timer. Each tick emits, for every
 * symbol, the trades due at {@code rate} trades per second per symbol, with event times spread over
 * the tick. Its watermark clock is the end of the last tick: the next tick's trades are all at or
 * after it.
 *
 * <p>When the Kafka buffer has no room for a tick's trades they are not generated and the gap (time
 * range, count) is recorded; the mock does not back-fill (nothing real was missed).
 */
final class MockSource extends SourceBase {
  private static final Logger LOG = LoggerFactory.getLogger(MockSource.class);

  /** Timer period. */
  static final long TICK_MS = 50;

  private final Vertx vertx;
  private final Set<String> curveSymbols;
  private final double rate;
  private final long seed;
  private MockTradeGenerator generator;
  private long timerId = -1;
  private long startNanos;
  private long emittedPerSymbol;
  private volatile long lastTickMs = NO_CLOCK;

  /** The price of each symbol's last trade (the mock books are built around it). */
  private final Map<String, Double> lastPrices = new HashMap<>();

  MockSource(
      Vertx vertx,
      TradeGate gate,
      List<String> symbols,
      Set<String> curveSymbols,
      double rate,
      long seed) {
    super("mock", gate, symbols);
    this.vertx = vertx;
    this.curveSymbols = Set.copyOf(curveSymbols);
    this.rate = rate;
    this.seed = seed;
  }

  @Override
  public Future<Void> start() {
    long now = System.currentTimeMillis();
    // Ids start at the start time in microseconds: unique across restarts.
    generator = new MockTradeGenerator(seed, now * 1000, curveSymbols);
    startNanos = System.nanoTime();
    lastTickMs = now;
    timerId = vertx.setPeriodic(TICK_MS, id -> tick());
    List<String> curves = curveSymbols.stream().filter(symbols::contains).toList();
    if (curves.isEmpty()) {
      LOG.info("feed: mock source, {} at {} trades/s each, seed {}", symbols, rate, seed);
    } else {
      LOG.info(
          "feed: mock source, {} at {} trades/s each, seed {}, bonding-curve tokens {}",
          symbols,
          rate,
          seed,
          curves);
    }
    return Future.succeededFuture();
  }

  /** Emits, for every symbol, the trades due since the last tick (at most one second's worth). */
  private void tick() {
    long from = lastTickMs;
    long now = Math.max(System.currentTimeMillis(), from);
    long due = (long) Math.floor(rate * (System.nanoTime() - startNanos) / 1e9) - emittedPerSymbol;
    if (due <= 0) {
      lastTickMs = now;
      return;
    }
    long maxBatch = Math.max(1, (long) Math.ceil(rate));
    if (due > maxBatch) {
      // Behind schedule by more than a second (a stalled event loop): skip ahead instead of
      // bursting.
      emittedPerSymbol += due - maxBatch;
      due = maxBatch;
    }
    long n = due * symbols.size();
    if (!gate.log().hasRoom((int) Math.min(Integer.MAX_VALUE, n))) {
      gate.gapDropped(from + 1, now, n);
      emittedPerSymbol += due;
      lastTickMs = now;
      return;
    }
    if (gate.gapOpen()) {
      gate.closeGap(-1);
    }
    for (long i = 1; i <= due; i++) {
      long t = from + (now - from) * i / due;
      for (String symbol : symbols) {
        Trade trade = generator.next(symbol, t);
        lastPrices.put(symbol, trade.price());
        gate.offer(trade);
      }
    }
    emittedPerSymbol += due;
    lastTickMs = now;
  }

  @Override
  public Future<Void> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    return Future.succeededFuture();
  }

  /** The price of the symbol's last trade, or NaN before its first. */
  double lastPrice(String symbol) {
    return lastPrices.getOrDefault(symbol, Double.NaN);
  }

  /**
   * The bonding curve of a curve symbol after the trades so far, or null (not a curve symbol, or
   * none yet).
   */
  BondingCurve curve(String symbol) {
    return generator == null ? null : generator.curve(symbol);
  }

  @Override
  public long watermarkClock() {
    return lastTickMs;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public JsonObject state() {
    return gate.stats()
        .put("status", "UP")
        .put("state", timerId >= 0 ? "running" : "stopped")
        .put("connected", timerId >= 0)
        .put("reconnects", 0)
        .put("symbols", new JsonArray(symbols))
        .put("rate", rate)
        .put("seed", seed);
  }
}
