package candlecast.aggregator.analysis;

import static candlecast.aggregator.analysis.ExactAverage.MC;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBar;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.StochasticOscillatorKIndicator;
import org.ta4j.core.indicators.WMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.indicators.volume.OnBalanceVolumeIndicator;
import org.ta4j.core.indicators.volume.VWAPIndicator;
import org.ta4j.core.num.DoubleNum;
import org.ta4j.core.num.Num;

/**
 * The oracle of one candle series: ta4j 0.17 with {@link DoubleNum} (each value computed from its
 * window afresh: plain sums, a two-pass variance, so no running-sum drift) where its convention is
 * the contract's (SMA, WMA, Bollinger with population σ, Stochastic except HH = LL, VWAP and OBV
 * over a session-only series), and {@link ExactAverage} (exact decimals, from the definition) where
 * it is not (EMA, RSI, MACD, ATR seeding; RSI without movement). The last bar may be provisional:
 * the next {@link #put} replaces it (ta4j does not cache its end bar's values).
 */
final class SeriesOracle {
  private final Timeframe tf;
  private final TaSeries main = new TaSeries();
  private final LongUnaryOperator sessionOf;
  private final Map<String, Function<Integer, double[]>> byKey = new HashMap<>();
  private final List<BigDecimal> highs = new ArrayList<>();
  private final List<BigDecimal> lows = new ArrayList<>();
  private final List<BigDecimal> closes = new ArrayList<>();
  private TaSeries session;
  private long sessionKey = Long.MIN_VALUE;
  private int end = -1;

  SeriesOracle(Timeframe tf) {
    this.tf = tf;
    this.sessionOf = Sessions.intraday(tf) ? Sessions::day : Sessions::year;
  }

  /** One ta4j series whose last bar may be provisional (replaced by the next put). */
  static final class TaSeries {
    final BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DoubleNum.class).build();
    boolean lastProvisional;
    BigDecimal volume = BigDecimal.ZERO; // Σv of the committed bars
    BigDecimal lastVolume = BigDecimal.ZERO; // v of the provisional last bar
    final VWAPIndicator vwap = new VWAPIndicator(series, Integer.MAX_VALUE);
    final OnBalanceVolumeIndicator obv = new OnBalanceVolumeIndicator(series);

    void put(Timeframe tf, long openTime, double[] ohlcv, boolean provisional) {
      long endMs = tf.windowEnd(openTime);
      BaseBar bar =
          BaseBar.builder()
              .timePeriod(Duration.ofMillis(endMs - openTime))
              .endTime(Instant.ofEpochMilli(endMs).atZone(ZoneOffset.UTC))
              .openPrice(DoubleNum.valueOf(ohlcv[0]))
              .highPrice(DoubleNum.valueOf(ohlcv[1]))
              .lowPrice(DoubleNum.valueOf(ohlcv[2]))
              .closePrice(DoubleNum.valueOf(ohlcv[3]))
              .volume(DoubleNum.valueOf(ohlcv[4]))
              .amount(DoubleNum.valueOf(0))
              .trades(0)
              .build();
      series.addBar(bar, lastProvisional);
      lastProvisional = provisional;
      BigDecimal v = BigDecimal.valueOf(ohlcv[4]);
      if (provisional) {
        lastVolume = v;
      } else {
        volume = volume.add(v, MC);
        lastVolume = BigDecimal.ZERO;
      }
    }

    /** Σv of the bars including a provisional last one. */
    BigDecimal totalVolume() {
      return volume.add(lastVolume, MC);
    }

