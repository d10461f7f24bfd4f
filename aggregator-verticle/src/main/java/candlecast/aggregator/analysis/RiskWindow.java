package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;

/**
 * The risk metrics {@code risk:<window>} over the closes of the last {@code window} candles (the
 * closed ones; with {@code commit = false} the open candle is the newest and the oldest closed one
 * drops out, without changing the state). Outputs in {@link AnalysisSpec.Kind#RISK} field order:
 *
 * <ul>
 *   <li>{@code volatility}: sample standard deviation (n − 1) of the window's {@code window − 1}
 *       log returns ln(c_k / c_{k−1}), times sqrt(periods per year); periods per year = 365.25 days
 *       / the timeframe's length, 12 for 1M. With one return (window 2) there is no sample
 *       deviation: 0. Exactly 0 when every return is 0.
 *   <li>{@code max_drawdown}: max over j ≤ k of (c_j − c_k) / c_j, a fraction ≥ 0.
 *   <li>{@code return}: c_last / c_first − 1, a fraction.
 * </ul>
 *
 * <p>Defined once {@code window} candles exist. Volatility from the returns' running mean and sum
 * of squared deviations (Welford's update, sliding: O(1), and no cancellation of large sums of
 * squares when the returns are nearly equal), recomputed in two passes from the ring every {@code
 * window − 1} returns so rounding never builds up beyond one lap; max drawdown is a scan of the
 * window, O(window), as the contract allows; return O(1). No allocation.
 */
public final class RiskWindow implements Indicator {
  /**
   * A sum of squared deviations below this fraction of the magnitudes it was computed from is
   * recomputed: rounding then stays below about 1e-10 relative.
   */
  private static final double GUARD = 1e-6;

  private final int window;
  private final double sqrtPeriodsPerYear;
  private final double[] closes; // ring of the last `window` closes
  private final double[] returns; // ring of the last `window - 1` log returns
  private long count; // closed candles seen
  private long returnCount;
  private double mean; // of the returns in the ring
  private double m2; // their sum of squared deviations from the mean
  private double errScale; // magnitudes m2 was computed from since the last recompute
  private int nonZero; // returns in the ring that are not 0

  public RiskWindow(int window, Timeframe tf) {
    if (window < 2) {
      throw new IllegalArgumentException("risk window must be at least 2, got " + window);
    }
    this.window = window;
    this.sqrtPeriodsPerYear = Math.sqrt(periodsPerYear(tf));
    this.closes = new double[window];
    this.returns = new double[window - 1];
  }

  /** The risk metrics of a {@code risk} spec over a series of timeframe {@code tf}. */
  public static RiskWindow create(AnalysisSpec spec, Timeframe tf) {
    if (spec.kind() != AnalysisSpec.Kind.RISK || tf == null) {
      throw new IllegalArgumentException("not a risk spec with a timeframe: " + spec.key());
    }
    return new RiskWindow(spec.intParam("window"), tf);
  }

  /** 365.25 × 86,400,000 / tf.millis() for fixed timeframes, 12 for 1M. */
  public static double periodsPerYear(Timeframe tf) {
    return tf.isFixed() ? 365.25 * 86_400_000d / tf.millis() : 12;
  }

  public int window() {
    return window;
  }

  @Override
  public boolean apply(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      boolean commit,
      double[] out) {
    if (commit) {
      push(close);
      if (count < window) {
        return false;
      }
      out[0] = volatility(m2, nonZero);
      out[1] = drawdown(window, Double.NaN);
      out[2] = close / closes[slot(count - window)] - 1;
      return true;
    }
    if (count < window - 1) {
      return false;
    }
    double r = Math.log(close / closes[slot(count - 1)]);
    int nz = nonZero + (r != 0 ? 1 : 0);
    boolean full = returnCount >= window - 1; // then the oldest return leaves with the oldest close
    double old = full ? returns[(int) (returnCount % (window - 1))] : 0;
    nz -= old != 0 ? 1 : 0;
    double next = full ? mean + (r - old) / (window - 1) : mean + (r - mean) / (returnCount + 1);
    double term = full ? (r - old) * (r - next + old - mean) : (r - mean) * (r - next);
    double q = m2 + term;
    if (q < GUARD * (errScale + magnitude(r, full ? old : mean, next))) {
      q = deviations(full, r);
    }
    out[0] = volatility(q, nz);
    out[1] = drawdown(window - 1, close);
    out[2] = close / closes[slot(count - (window - 1))] - 1;
    return true;
  }

