package candlecast.bench;

import candlecast.aggregator.HistoryStore;
import candlecast.aggregator.SeriesHistory;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Issue 15's storage plan: a year of 1m candles for {@code symbols} symbols (100: 52.56 M candles)
 * in one node's history. Prints bytes per candle (arrays, and heap after a GC), the time to put
 * them, and query times on one series: the 500 newest, and the whole year (525,600 candles; and
 * the newest 100,000, the most one bus reply may carry), plus the 500 newest of a sparse year
 * (9,000 trades: mostly synthesized flat windows). Usage: {@code java -Xmx5g -cp
 * bench-aggregator.jar candlecast.bench.HistoryYear [symbols]}
 */
public final class HistoryYear {
  private static final long T0 = 1_704_067_200_000L;
  private static final int PER_YEAR = 525_600;

  private HistoryYear() {}

  public static void main(String[] args) {
    int symbols = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    long[] retention = new long[Timeframe.COUNT];
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heap0 = rt.totalMemory() - rt.freeMemory();
    HistoryStore store = new HistoryStore(retention);
    Random rnd = new Random(1);
    long t0 = System.nanoTime();
    for (int s = 0; s < symbols; s++) {
      String sym = "SYM" + s;
      double p = 100 + s;
      for (int i = 0; i < PER_YEAR; i++) {
        double next = Math.max(1, p + rnd.nextGaussian());
        store.candle(
            sym,
            Timeframe.M1,
            T0 + i * 60_000L,
            p,
            Math.max(p, next) + 0.5,
            Math.min(p, next) - 0.5,
            next,
            rnd.nextDouble() * 10,
            1 + rnd.nextInt(500),
            i < PER_YEAR - 1,
            false);
        p = next;
      }
    }
    double putSecs = (System.nanoTime() - t0) / 1e9;
    long candles = (long) symbols * PER_YEAR;
    long arrays = 0;
    for (int s = 0; s < symbols; s++) {
      arrays += store.memoryBytes("SYM" + s);
    }
    System.gc();
    long heap = rt.totalMemory() - rt.freeMemory() - heap0;
    System.out.printf(
        "RESULT %,d candles (%d symbols x a year of 1m) put in %.1f s: arrays %,d MiB (%.1f B per"
            + " candle), heap after GC %,d MiB (%.1f B per candle)%n",
        candles,
        symbols,
        putSecs,
        arrays >> 20,
        (double) arrays / candles,
        heap >> 20,
        (double) heap / candles);
    SeriesHistory one = store.series("SYM0", Timeframe.M1);
    time("500 newest", 20_000, () -> one.query(Long.MIN_VALUE, Long.MAX_VALUE, 500));
    long end = T0 + (PER_YEAR - 1) * 60_000L;
    time("a year of 1m (525,600)", 20, () -> one.query(T0, end, PER_YEAR));
    time("newest 100,000 of the year", 50, () -> one.query(T0, end, 100_000));
    HistoryStore sparse = new HistoryStore(retention);
    long[] times = new long[9_000];
    for (int i = 0; i < times.length; i++) {
      times[i] = T0 + ((long) (rnd.nextDouble() * PER_YEAR)) * 60_000L;
    }
    Arrays.sort(times);
    for (long t : times) {
      sparse.candle("Q", Timeframe.M1, t, 5, 5, 5, 5, 1, 1, true, false);
    }
    sparse.candle("Q", Timeframe.M1, end, 5, 5, 5, 5, 0, 0, false, false);
    SeriesHistory q = sparse.series("Q", Timeframe.M1);
    time("500 newest of a sparse year", 20_000, () -> q.query(Long.MIN_VALUE, Long.MAX_VALUE, 500));
    time("a sparse year of 1m (525,600)", 20, () -> q.query(T0, end, PER_YEAR));
  }

  private interface Query {
    List<Candle> run();
  }

  private static void time(String what, int n, Query q) {
    long[] ns = new long[n];
    long sink = 0;
    for (int i = 0; i < n / 4 + 1; i++) {
      sink += q.run().size(); // warm-up
    }
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      sink += q.run().size();
      ns[i] = System.nanoTime() - t;
    }
    Arrays.sort(ns);
    System.out.printf(
        "RESULT query %s: median %.3f ms, p99 %.3f ms (%d runs, %d candles in all)%n",
        what, ns[n / 2] / 1e6, ns[(int) (n * 0.99)] / 1e6, n, sink);
  }
}
