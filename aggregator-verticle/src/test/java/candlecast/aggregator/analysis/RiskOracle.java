package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import java.util.List;

/**
 * The risk metrics recomputed from their definitions, independently of {@link RiskWindow}: two-pass
 * mean and sample variance of the log returns, drawdown over every pair j ≤ k.
 */
final class RiskOracle {
  private RiskOracle() {}

  /** {volatility, max_drawdown, return} of the closes {@code c} (oldest first). */
  static double[] metrics(List<Double> c, Timeframe tf) {
    int n = c.size();
    double[] r = new double[n - 1];
    double mean = 0;
    for (int i = 1; i < n; i++) {
      r[i - 1] = Math.log(c.get(i) / c.get(i - 1));
      mean += r[i - 1];
    }
    mean /= r.length;
    double ss = 0;
    for (double x : r) {
      ss += (x - mean) * (x - mean);
    }
    double perYear = tf == Timeframe.MN1 ? 12 : 365.25 * 24 * 3600 * 1000 / (double) tf.millis();
    double vol = r.length < 2 ? 0 : Math.sqrt(ss / (r.length - 1)) * Math.sqrt(perYear);
    double dd = 0;
    for (int k = 0; k < n; k++) {
      for (int j = 0; j <= k; j++) {
        dd = Math.max(dd, (c.get(j) - c.get(k)) / c.get(j));
      }
    }
    return new double[] {vol, dd, c.get(n - 1) / c.get(0) - 1};
  }
}
