package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 *
 * <p><b>First run.</b> Before going live, symbols the log holds no trade of get {@code
 * mock.history-days} of history ({@link MockHistory}, seeded with {@code mock.history-seed}),
 * written through the gate with their historic times; the start completes once the log took it all.
 * Those symbols then trade live from the same generator (prices and ids go on from the history's
 * last), at times after the history's end. No watermark is written while the history is written.
 */
final class MockSource extends SourceBase {
  private static final Logger LOG = LoggerFactory.getLogger(MockSource.class);

  /** Timer period. */
  static final long TICK_MS = 50;

  private final Vertx vertx;
  private final Set<String> curveSymbols;
  private final double rate;
  private final long seed;
  private final History history;
  private final Map<String, MockTradeGenerator> generators = new HashMap<>();
  private MockHistory pending;
  private Promise<Void> historyDone;
  private long historyTrades;
  private long historyMs = -1;
  private long historyFrom;
  private long historyTo;
  private long timerId = -1;
  private long startNanos;
  private long emittedPerSymbol;
  private boolean stopped;
  private Context context;
  private volatile long lastTickMs = NO_CLOCK;

  /**
   * What the first run generates: {@code days} of history (0 = none) for {@code symbols}, seeded
   * with {@code seed}.
   */
  record History(int days, List<String> symbols, long seed) {
    static final History NONE = new History(0, List.of(), 0);

    History {
      symbols = List.copyOf(symbols);
    }

    boolean wanted() {
      return days > 0 && !symbols.isEmpty();
    }
  }

  /** The price of each symbol's last trade (the mock books are built around it). */
  private final Map<String, Double> lastPrices = new HashMap<>();

  MockSource(
      Vertx vertx,
      TradeGate gate,
      List<String> symbols,
      Set<String> curveSymbols,
      double rate,
      long seed) {
    this(vertx, gate, symbols, curveSymbols, rate, seed, History.NONE);
  }

  MockSource(
      Vertx vertx,
      TradeGate gate,
      List<String> symbols,
      Set<String> curveSymbols,
      double rate,
      long seed,
      History history) {
    super("mock", gate, symbols);
    this.history = history;
    this.vertx = vertx;
    this.curveSymbols = Set.copyOf(curveSymbols);
    this.rate = rate;
    this.seed = seed;
  }

  @Override
  public Future<Void> start() {
    long now = System.currentTimeMillis();
    // Ids start at the start time in microseconds: unique across restarts.
    MockTradeGenerator live = new MockTradeGenerator(seed, now * 1000, curveSymbols);
    for (String symbol : symbols) {
      generators.put(symbol, live);
    }
    Future<Void> first = Future.succeededFuture();
    if (history.wanted()) {
      first = writeHistory(now);
    }
    return first.onSuccess(v -> goLive());
  }

  /**
   * Writes the first-run history of {@link History#symbols} for the {@code days} before {@code
   * now}; completes once the log took its last trade.
   */
  private Future<Void> writeHistory(long now) {
    historyTo = now;
    historyFrom = now - history.days() * 86_400_000L;
    // History ids start at its first time in microseconds: below any later start's live ids.
    MockTradeGenerator g = new MockTradeGenerator(history.seed(), historyFrom * 1000, curveSymbols);
    for (String symbol : history.symbols()) {
      generators.put(symbol, g);
    }
    pending = new MockHistory(g, history.symbols(), historyFrom, historyTo);
    historyDone = Promise.promise();
    context = vertx.getOrCreateContext();
    startNanos = System.nanoTime();
    LOG.info(
        "feed: mock first run: writing {} days of history for {} (seed {})",
        history.days(),
        history.symbols(),
        history.seed());
    context.runOnContext(v -> pumpHistory());
    return historyDone.future();
  }

  /** Offers history trades while the log has room (a bounded batch per turn of the loop). */
  private void pumpHistory() {
    MockHistory h = pending;
    if (h == null) {
      return;
    }
    for (int budget = ReplaySource.PUMP_BUDGET; budget > 0 && h.hasNext(); budget--) {
      if (!gate.log().hasRoom(1)) {
        gate.log().whenRoom(this::pumpHistory);
        return;
      }
      Trade trade = h.next();
      lastPrices.put(trade.symbol(), trade.price());
      gate.offer(trade);
      historyTrades++;
    }
    if (h.hasNext()) {
      context.runOnContext(v -> pumpHistory());
      return;
    }
    pending = null;
    historyMs = (System.nanoTime() - startNanos) / 1_000_000;
    LOG.info(
        "feed: mock first run: {} history trades of {} written in {} ms",
        historyTrades,
        history.symbols(),
        historyMs);
    historyDone.tryComplete();
  }

  /** Starts the live ticks, after the history's end. */
  private void goLive() {
    if (stopped) {
      return;
    }
    startNanos = System.nanoTime();
    lastTickMs = Math.max(System.currentTimeMillis(), historyTo);
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
        Trade trade = generators.get(symbol).next(symbol, t);
        lastPrices.put(symbol, trade.price());
        gate.offer(trade);
      }
    }
    emittedPerSymbol += due;
    lastTickMs = now;
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (pending != null) {
      pending = null;
      historyDone.tryFail("the mock stopped while writing its history");
    }
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
    MockTradeGenerator g = generators.get(symbol);
    return g == null ? null : g.curve(symbol);
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
    JsonObject j = gate.stats();
    if (history.wanted()) {
      j.put(
          "history",
          new JsonObject()
              .put("days", history.days())
              .put("seed", history.seed())
              .put("symbols", new JsonArray(history.symbols()))
              .put("from", historyFrom)
              .put("to", historyTo)
              .put("trades", historyTrades)
              .put("ms", historyMs));
    }
    return j.put("status", "UP")
        .put("state", timerId >= 0 ? "running" : "stopped")
        .put("connected", timerId >= 0)
        .put("reconnects", 0)
        .put("symbols", new JsonArray(symbols))
        .put("rate", rate)
        .put("seed", seed);
  }
}
