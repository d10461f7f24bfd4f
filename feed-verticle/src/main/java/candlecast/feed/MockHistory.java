package candlecast.feed;

import candlecast.common.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * The mock's first-run history: the trades of {@code symbols} from {@code fromMs} (inclusive) to
 * {@code toMs} (exclusive), in time order across symbols, drawn from a {@link MockTradeGenerator}.
 * Each symbol trades every {@link #MIN_GAP_MS}..{@link #MAX_GAP_MS} (uniform, from its own {@link
 * Random} seeded with the seed and the symbol), so 30 days are about 150 000 trades per symbol:
 * plenty for full 1m..1d charts, cheap to write and to fold. Pure and deterministic: the same seed,
 * symbols and span give the same trades (a test regenerates them as the oracle's input); the
 * generator goes on from the history's last price and id when the live mock continues with it. Not
 * thread-safe.
 */
public final class MockHistory {
  static final long MIN_GAP_MS = 5_000;
  static final long MAX_GAP_MS = 30_000;

  private final MockTradeGenerator generator;
  private final long toMs;
  private final List<String> symbols;
  private final Random[] gaps;
  private final long[] next;

  MockHistory(MockTradeGenerator generator, List<String> symbols, long fromMs, long toMs) {
    if (toMs < fromMs) {
      throw new IllegalArgumentException("history ends before it starts: " + fromMs + ".." + toMs);
    }
    this.generator = generator;
    this.toMs = toMs;
    this.symbols = List.copyOf(symbols);
    this.gaps = new Random[this.symbols.size()];
    this.next = new long[this.symbols.size()];
    for (int i = 0; i < next.length; i++) {
      gaps[i] = new Random(generator.seed() * 31 + this.symbols.get(i).hashCode());
      // The first trade falls within the first gap, so symbols do not all start at fromMs.
      next[i] = fromMs + Math.floorMod(gaps[i].nextLong(), MIN_GAP_MS);
    }
  }

  /** Whether a trade is left before the end of the span. */
  boolean hasNext() {
    return earliest() >= 0;
  }

  /** The next trade in time order (ties: in the order of the symbols). */
  Trade next() {
    int i = earliest();
    if (i < 0) {
      throw new NoSuchElementException("the history is complete");
    }
    Trade t = generator.next(symbols.get(i), next[i]);
    next[i] += MIN_GAP_MS + (long) (gaps[i].nextDouble() * (MAX_GAP_MS - MIN_GAP_MS));
    return t;
  }

  /**
   * The history the mock writes on a first run with {@code seed} for {@code symbols} over [{@code
   * fromMs}, {@code toMs}) (what a test folds as the oracle's input).
   */
  public static List<Trade> of(
      long seed, List<String> symbols, java.util.Set<String> curveSymbols, long fromMs, long toMs) {
    return new MockHistory(
            new MockTradeGenerator(seed, fromMs * 1000, curveSymbols), symbols, fromMs, toMs)
        .rest();
  }

  /** Every remaining trade (tests). */
  List<Trade> rest() {
    List<Trade> out = new ArrayList<>();
    while (hasNext()) {
      out.add(next());
    }
    return out;
  }

  private int earliest() {
    int best = -1;
    for (int i = 0; i < next.length; i++) {
      if (next[i] < toMs && (best < 0 || next[i] < next[best])) {
        best = i;
      }
    }
    return best;
  }
}
