package candlecast.aggregator.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's exact (34-digit decimal) reference of an SMA-seeded exponential average, written from
 * the definition independently of the production code: value at the {@code n}-th defined input =
 * the plain mean of the first {@code n} defined inputs (summed from the list), after that {@code
 * alpha · x + (1 − alpha) · previous}. Inputs come one index at a time; a second input at the same
 * index (the closed candle after a provisional one) replaces the first.
 */
final class ExactAverage {
  static final MathContext MC = MathContext.DECIMAL128;

  private final int n;
  private final BigDecimal alpha;
  private final BigDecimal oneMinusAlpha;
  private final List<BigDecimal> inputs = new ArrayList<>();
  private final List<BigDecimal> values = new ArrayList<>();
  private final List<Integer> definedUpTo = new ArrayList<>(); // defined inputs at indexes 0..i

  private ExactAverage(int n, BigDecimal alpha) {
    this.n = n;
    this.alpha = alpha;
    this.oneMinusAlpha = BigDecimal.ONE.subtract(alpha, MC);
  }

  /** EMA: alpha = 2 / (n + 1). */
  static ExactAverage ema(int n) {
    return new ExactAverage(n, BigDecimal.valueOf(2).divide(BigDecimal.valueOf(n + 1L), MC));
  }

  /** Wilder: alpha = 1 / n. */
  static ExactAverage wilder(int n) {
    return new ExactAverage(n, BigDecimal.ONE.divide(BigDecimal.valueOf(n), MC));
  }

  /**
   * The value at index {@code e} with input {@code x} there (null: no input yet, e.g. the first
   * candle's change); null while undefined.
   */
  BigDecimal at(int e, BigDecimal x) {
    while (inputs.size() > e) {
      inputs.remove(inputs.size() - 1);
      values.remove(values.size() - 1);
      definedUpTo.remove(definedUpTo.size() - 1);
    }
    if (inputs.size() != e) {
      throw new IllegalStateException("index " + e + " after " + inputs.size() + " inputs");
    }
    inputs.add(x);
    int defined = (e == 0 ? 0 : definedUpTo.get(e - 1)) + (x == null ? 0 : 1);
    definedUpTo.add(defined);
    BigDecimal v = null;
    if (x != null) {
      if (defined == n) {
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal in : inputs) {
          if (in != null) {
            sum = sum.add(in, MC);
          }
        }
        v = sum.divide(BigDecimal.valueOf(n), MC);
      } else if (defined > n) {
        v = alpha.multiply(x, MC).add(oneMinusAlpha.multiply(values.get(e - 1), MC), MC);
      }
    }
    values.add(v);
    return v;
  }
}
