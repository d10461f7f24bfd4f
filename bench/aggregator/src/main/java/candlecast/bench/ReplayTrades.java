package candlecast.bench;

import candlecast.common.Side;
import candlecast.common.Timeframe;
import candlecast.common.Trade;
import java.util.Random;

/**
 * A seeded, replay-like trade sequence over a few symbols: one clock that never goes back, a gap
 * of 0 to {@code 2 * meanGapMs} between consecutive trades (any symbol), a random-walk price per
 * symbol. The same seed gives the same sequence, so two runs see identical input. The clock starts
 * so that the stream's middle is 2025-09-01 00:00 UTC (a Monday and a month start): every
 * timeframe from 1s to 1M has a window that closes during the stream.
 */
final class ReplayTrades {
  /** 2025-09-01T00:00:00Z. */
  static final long MIDPOINT = 1_756_684_800_000L;

  private final Random rnd;
  private final int symbols;
  private final int maxGap;
  private final double[] price;
  private long clock;
  private long id;

  ReplayTrades(long seed, int symbols, int meanGapMs, long trades) {
    this.rnd = new Random(seed);
    this.symbols = symbols;
    this.maxGap = 2 * meanGapMs + 1;
    this.price = new double[symbols];
    for (int i = 0; i < symbols; i++) {
      price[i] = 100.0 * (i + 1);
    }
    this.clock = Timeframe.S1.windowStart(MIDPOINT - trades * meanGapMs / 2);
    this.id = 1_000;
  }

  static String symbol(int i) {
    return "SYM" + i;
  }

  /** The clock: the time of the last trade returned. */
  long clock() {
    return clock;
  }

  /** One trade of symbol {@code i} at the current clock (used to make every symbol known). */
  Trade first(int i) {
    return trade(i);
  }

  /** The next trade of the stream. */
  Trade next() {
    clock += rnd.nextInt(maxGap);
    return trade(rnd.nextInt(symbols));
  }

  private Trade trade(int i) {
    price[i] = Math.max(0.01, price[i] * (1 + rnd.nextGaussian() * 2e-4));
    return new Trade(
        symbol(i),
        id++,
        clock,
        Math.round(price[i] * 100) / 100.0,
        Math.round(Math.exp(rnd.nextGaussian()) * 1e6) / 1e8,
        rnd.nextBoolean() ? Side.BUY : Side.SELL);
  }
}
