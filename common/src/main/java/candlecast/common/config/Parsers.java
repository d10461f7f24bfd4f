package candlecast.common.config;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Parsers for setting values; each throws {@link IllegalArgumentException} with a human reason. */
final class Parsers {
  private Parsers() {
  }

  static Function<String, Integer> intRange(int min, int max) {
    return s -> {
      long v;
      try {
        v = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' is not a whole number");
      }
      if (v < min || v > max) {
        throw new IllegalArgumentException("'" + s + "' is out of range " + min + ".." + max);
      }
      return (int) v;
    };
  }

  static Function<String, Long> longRange(long min, long max) {
    return s -> {
      long v;
      try {
        v = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' is not a whole number");
      }
      if (v < min || v > max) {
        throw new IllegalArgumentException("'" + s + "' is out of range " + min + ".." + max);
      }
      return v;
    };
  }

  static Function<String, Double> positiveDouble() {
    return s -> {
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' is not a number");
      }
      if (!Double.isFinite(v) || v <= 0) {
        throw new IllegalArgumentException("'" + s + "' must be a number > 0");
      }
      return v;
    };
  }

  static Function<String, String> string() {
    return s -> s;
  }

  static Function<String, String> oneOf(String... allowed) {
    return s -> {
      String v = s.toLowerCase(Locale.ROOT);
      for (String a : allowed) {
        if (a.equals(v)) {
          return a;
        }
      }
      throw new IllegalArgumentException("'" + s + "' is not one of " + String.join(", ", allowed));
    };
  }

  static Function<String, List<String>> symbols() {
    return s -> {
      Set<String> out = new LinkedHashSet<>();
      for (String part : s.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        String sym = Symbols.normalize(p);
        if (sym == null) {
          throw new IllegalArgumentException("'" + p + "' is not a symbol (2-20 letters or digits)");
        }
        out.add(sym);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("at least one symbol is required");
      }
      return List.copyOf(out);
    };
  }

  static Function<String, String> symbol() {
    return s -> {
      String sym = Symbols.normalize(s);
      if (sym == null) {
        throw new IllegalArgumentException("'" + s + "' is not a symbol (2-20 letters or digits)");
      }
      return sym;
    };
  }

  static Function<String, Timeframe> timeframe() {
    return s -> {
      Timeframe tf = Timeframe.tryParse(s);
      if (tf == null) {
        throw new IllegalArgumentException("unknown timeframe '" + s + "' (expected one of " + Timeframe.labels() + ")");
      }
      return tf;
    };
  }

  static Function<String, List<String>> stringList() {
    return s -> {
      List<String> out = new ArrayList<>();
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return List.copyOf(out);
    };
  }

  static Function<String, Boolean> bool() {
    return s -> {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> {
          return true;
        }
        case "false", "no", "off", "0" -> {
          return false;
        }
        default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
      }
    };
  }
}
