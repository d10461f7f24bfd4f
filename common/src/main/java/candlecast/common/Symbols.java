package candlecast.common;

import java.util.Locale;
import java.util.regex.Pattern;

/** Symbol rules: upper-case letters and digits, 2 to 20 characters (BTCUSD, ETHUSD, PUMPSOL). */
public final class Symbols {
  private static final Pattern VALID = Pattern.compile("[A-Z0-9]{2,20}");

  private Symbols() {
  }

  public static boolean isValid(String s) {
    return s != null && VALID.matcher(s).matches();
  }

  /** Upper-cases and validates; null when not a valid symbol. */
  public static String normalize(String s) {
    if (s == null) {
      return null;
    }
    String up = s.trim().toUpperCase(Locale.ROOT);
    return isValid(up) ? up : null;
  }
}
