package candlecast.feed;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A seedable source of plausible trades, one independent random walk per symbol. Pure: no clock, no threads, no
 * Vert.x; the caller passes each trade's time.
 *
 * <ul>
 *   <li>Price: a log random walk around the symbol's base price ({@link #basePrice}) with a weak pull back to it, so
 *   it wanders by a few percent but never drifts away or reaches zero; each taker nudges it in its own direction.
 *   Rounded to cents (to 6 decimals below a base price of 1).</li>
 *   <li>Size: log-normal notional (median about 150 in quote currency), converted to base units, 8 decimals.</li>
 *   <li>Side: buys and sells equally likely in the long run; each trade repeats the previous side with probability
 *   0.6 (mild momentum: runs of buys or sells).</li>
 *   <li>Ids: per symbol, {@code startId}, {@code startId + 1}, ... (strictly increasing).</li>
 * </ul>
 *
 * <p>Deterministic: a symbol's sequence depends only on the seed, the start id and how many trades of that symbol were
 * drawn before, not on the other symbols. Not thread-safe.
 */
public final class MockTradeGenerator {
  /** Standard deviation of the log-price step per trade (3 basis points). */
  static final double STEP_SIGMA = 0.0003;
  /** Pull of the log price back to the base per trade; stationary spread about STEP_SIGMA / sqrt(2 * REVERSION). */
  static final double REVERSION = 0.00005;
  /** Extra move in the taker's direction, as a fraction of STEP_SIGMA. */
  static final double IMPACT = 0.3;
  static final double SAME_SIDE_PROBABILITY = 0.6;
  static final double MEDIAN_NOTIONAL = 150.0;
  static final double NOTIONAL_SIGMA = 1.1;

  private final long seed;
  private final long startId;
  private final Map<String, Walk> walks = new HashMap<>();

  public MockTradeGenerator(long seed, long startId) {
    if (startId < 0) {
      throw new IllegalArgumentException("startId must be >= 0, was " + startId);
    }
    this.seed = seed;
    this.startId = startId;
  }

  public long seed() {
    return seed;
  }

  /** The next trade of {@code symbol}, stamped with {@code timeMs}. */
  public Trade next(String symbol, long timeMs) {
    if (symbol == null) {
      throw new IllegalArgumentException("symbol is null");
    }
    return walks.computeIfAbsent(symbol, this::newWalk).next(symbol, timeMs);
  }

  /** Where a symbol's price starts and hovers: BTC* 60000, ETH* 3000, anything else 100. */
  public static double basePrice(String symbol) {
    if (symbol.startsWith("BTC") || symbol.startsWith("XBT")) {
      return 60_000;
    }
    if (symbol.startsWith("ETH")) {
      return 3_000;
    }
    return 100;
  }

  private Walk newWalk(String symbol) {
    return new Walk(new Random(mix(seed, symbol)), basePrice(symbol), startId);
  }

  /** A per-symbol seed: the generator seed mixed with the symbol (String.hashCode is specified, so stable). */
  private static long mix(long seed, String symbol) {
    long z = seed + 0x9E3779B97F4A7C15L * (symbol.hashCode() + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final class Walk {
    private final Random rnd;
    private final double logBase;
    private final double priceScale;
    private double logPrice;
    private Side side;
    private long nextId;

    Walk(Random rnd, double base, long startId) {
      this.rnd = rnd;
      this.logBase = Math.log(base);
      this.priceScale = base >= 1 ? 100 : 1_000_000;
      this.logPrice = logBase;
      this.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
      this.nextId = startId;
    }

    Trade next(String symbol, long timeMs) {
      if (rnd.nextDouble() >= SAME_SIDE_PROBABILITY) {
        side = side == Side.BUY ? Side.SELL : Side.BUY;
      }
      double direction = side == Side.BUY ? 1 : -1;
      double step = STEP_SIGMA * (rnd.nextGaussian() + IMPACT * direction * Math.abs(rnd.nextGaussian()))
          - REVERSION * (logPrice - logBase);
      logPrice += step;
      double price = Math.max(1, Math.round(Math.exp(logPrice) * priceScale)) / priceScale;
      double notional = MEDIAN_NOTIONAL * Math.exp(NOTIONAL_SIGMA * rnd.nextGaussian());
      double amount = Math.max(1, Math.round(notional / price * 1e8)) / 1e8;
      return new Trade(symbol, nextId++, timeMs, price, amount, side);
    }
  }
}
