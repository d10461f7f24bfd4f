package candlecast.common.config;

import candlecast.common.Symbols;
import candlecast.common.Timeframe;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Parsers for setting values; each throws {@link IllegalArgumentException} with a human reason. */
public final class Parsers {
  private Parsers() {}

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

  /** A string matching {@code regex} in full; the error names what is allowed. */
  static Function<String, String> oneOfPattern(String regex, String allowed) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
    return s -> {
      if (!p.matcher(s).matches()) {
        throw new IllegalArgumentException("'" + s + "' is not valid: " + allowed);
      }
      return s;
    };
  }

  /** Comma-separated symbols, normalized, each once: at least one. */
  static Function<String, List<String>> symbols() {
    Function<String, List<String>> list = symbolList();
    return s -> {
      List<String> out = list.apply(s);
      if (out.isEmpty()) {
        throw new IllegalArgumentException("at least one symbol is required");
      }
      return out;
    };
  }

  /** Comma-separated symbols, normalized, each once; may be empty. */
  static Function<String, List<String>> symbolList() {
    return s -> {
      Set<String> out = new LinkedHashSet<>();
      for (String part : s.split(",", -1)) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        String sym = Symbols.normalize(p);
        if (sym == null) {
          throw new IllegalArgumentException(
              "'" + p + "' is not a symbol (2-20 letters or digits)");
        }
        out.add(sym);
      }
      return List.copyOf(out);
    };
  }

  /** An absolute URL with a host and one of {@code schemes}; the value is the trimmed text. */
  static Function<String, String> url(String... schemes) {
    return s -> {
      URI u;
      try {
        u = new URI(s.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("'" + s + "' is not a URL: " + e.getReason());
      }
      if (u.getScheme() == null
          || !List.of(schemes).contains(u.getScheme().toLowerCase(Locale.ROOT))
          || u.getHost() == null) {
        throw new IllegalArgumentException(
            "'" + s + "' is not a " + String.join(" or ", schemes) + " URL");
      }
      return s.trim();
    };
  }

  /**
   * A speed: a multiple of a recorded speed (a number > 0, kept as written in lower case) or {@code
   * max}.
   */
  static Function<String, String> replaySpeed() {
    return s -> {
      String v = s.trim().toLowerCase(Locale.ROOT);
      if (v.equals("max")) {
        return v;
      }
      double d;
      try {
        d = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' is not a number > 0 or max");
      }
      if (!Double.isFinite(d) || d <= 0) {
        throw new IllegalArgumentException("'" + s + "' is not a number > 0 or max");
      }
      return v;
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
        throw new IllegalArgumentException(
            "unknown timeframe '" + s + "' (expected one of " + Timeframe.labels() + ")");
      }
      return tf;
    };
  }

  static Function<String, List<String>> stringList() {
    return s -> {
      List<String> out = new ArrayList<>();
      for (String part : s.split(",", -1)) {
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

  /** A duration: 500ms, 30s, 15m, 24h, 30d, or plain milliseconds. */
  static long duration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long mult;
    String num;
    if (t.endsWith("ms")) {
      mult = 1;
      num = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      mult = 1_000;
      num = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mult = 60_000;
      num = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      mult = 3_600_000;
      num = t.substring(0, t.length() - 1);
    } else if (t.endsWith("d")) {
      mult = 86_400_000;
      num = t.substring(0, t.length() - 1);
    } else {
      mult = 1;
      num = t;
    }
    try {
      long v = Long.parseLong(num.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(v, mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "'" + s + "' is not a duration (e.g. 500ms, 30s, 15m, 24h, 30d)");
    }
  }

  /**
   * "1s=24h,1m=720h": retention per timeframe label; the value is kept as the validated, normalized
   * string.
   */
  static Function<String, String> retention() {
    return s -> {
      StringBuilder norm = new StringBuilder();
      for (String part : s.split(",", -1)) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              "'" + part.trim() + "' is not tf=duration (e.g. 1s=24h)");
        }
        String tf = part.substring(0, eq).trim();
        if (Timeframe.tryParse(tf) == null) {
          throw new IllegalArgumentException(
              "unknown timeframe '" + tf + "' (expected one of " + Timeframe.labels() + ")");
        }
        long ms = duration(part.substring(eq + 1));
        if (norm.length() > 0) {
          norm.append(',');
        }
        norm.append(tf).append('=').append(ms).append("ms");
      }
      return norm.toString();
    };
  }

  /**
   * Milliseconds per timeframe index from a value accepted by {@link #retention()} (0 = unlimited).
   */
  public static long[] retentionMillis(String normalized) {
    long[] out = new long[Timeframe.COUNT];
    for (String part : normalized.split(",", -1)) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      out[Timeframe.parse(part.substring(0, eq)).index()] = duration(part.substring(eq + 1));
    }
    return out;
  }
}
