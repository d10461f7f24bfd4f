package candlecast.bench;

import candlecast.aggregator.CandleFolder;
import candlecast.aggregator.CandleSink;
import candlecast.aggregator.HistoryStore;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Side;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Issue 15's quiet-symbol case: a replay of 9,000 trades spread over a year, folded the way the
 * aggregator's fold loop does it (decode, fold, flush every 500 records, then per candle: encode
 * the stored ones as the {@code candles} record, the bus JSON for every one, into the history at
 * the default retention). Prints wall time, candles emitted, records written and bytes, history
 * memory and heap after a GC. Usage: {@code java -Xmx4g -cp bench-aggregator.jar
 * candlecast.bench.YearReplay [trades] [all]} ({@code all}: write windows without trades too, as
 * before issue 15).
 */
public final class YearReplay {
  private static final long T0 = 1_704_067_200_000L;
  private static final long YEAR = 365L * 86_400_000L;

  private YearReplay() {}

  public static void main(String[] args) {
    int trades = args.length > 0 ? Integer.parseInt(args[0]) : 9_000;
    boolean storeFlats = args.length > 1 && args[1].equals("all");
    List<byte[]> log = log(trades, 15);
    HistoryStore history = new HistoryStore(HistoryStore.defaultRetention());
    CandleFolder folder = new CandleFolder("BTCUSD", 250, 8_192);
    List<Candle> batch = new ArrayList<>();
    CandleSink sink =
        (s, tf, t, o, h, l, c, v, n, x, p) -> batch.add(new Candle(s, tf, t, o, h, l, c, v, n, x, p));
    long emitted = 0;
    long written = 0;
    long bytes = 0;
    long jsonChars = 0;
    long t0 = System.nanoTime();
    long foldNs = 0;
    long storeNs = 0;
    for (int i = 0; i < log.size(); i++) {
      long a = System.nanoTime();
      TradeRecord r = (TradeRecord) TradeCodec.decode(log.get(i));
      Trade t = r.trade();
      folder.fold(t.id(), t.time(), t.price(), t.amount(), sink);
      if (i % 500 == 499 || i == log.size() - 1) {
        folder.flush(sink);
        long b = System.nanoTime();
        foldNs += b - a;
        for (Candle c : batch) {
          emitted++;
          if (storeFlats || c.trades() > 0) {
            bytes += CandleCodec.encode(c).length;
            written++;
          }
          history.put(c);
          jsonChars += CandleCodec.toJson(c).encode().length();
        }
        batch.clear();
        storeNs += System.nanoTime() - b;
      } else {
        foldNs += System.nanoTime() - a;
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heap = rt.totalMemory() - rt.freeMemory();
    System.out.printf(
        "RESULT year replay (%s): %,d trades in %.2f s (fold %.2f s, output %.2f s); %,d candles emitted (bus), %,d records"
            + " written (%,d bytes), %,d JSON chars; history %,d bytes; heap after GC %,d MiB%n",
        storeFlats ? "flat windows stored" : "flat windows implied",
        trades,
        secs,
        foldNs / 1e9,
        storeNs / 1e9,
        emitted,
        written,
        bytes,
        jsonChars,
        history.memoryBytes("BTCUSD"),
        heap >> 20);
  }

  /** Trades at seeded random times over a year, in time order. */
  static List<byte[]> log(int trades, long seed) {
    Random rnd = new Random(seed);
    long[] times = new long[trades];
    for (int i = 0; i < trades; i++) {
      times[i] = T0 + (long) (rnd.nextDouble() * YEAR);
    }
    Arrays.sort(times);
    List<byte[]> log = new ArrayList<>(trades);
    double price = 40_000;
    for (int i = 0; i < trades; i++) {
      price = Math.max(1, price * (1 + rnd.nextGaussian() * 0.01));
      double rounded = Math.round(price * 100) / 100.0;
      log.add(TradeCodec.encode(new Trade("BTCUSD", i + 1, times[i], rounded, 0.5, Side.BUY)));
    }
    return log;
  }
}
