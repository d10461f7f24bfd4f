package candlecast.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Symbol rules: upper-case letters and digits, 2 to 20 characters (BTCUSD, ETHUSD, PUMPSOL). What
 * clients type is normalised once, here, at every entry point: case is ignored, and the dashed
 * style of many exchanges ({@code BTC-USD}) is an alias of the plain symbol ({@code BTCUSD}).
 */
public final class Symbols {
  private static final Pattern VALID = Pattern.compile("[A-Z0-9]{2,20}");

  /**
   * Groups of letters and digits joined by single dashes ({@code BTC-USD}); the dashes are dropped.
   */
  private static final Pattern DASHED = Pattern.compile("[A-Z0-9]+(?:-[A-Z0-9]+)+");

  /**
   * Longest input worth looking at: 20 characters and a dash between each (anything longer cannot
   * be valid).
   */
  private static final int MAX_RAW = 39;

  private Symbols() {}

  /** Whether {@code s} is a symbol in its canonical form (no dashes, upper case). */
  public static boolean isValid(String s) {
    return s != null && VALID.matcher(s).matches();
  }

  /**
   * The canonical symbol a client means, or null when it is not a symbol: trimmed, upper-cased, and
   * with the dashes of the dashed style removed ({@code " btc-usd "} → {@code BTCUSD}). A dash must
   * sit between two letters or digits ({@code -BTC}, {@code BTC--USD}, {@code BTC-} are not
   * symbols).
   */
  public static String normalize(String s) {
    if (s == null) {
      return null;
    }
    String up = s.trim().toUpperCase(Locale.ROOT);
    if (up.length() > MAX_RAW) {
      return null;
    }
    if (up.indexOf('-') >= 0) {
      if (!DASHED.matcher(up).matches()) {
        return null;
      }
      up = up.replace("-", "");
    }
    return isValid(up) ? up : null;
  }
}