  private void push(double close) {
    if (count > 0) {
      addReturn(Math.log(close / closes[slot(count - 1)]));
    }
    closes[slot(count)] = close;
    count++;
  }

  /**
   * Welford's update of the returns' mean and sum of squared deviations, for a window that slides:
   * while the ring fills, the return is added; once full, it replaces the oldest. When the sum
   * shrinks so far below the magnitudes it was computed from that rounding could show (a series
   * whose returns become nearly equal), it is recomputed from the ring, as it is on every lap.
   */
  private void addReturn(double r) {
    int m = window - 1;
    int slot = (int) (returnCount % m);
    boolean full = returnCount >= m;
    double old = full ? returns[slot] : mean;
    double next = full ? mean + (r - old) / m : mean + (r - mean) / (returnCount + 1);
    double term = full ? (r - old) * (r - next + old - mean) : (r - mean) * (r - next);
    errScale += magnitude(r, old, next);
    m2 += term;
    mean = next;
    if (full) {
      nonZero -= old != 0 ? 1 : 0;
    }
    returns[slot] = r;
    nonZero += r != 0 ? 1 : 0;
    returnCount++;
    if (slot == m - 1 || m2 < GUARD * errScale) {
      mean = mean();
      m2 = deviations(false, Double.NaN);
      errScale = Math.abs(m2);
    }
  }

  /** What the rounding error of one update is proportional to. */
  private double magnitude(double r, double other, double next) {
    return Math.abs(m2)
        + Math.abs(r - other) * (Math.abs(r) + Math.abs(other) + Math.abs(mean) + Math.abs(next));
  }

  /** Returns held in the ring (the first slots until it is full). */
  private int held() {
    return (int) Math.min(returnCount, window - 1);
  }

  /** Mean of the returns in the ring. */
  private double mean() {
    double s = 0;
    int n = held();
    for (int i = 0; i < n; i++) {
      s += returns[i];
    }
    return s / n;
  }

  /**
   * Sum of squared deviations from their mean, in two passes, of the returns in the ring — or, if
   * {@code extra} is not NaN, of those with the oldest left out (when {@code dropOldest}) and
   * {@code extra} added.
   */
  private double deviations(boolean dropOldest, double extra) {
    int n = held();
    int skip = dropOldest ? (int) (returnCount % (window - 1)) : -1;
    boolean add = !Double.isNaN(extra);
    double s = add ? extra : 0;
    for (int i = 0; i < n; i++) {
      s += i == skip ? 0 : returns[i];
    }
    int k = n - (dropOldest ? 1 : 0) + (add ? 1 : 0);
    double mu = s / k;
    double q = add ? (extra - mu) * (extra - mu) : 0;
    for (int i = 0; i < n; i++) {
      q += i == skip ? 0 : (returns[i] - mu) * (returns[i] - mu);
    }
    return q;
  }

  /** The annualised sample deviation of {@code window − 1} returns with squared deviations q. */
  private double volatility(double q, int nz) {
    int m = window - 1;
    if (m < 2 || nz == 0 || !(q > 0)) {
      return 0;
    }
    return Math.sqrt(q / (m - 1)) * sqrtPeriodsPerYear;
  }

  /**
   * Max drawdown over the newest {@code closed} closed closes, followed by {@code last} unless it
   * is NaN: for each running peak the lowest close until the next peak ((peak − c) / peak falls as
   * c rises, so that is the largest fall from it), one division per peak.
   */
  private double drawdown(int closed, double last) {
    int i = slot(count - closed);
    double peak = closes[i];
    double trough = peak;
    double max = 0;
    for (int k = 1; k < closed; k++) {
      if (++i == window) {
        i = 0;
      }
      double c = closes[i];
      if (c > peak) {
        max = Math.max(max, (peak - trough) / peak);
        peak = c;
        trough = c;
      } else if (c < trough) {
        trough = c;
      }
    }
    if (!Double.isNaN(last)) {
      if (last > peak) {
        max = Math.max(max, (peak - trough) / peak);
        peak = last;
        trough = last;
      } else if (last < trough) {
        trough = last;
      }
    }
    return Math.max(max, (peak - trough) / peak);
  }

  private int slot(long k) {
    return (int) (k % window);
  }

  @Override
  public void reset() {
    count = 0;
    returnCount = 0;
    mean = 0;
    m2 = 0;
    errScale = 0;
    nonZero = 0;
  }
}
