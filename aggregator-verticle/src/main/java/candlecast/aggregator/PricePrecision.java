package candlecast.aggregator;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A symbol's price precision. The feed carries no tick size, so it is derived from prices the
 * symbol traded at: the most decimal places any of them needs in its shortest decimal form, capped
 * at {@value #MAX_DECIMALS} — or, for prices under 0.1, at what {@value #SIGNIFICANT_DIGITS}
 * significant digits need (the pump.fun feed trades at 1e-8 .. 1e-6 SOL per token, which 8 places
 * would round to nothing). A price computed from such prices (a change) is rounded to it: that
 * removes binary floating-point noise ({@code 65000.01 - 65246.36} is {@code -246.34999999999854}
 * in doubles, {@code -246.35} rounded) and never a real digit, since a difference of two prices has
 * no more decimal places than they have. Pure.
 */
final class PricePrecision {
  static final int MAX_DECIMALS = 8;
  static final int SIGNIFICANT_DIGITS = 8;

  private PricePrecision() {}

  /** Decimal places of one price (0 for 0, NaN and infinities). */
  static int decimals(double price) {
    double a = Math.abs(price);
    if (a == 0 || !Double.isFinite(a)) {
      return 0;
    }
    int exact = Math.max(0, BigDecimal.valueOf(a).stripTrailingZeros().scale());
    int cap = Math.max(MAX_DECIMALS, SIGNIFICANT_DIGITS - 1 - (int) Math.floor(Math.log10(a)));
    return Math.min(exact, cap);
  }

  /**
   * The precision of a symbol that traded at these prices: the most decimal places any of them
   * needs.
   */
  static int of(double... prices) {
    int d = 0;
    for (double p : prices) {
      d = Math.max(d, decimals(p));
    }
    return d;
  }

  /** {@code value} rounded half-up to {@code decimals} places (NaN and infinities unchanged). */
  static double round(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return value;
    }
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
  }
}
