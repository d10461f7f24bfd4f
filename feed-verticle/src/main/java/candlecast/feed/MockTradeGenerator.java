package candlecast.feed;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seedable source of plausible trades, one independent random walk per symbol. Pure: no clock, no
 * threads, no Vert.x; the caller passes each trade's time.
 *
 * <ul>
 *   <li>Price: a log random walk around the symbol's base price ({@link #basePrice}) with a weak
 *       pull back to it, so it wanders by a few percent but never drifts away or reaches zero; each
 *       taker nudges it in its own direction. Rounded to cents (to 6 decimals below a base price of
 *       1).
 *   <li>Size: log-normal notional (median about 150 in quote currency), converted to base units, 8
 *       decimals.
 *   <li>Side: buys and sells equally likely in the long run; each trade repeats the previous side
 *       with probability 0.6 (mild momentum: runs of buys or sells).
 *   <li>Ids: per symbol, {@code startId}, {@code startId + 1}, ... (strictly increasing).
 * </ul>
 *
 * <p>Symbols named in {@code curveSymbols} are PumpFun-style tokens on a {@link BondingCurve}
 * instead (see {@link CurveWalk}): price in SOL per token, amount in tokens, each buy and sell
 * moving the curve's reserves.
 *
 * <p>Deterministic: a symbol's sequence depends only on the seed, the start id and how many trades
 * of that symbol were drawn before, not on the other symbols. Not thread-safe.
 */
public final class MockTradeGenerator {
  /** Standard deviation of the log-price step per trade (3 basis points). */
  static final double STEP_SIGMA = 0.0003;

  /**
   * Pull of the log price back to the base per trade; stationary spread about STEP_SIGMA / sqrt(2 *
   * REVERSION).
   */
  static final double REVERSION = 0.00005;

  /** Extra move in the taker's direction, as a fraction of STEP_SIGMA. */
  static final double IMPACT = 0.3;

  static final double SAME_SIDE_PROBABILITY = 0.6;
  static final double MEDIAN_NOTIONAL = 150.0;
  static final double NOTIONAL_SIGMA = 1.1;

  private final long seed;
  private final long startId;
  private final Set<String> curveSymbols;
  private final Map<String, Model> walks = new HashMap<>();

  public MockTradeGenerator(long seed, long startId) {
    this(seed, startId, Set.of());
  }

  public MockTradeGenerator(long seed, long startId, Set<String> curveSymbols) {
    if (startId < 0) {
      throw new IllegalArgumentException("startId must be >= 0, was " + startId);
    }
    this.seed = seed;
    this.startId = startId;
    this.curveSymbols = Set.copyOf(curveSymbols);
  }

  /** Whether {@code symbol} trades on a bonding curve. */
  public boolean isCurve(String symbol) {
    return curveSymbols.contains(symbol);
  }

  /** The bonding curve of a curve symbol (after the trades drawn so far), or null. */
  BondingCurve curve(String symbol) {
    return walks.get(symbol) instanceof CurveWalk c ? c.curve : null;
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

  private Model newWalk(String symbol) {
    Random rnd = new Random(mix(seed, symbol));
    return curveSymbols.contains(symbol)
        ? new CurveWalk(rnd, startId)
        : new Walk(rnd, basePrice(symbol), startId);
  }

  /**
   * A per-symbol seed: the generator seed mixed with the symbol (String.hashCode is specified, so
   * stable).
   */
  private static long mix(long seed, String symbol) {
    long z = seed + 0x9E3779B97F4A7C15L * (symbol.hashCode() + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private interface Model {
    Trade next(String symbol, long timeMs);
  }

  private static final class Walk implements Model {
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

    @Override
    public Trade next(String symbol, long timeMs) {
      if (rnd.nextDouble() >= SAME_SIDE_PROBABILITY) {
        side = side == Side.BUY ? Side.SELL : Side.BUY;
      }
      double direction = side == Side.BUY ? 1 : -1;
      double step =
          STEP_SIGMA * (rnd.nextGaussian() + IMPACT * direction * Math.abs(rnd.nextGaussian()))
              - REVERSION * (logPrice - logBase);
      logPrice += step;
      double price = Math.max(1, Math.round(Math.exp(logPrice) * priceScale)) / priceScale;
      double notional = MEDIAN_NOTIONAL * Math.exp(NOTIONAL_SIGMA * rnd.nextGaussian());
      double amount = Math.max(1, Math.round(notional / price * 1e8)) / 1e8;
      return new Trade(symbol, nextId++, timeMs, price, amount, side);
    }
  }

  /**
   * A token on a {@link BondingCurve}. It starts with 25-65 % of the curve's tokens sold. Sides
   * follow a slowly drifting sentiment (an AR(1) process) with a pull back towards 45 % sold, so
   * the token pumps and dumps in waves (typically between 5 % and 85 % sold, a 6x price range) but
   * never completes the curve (buys stop at 95 % sold) nor empties it (a sell gives back at most
   * half the tokens out); runs of buys or sells come from the sentiment. Buys spend a log-normal
   * amount of SOL (median 0.5, 0.01..25); sells give back a log-normal SOL worth of tokens (median
   * 0.5). The trade's price is what it actually paid per token: SOL / tokens.
   */
  private static final class CurveWalk implements Model {
    static final double TARGET_SOLD = 0.45;
    static final double MAX_SOLD = 0.95;
    static final double MEDIAN_SOL = 0.5;
    static final double SOL_SIGMA = 1.2;
    private final Random rnd;
    final BondingCurve curve;
    private double sentiment;
    private long nextId;

    CurveWalk(Random rnd, long startId) {
      this.rnd = rnd;
      this.curve =
          new BondingCurve(BondingCurve.INITIAL_REAL_TOKENS * (0.25 + 0.4 * rnd.nextDouble()));
      this.nextId = startId;
    }

    @Override
    public Trade next(String symbol, long timeMs) {
      sentiment = 0.98 * sentiment + 0.012 * rnd.nextGaussian();
      double sold = curve.tokensSold() / BondingCurve.INITIAL_REAL_TOKENS;
      double pBuy = Math.max(0.05, Math.min(0.95, 0.5 + sentiment + 1.5 * (TARGET_SOLD - sold)));
      boolean buy = rnd.nextDouble() < pBuy;
      double sol =
          Math.max(0.01, Math.min(25, MEDIAN_SOL * Math.exp(SOL_SIGMA * rnd.nextGaussian())));
      if (curve.tokensSold() < 1_000_000) {
        buy = true;
      }
      if (buy) {
        // Stay clear of completing the curve: never buy past MAX_SOLD of its tokens.
        double room = MAX_SOLD * BondingCurve.INITIAL_REAL_TOKENS - curve.tokensSold();
        if (room < 1_000_000) {
          buy = false;
        } else {
          double solForRoom =
              curve.initialProduct() / (curve.virtualTokens() - room) - curve.virtualSol();
          sol = Math.min(sol, solForRoom);
        }
      }
      double[] r;
      if (buy) {
        r = curve.buy(sol);
      } else {
        double tokens = Math.min(sol / curve.price(), curve.tokensSold() / 2);
        r = curve.sell(Math.max(1_000, tokens));
      }
      double solAmount = r[0];
      double tokens = r[1];
      return new Trade(
          symbol, nextId++, timeMs, solAmount / tokens, tokens, buy ? Side.BUY : Side.SELL);
    }
  }
}