    int end() {
      return series.getEndIndex();
    }
  }

  /**
   * Puts the candle at the next index (or, after a provisional one, at the same index again).
   *
   * @param ohlcv open, high, low, close, volume
   */
  void put(long openTime, double[] ohlcv, boolean provisional) {
    boolean replacing = main.lastProvisional;
    main.put(tf, openTime, ohlcv, provisional);
    end = main.end();
    long key = sessionOf.applyAsLong(openTime);
    if (key != sessionKey) {
      if (replacing && session != null && session.lastProvisional) {
        throw new IllegalStateException("a provisional candle replaced across sessions");
      }
      sessionKey = key;
      session = new TaSeries();
    }
    session.put(tf, openTime, ohlcv, provisional);
    truncate(highs, end);
    truncate(lows, end);
    truncate(closes, end);
    highs.add(BigDecimal.valueOf(ohlcv[1]));
    lows.add(BigDecimal.valueOf(ohlcv[2]));
    closes.add(BigDecimal.valueOf(ohlcv[3]));
  }

  private static void truncate(List<BigDecimal> list, int size) {
    while (list.size() > size) {
      list.remove(list.size() - 1);
    }
  }

  /**
   * The spec's point at the last index, or null where it is undefined. Every index must be asked in
   * order (the exact references are incremental).
   */
  double[] expected(AnalysisSpec spec) {
    return byKey.computeIfAbsent(spec.key(), k -> build(spec)).apply(end);
  }

  /** A field's scale for the relative tolerance: price-level fields the close, oscillators 100. */
  double scale(AnalysisSpec spec) {
    return switch (spec.kind()) {
      case RSI, STOCH -> 100;
      case OBV -> Math.max(1, session.totalVolume().doubleValue());
      default -> Math.abs(closes.get(end).doubleValue());
    };
  }

  private Function<Integer, double[]> build(AnalysisSpec spec) {
    ClosePriceIndicator close = new ClosePriceIndicator(main.series);
    return switch (spec.kind()) {
      case SMA -> ta(new SMAIndicator(close, spec.intParam("period")), spec.intParam("period"));
      case WMA -> ta(new WMAIndicator(close, spec.intParam("period")), spec.intParam("period"));
      case BB -> bollinger(close, spec.intParam("period"), spec.param("mult"));
      case STOCH -> stochastic(spec.intParam("k"), spec.intParam("d"));
      case VWAP -> vwap();
      case OBV -> this::obv;
      case EMA -> ema(spec.intParam("period"));
      case RSI -> rsi(spec.intParam("period"));
      case MACD -> macd(spec.intParam("fast"), spec.intParam("slow"), spec.intParam("signal"));
      case ATR -> atr(spec.intParam("period"));
      default -> throw new IllegalArgumentException(spec.key());
    };
  }

  private static Function<Integer, double[]> ta(Indicator<Num> ind, int period) {
    return e -> e < period - 1 ? null : new double[] {ind.getValue(e).doubleValue()};
  }

  private Function<Integer, double[]> bollinger(ClosePriceIndicator close, int n, double mult) {
    BollingerBandsMiddleIndicator middle =
        new BollingerBandsMiddleIndicator(new SMAIndicator(close, n));
    StandardDeviationIndicator sd = new StandardDeviationIndicator(close, n);
    BollingerBandsUpperIndicator upper =
        new BollingerBandsUpperIndicator(middle, sd, DoubleNum.valueOf(mult));
    BollingerBandsLowerIndicator lower =
        new BollingerBandsLowerIndicator(middle, sd, DoubleNum.valueOf(mult));
    return e ->
        e < n - 1
            ? null
            : new double[] {
              upper.getValue(e).doubleValue(),
              middle.getValue(e).doubleValue(),
              lower.getValue(e).doubleValue()
            };
  }

  /** ta4j's %K, with 50 where HH = LL (ta4j divides by zero there: NaN); %D = mean of d of them. */
  private Function<Integer, double[]> stochastic(int k, int d) {
    StochasticOscillatorKIndicator pk = new StochasticOscillatorKIndicator(main.series, k);
    HighestValueIndicator hh = new HighestValueIndicator(new HighPriceIndicator(main.series), k);
    LowestValueIndicator ll = new LowestValueIndicator(new LowPriceIndicator(main.series), k);
    Function<Integer, BigDecimal> kAt =
        i ->
            hh.getValue(i).isEqual(ll.getValue(i))
                ? BigDecimal.valueOf(50)
                : pk.getValue(i).bigDecimalValue();
    return e -> {
      if (e < k + d - 2) {
        return null;
      }
      BigDecimal sum = BigDecimal.ZERO;
      for (int i = e - d + 1; i <= e; i++) {
        sum = sum.add(kAt.apply(i), MC);
      }
      return new double[] {
        kAt.apply(e).doubleValue(), sum.divide(BigDecimal.valueOf(d), MC).doubleValue()
      };
    };
  }

  /**
   * ta4j's VWAP over the session's bars only (intraday: the UTC day's series with an unbounded
   * window; 1d and longer: one bar), undefined while the session's Σv is 0 (ta4j returns the
   * typical price of a first bar without volume).
   */
  private Function<Integer, double[]> vwap() {
    if (!Sessions.intraday(tf)) {
      VWAPIndicator one = new VWAPIndicator(main.series, 1);
      return e -> volumeOfLast() == 0 ? null : new double[] {one.getValue(e).doubleValue()};
    }
    return e -> {
      if (session.totalVolume().signum() == 0) {
        return null;
      }
      return new double[] {session.vwap.getValue(session.end()).doubleValue()};
    };
  }

  private double volumeOfLast() {
    return main.series.getBar(end).getVolume().doubleValue();
  }

  /** ta4j's OBV over the session's bars only (0 on the session's first bar). */
  private double[] obv(int e) {
    return new double[] {session.obv.getValue(session.end()).doubleValue()};
  }

  private Function<Integer, double[]> ema(int n) {
    ExactAverage avg = ExactAverage.ema(n);
    return e -> one(avg.at(e, closes.get(e)));
  }

  private Function<Integer, double[]> rsi(int n) {
    ExactAverage gains = ExactAverage.wilder(n);
    ExactAverage losses = ExactAverage.wilder(n);
    return e -> {
      BigDecimal change = e == 0 ? null : closes.get(e).subtract(closes.get(e - 1), MC);
      BigDecimal g = gains.at(e, change == null ? null : change.max(BigDecimal.ZERO));
      BigDecimal l = losses.at(e, change == null ? null : change.negate().max(BigDecimal.ZERO));
      if (g == null) {
        return null;
      }
      BigDecimal sum = g.add(l, MC);
      return sum.signum() == 0
          ? new double[] {50}
          : new double[] {BigDecimal.valueOf(100).multiply(g, MC).divide(sum, MC).doubleValue()};
    };
  }

  private Function<Integer, double[]> macd(int fast, int slow, int signal) {
    ExactAverage f = ExactAverage.ema(fast);
    ExactAverage s = ExactAverage.ema(slow);
    ExactAverage sig = ExactAverage.ema(signal);
    return e -> {
      BigDecimal fv = f.at(e, closes.get(e));
      BigDecimal sv = s.at(e, closes.get(e));
      BigDecimal m = sv == null ? null : fv.subtract(sv, MC);
      BigDecimal g = sig.at(e, m);
      if (g == null) {
        return null;
      }
      return new double[] {m.doubleValue(), g.doubleValue(), m.subtract(g, MC).doubleValue()};
    };
  }

  private Function<Integer, double[]> atr(int n) {
    ExactAverage avg = ExactAverage.wilder(n);
    return e -> {
      BigDecimal tr = highs.get(e).subtract(lows.get(e), MC);
      if (e > 0) {
        BigDecimal pc = closes.get(e - 1);
        tr = tr.max(highs.get(e).subtract(pc, MC).abs()).max(lows.get(e).subtract(pc, MC).abs());
      }
      return one(avg.at(e, tr));
    };
  }

  private static double[] one(BigDecimal v) {
    return v == null ? null : new double[] {v.doubleValue()};
  }
}
