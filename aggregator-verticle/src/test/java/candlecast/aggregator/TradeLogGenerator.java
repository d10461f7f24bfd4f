package candlecast.aggregator;

import candlecast.common.Side;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic, messy trade log for exactness tests: several symbols with random-walk prices,
 * bursts and quiet spells (with watermarks), duplicates (a re-sent id), trades out of order within
 * the grace period, late trades and the odd malformed record; optionally gap records (recent ones
 * over closed, open and future windows, old ones reaching back past what a folder keeps, and
 * malformed ones).
 */
final class TradeLogGenerator {
  private TradeLogGenerator() {}

  static List<byte[]> generate(long seed, int symbols, int count, long grace) {
    return generate(seed, symbols, count, grace, 0);
  }

  /**
   * @param gapsPer100k gap records per 100,000 records (0 = none); keep it low enough that no
   *     symbol holds more than {@link GapSpans#MAX} spans, which the oracle does not model
   */
  static List<byte[]> generate(long seed, int symbols, int count, long grace, int gapsPer100k) {
    return generate(seed, symbols, count, grace, gapsPer100k, 1_700_000_000_000L);
  }

  /**
   * As {@link #generate(long, int, int, long, int)}, the symbols starting within a second after
   * {@code base} (epoch ms); a symbol's time advances about 65 ms a trade on average.
   */
  static List<byte[]> generate(
      long seed, int symbols, int count, long grace, int gapsPer100k, long base) {
    Random rnd = new Random(seed);
    String[] syms = new String[symbols];
    double[] price = new double[symbols];
    long[] time = new long[symbols];
    long[] nextId = new long[symbols];
    for (int i = 0; i < symbols; i++) {
      syms[i] = "SYM" + i;
      price[i] = 100 + 50 * i;
      time[i] = base + rnd.nextInt(1000);
      nextId[i] = 1_000_000L * (i + 1);
    }
    List<byte[]> out = new ArrayList<>(count + count / 10);
    int produced = 0;
    while (produced < count) {
      int i = rnd.nextInt(symbols);
      if (gapsPer100k > 0 && rnd.nextInt(100_000) < gapsPer100k) {
        out.add(gap(rnd, syms[i], time[i]));
        continue;
      }
      int kind = rnd.nextInt(1000);
      if (kind < 15) { // quiet spell: time jumps, with watermarks
        long jump = 500L + rnd.nextInt(5_000);
        for (long w = time[i] + 250; w < time[i] + jump; w += 250) {
          out.add(TradeCodec.encodeWatermark(syms[i], w));
        }
        time[i] += jump;
        continue;
      }
      if (kind < 25 && produced > 0) { // duplicate of a recent id
        long id = nextId[i] - 1 - rnd.nextInt(20);
        out.add(
            TradeCodec.encode(
                new Trade(syms[i], Math.max(0, id), time[i], price[i], 0.5, Side.BUY)));
        produced++;
        continue;
      }
      if (kind < 28) { // late: far behind the symbol's time
        out.add(
            TradeCodec.encode(
                new Trade(
                    syms[i],
                    nextId[i]++,
                    time[i] - grace - 2_000 - rnd.nextInt(5_000),
                    price[i],
                    0.25,
                    Side.SELL)));
        produced++;
        continue;
      }
      if (kind < 29) {
        out.add("{\"symbol\":\"SYM0\",\"oops\":".getBytes(StandardCharsets.UTF_8));
        continue;
      }
      long t = time[i];
      if (kind < 120) { // out of order, within the grace period
        t = time[i] - rnd.nextInt((int) Math.max(1, grace));
      } else {
        time[i] += rnd.nextInt(40);
        t = time[i];
      }
      price[i] = Math.max(0.01, price[i] * (1 + rnd.nextGaussian() * 0.001));
      double amount = Math.round(Math.exp(rnd.nextGaussian()) * 1e6) / 1e8;
      out.add(
          TradeCodec.encode(
              new Trade(
                  syms[i],
                  nextId[i]++,
                  t,
                  Math.round(price[i] * 100) / 100.0,
                  amount,
                  rnd.nextBoolean() ? Side.BUY : Side.SELL)));
      produced++;
    }
    return out;
  }

  private static byte[] gap(Random rnd, String symbol, long now) {
    int kind = rnd.nextInt(10);
    if (kind == 0) { // malformed: ends before it starts
      return ("{\"symbol\":\""
              + symbol
              + "\",\"gap\":{\"from\":"
              + now
              + ",\"to\":"
              + (now - 1)
              + "}}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (kind < 3) { // old: past the closed windows a folder keeps at small timeframes
      long from = now - 600_000 - rnd.nextInt(600_000);
      return TradeCodec.encodeGap(symbol, from, from + 1 + rnd.nextInt(300_000));
    }
    long from =
        now - rnd.nextInt(6_000); // recent: closed windows, open ones and windows still to come
    return TradeCodec.encodeGap(symbol, from, from + 1 + rnd.nextInt(15_000));
  }
}
