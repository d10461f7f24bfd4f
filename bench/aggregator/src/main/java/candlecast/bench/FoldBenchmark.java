package candlecast.bench;

import candlecast.aggregator.CandleFolder;
import candlecast.aggregator.CandleSink;
import candlecast.common.Timeframe;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Folding cost per trade into all seven timeframes (1s … 1d) on one core, the aggregator's hot
 * path. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per operation
 * (per trade).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class FoldBenchmark {
  static final int N = 1 << 20;

  /** Mean milliseconds between two trades of the symbol: 5 = busy (200/s), 200 = quiet. */
  @Param({"5", "200"})
  public int gapMs;

  private final long[] ids = new long[N];
  private final long[] times = new long[N];
  private final double[] prices = new double[N];
  private final double[] amounts = new double[N];
  private CandleFolder folder;
  private long round;
  private long span;
  private CandleSink sink;

  @Setup(Level.Trial)
  public void data(Blackhole bh) {
    Random rnd = new Random(1);
    long t = 1_700_000_000_000L;
    double p = 60_000;
    for (int i = 0; i < N; i++) {
      t += rnd.nextInt(2 * gapMs + 1);
      p = Math.max(1, p * (1 + rnd.nextGaussian() * 1e-4));
      ids[i] = i;
      times[i] = t;
      prices[i] = p;
      amounts[i] = Math.exp(rnd.nextGaussian()) * 0.01;
    }
    span = t - times[0] + 1_000;
    sink = (s, tf, open, o, h, l, c, v, n, x, partial) -> bh.consume(open);
    folder = new CandleFolder("BTCUSD", 250, 8_192);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void foldAllTimeframes() {
    long shift = round * span;
    long idShift = round * N;
    round++;
    CandleFolder f = folder;
    CandleSink s = sink;
    for (int i = 0; i < N; i++) {
      f.fold(ids[i] + idShift, times[i] + shift, prices[i], amounts[i], s);
      if ((i & 1023) == 0) {
        f.flush(s);
      }
    }
  }

  static int timeframes() {
    return Timeframe.COUNT;
  }
}
