package candlecast.bench;

import candlecast.aggregator.analysis.Indicator;
import candlecast.aggregator.analysis.Studies;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.util.Map;
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

/**
 * Cost of one indicator update (issue 16), each of the ten with its default parameters, on 1m
 * candles of a random walk at 50,000 (one in eight flat): {@code commit} advances the state by one
 * closed candle, {@code provisional} evaluates an open candle without changing the state. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per update (0 expected).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class IndicatorBenchmark {
  static final int N = 1 << 16;
  private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  @Param({"sma", "ema", "wma", "rsi", "macd", "bb", "atr", "stoch", "vwap", "obv"})
  public String name;

  private final double[] open = new double[N];
  private final double[] high = new double[N];
  private final double[] low = new double[N];
  private final double[] close = new double[N];
  private final double[] volume = new double[N];
  private final double[] out = new double[3];
  private Indicator indicator;
  private long time = START;

  @Setup(Level.Trial)
  public void data() {
    Random rnd = new Random(1);
    double c = 50_000;
    for (int i = 0; i < N; i++) {
      if (rnd.nextInt(8) == 0) {
        open[i] = c;
        high[i] = c;
        low[i] = c;
        close[i] = c;
        continue;
      }
      double o = c;
      c = Math.round((o + rnd.nextGaussian() * 5) * 100) / 100.0;
      open[i] = o;
      high[i] = Math.max(o, c) + rnd.nextInt(300) / 100.0;
      low[i] = Math.min(o, c) - rnd.nextInt(300) / 100.0;
      close[i] = c;
      volume[i] = rnd.nextInt(1_000_000) / 1e4;
    }
    indicator = Studies.create(AnalysisSpec.parse(name, Map.of()), Timeframe.M1);
    commit(); // a warm state: every indicator defined
  }

  /** One closed candle per operation. */
  @Benchmark
  @OperationsPerInvocation(N)
  public double commit() {
    Indicator ind = indicator;
    double[] o = out;
    double sum = 0;
    long t = time;
    for (int i = 0; i < N; i++, t += 60_000L) {
      if (ind.apply(t, open[i], high[i], low[i], close[i], volume[i], true, o)) {
        sum += o[0];
      }
    }
    time = t;
    return sum;
  }

  /** One provisional evaluation of an open candle per operation (the state does not move). */
  @Benchmark
  @OperationsPerInvocation(N)
  public double provisional() {
    Indicator ind = indicator;
    double[] o = out;
    double sum = 0;
    long t = time;
    for (int i = 0; i < N; i++) {
      if (ind.apply(t, open[i], high[i], low[i], close[i], volume[i], false, o)) {
        sum += o[0];
      }
    }
    return sum;
  }
}
