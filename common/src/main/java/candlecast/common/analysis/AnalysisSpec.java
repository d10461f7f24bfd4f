package candlecast.common.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One analysis series' definition, independent of symbol and timeframe: an indicator, the pattern
 * set or the risk metrics, with every parameter resolved (defaults filled in) and validated.
 *
 * <p>Two specs with the same {@link #key()} are the same series: the key is canonical ({@code
 * rsi:14}, {@code macd:12:26:9}, {@code bb:20:2}, {@code vwap}, {@code patterns:20}, {@code
 * risk:30}), and a series is computed once per (symbol, timeframe, key) in the cluster. The bus
 * address of its updates is {@code analysis.<SYMBOL>.<tf>.<key>} ({@code
 * candlecast.common.Addresses#analysis}).
 *
 * @param kind what is computed
 * @param params every parameter of the kind, in the kind's declared order, defaults filled in
 */
public record AnalysisSpec(Kind kind, Map<String, Double> params) {
  /** Largest period any parameter may take. */
  public static final int MAX_PERIOD = 500;

  /** Smallest warm-up (candles) of any series; see {@link #warmup()}. */
  public static final int MIN_WARMUP = 1000;

  /** Warm-up candles per unit of the longest period; see {@link #warmup()}. */
  public static final int WARMUP_PER_PERIOD = 30;

  /** What a series computes: its wire name, parameters with defaults, and output fields. */
  @SuppressWarnings("ImmutableEnumChecker") // the lists are List.of / List.copyOf: unmodifiable
  public enum Kind {
    SMA("sma", new String[] {"period"}, new double[] {20}, "value"),
    EMA("ema", new String[] {"period"}, new double[] {20}, "value"),
    WMA("wma", new String[] {"period"}, new double[] {20}, "value"),
    RSI("rsi", new String[] {"period"}, new double[] {14}, "value"),
    MACD(
        "macd",
        new String[] {"fast", "slow", "signal"},
        new double[] {12, 26, 9},
        "macd",
        "signal",
        "hist"),
    BB("bb", new String[] {"period", "mult"}, new double[] {20, 2}, "upper", "middle", "lower"),
    ATR("atr", new String[] {"period"}, new double[] {14}, "value"),
    STOCH("stoch", new String[] {"k", "d"}, new double[] {14, 3}, "k", "d"),
    VWAP("vwap", new String[] {}, new double[] {}, "value"),
    OBV("obv", new String[] {}, new double[] {}, "value"),
    /** The pattern set; {@code lookback} is the N of the N-bar breakout. */
    PATTERNS("patterns", new String[] {"lookback"}, new double[] {20}, "patterns"),
    /** Risk metrics over the last {@code window} closed candles (and the open one). */
    RISK(
        "risk", new String[] {"window"}, new double[] {30}, "volatility", "max_drawdown", "return");

    private final String wire;
    private final List<String> paramNames;
    private final List<Double> defaults;
    private final List<String> fields;

    Kind(String wire, String[] paramNames, double[] defaults, String... fields) {
      this.wire = wire;
      this.paramNames = List.of(paramNames);
      List<Double> d = new ArrayList<>();
      for (double x : defaults) {
        d.add(x);
      }
      this.defaults = List.copyOf(d);
      this.fields = List.of(fields);
    }

    /** The name on the wire ({@code rsi}, {@code bb}, …). */
    public String wire() {
      return wire;
    }

    /** Output field names of one point, in order ({@code value}, or {@code macd, signal, hist}). */
    public List<String> fields() {
      return fields;
    }

    public List<String> paramNames() {
      return paramNames;
    }

    /** True for the indicators (not the pattern set or the risk metrics). */
    public boolean isIndicator() {
      return this != PATTERNS && this != RISK;
    }

    /** The kind of a wire name (aliases {@code bollinger}, {@code stochastic}), or null. */
    public static Kind byName(String name) {
      if (name == null) {
        return null;
      }
      String n = name.trim().toLowerCase(Locale.ROOT);
      if ("bollinger".equals(n) || "bbands".equals(n)) {
        return BB;
      }
      if ("stochastic".equals(n)) {
        return STOCH;
      }
      for (Kind k : values()) {
        if (k.wire.equals(n)) {
          return k;
        }
      }
      return null;
    }

    /** The wire names of all kinds, for error messages. */
    public static String names() {
      List<String> out = new ArrayList<>();
      for (Kind k : values()) {
        out.add(k.wire);
      }
      return String.join(", ", out);
    }
  }

  public AnalysisSpec {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Parses and validates a spec. {@code raw} holds parameters as given by a client (numbers, or
   * strings from a query string); missing ones take their defaults; names are case-insensitive.
   *
   * @throws IllegalArgumentException with a message fit for the client: unknown name, unknown
   *     parameter, a value that is not a number, an integer parameter that is not an integer in
   *     1..{@value #MAX_PERIOD}, {@code mult} not in (0, 10], {@code fast >= slow}
   */
  public static AnalysisSpec parse(String name, Map<String, ?> raw) {
    Kind kind = Kind.byName(name);
    if (kind == null) {
      throw new IllegalArgumentException(
          "unknown indicator '" + name + "' (known: " + Kind.names() + ")");
    }
    Map<String, Double> params = new LinkedHashMap<>();
    for (int i = 0; i < kind.paramNames.size(); i++) {
      params.put(kind.paramNames.get(i), kind.defaults.get(i));
    }
    if (raw != null) {
      for (Map.Entry<String, ?> e : raw.entrySet()) {
        String p = e.getKey() == null ? "" : e.getKey().trim().toLowerCase(Locale.ROOT);
        if (!params.containsKey(p)) {
          throw new IllegalArgumentException(
              "unknown parameter '"
                  + e.getKey()
                  + "' for "
                  + kind.wire
                  + " (parameters: "
                  + (kind.paramNames.isEmpty() ? "none" : String.join(", ", kind.paramNames))
                  + ")");
        }
        params.put(p, number(kind, p, e.getValue()));
      }
    }
    validate(kind, params);
    return new AnalysisSpec(kind, params);
  }

  /** The spec of a canonical key ({@link #key()}), e.g. {@code macd:12:26:9}. */
  public static AnalysisSpec fromKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("empty analysis key");
    }
    String[] parts = key.split(":", -1);
    Kind kind = Kind.byName(parts[0]);
    if (kind == null || !kind.wire.equals(parts[0])) {
      throw new IllegalArgumentException("unknown analysis key '" + key + "'");
    }
    if (parts.length - 1 != kind.paramNames.size()) {
      throw new IllegalArgumentException(
          "analysis key '" + key + "' needs " + kind.paramNames.size() + " parameters");
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      raw.put(kind.paramNames.get(i - 1), parts[i]);
    }
    AnalysisSpec spec = parse(kind.wire, raw);
    if (!spec.key().equals(key)) {
      throw new IllegalArgumentException("analysis key '" + key + "' is not canonical");
    }
    return spec;
  }

  private static double number(Kind kind, String p, Object v) {
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            kind.wire + " parameter '" + p + "' must be a number, got '" + s + "'");
      }
    } else {
      throw new IllegalArgumentException(kind.wire + " parameter '" + p + "' must be a number");
    }
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(kind.wire + " parameter '" + p + "' must be finite");
    }
    return d;
  }

  private static void validate(Kind kind, Map<String, Double> params) {
    for (Map.Entry<String, Double> e : params.entrySet()) {
      double d = e.getValue();
      if ("mult".equals(e.getKey())) {
        if (!(d > 0 && d <= 10)) {
          throw new IllegalArgumentException(kind.wire + " parameter 'mult' must be in (0, 10]");
        }
        continue;
      }
      int min = kind == Kind.RISK ? 2 : 1;
      if (d != Math.rint(d) || d < min || d > MAX_PERIOD) {
        throw new IllegalArgumentException(
            kind.wire
                + " parameter '"
                + e.getKey()
                + "' must be an integer from "
                + min
                + " to "
                + MAX_PERIOD
                + ", got "
                + format(d));
      }
    }
    if (kind == Kind.MACD && params.get("fast") >= params.get("slow")) {
      throw new IllegalArgumentException("macd parameter 'fast' must be below 'slow'");
    }
  }

  /** An integer parameter. */
  public int intParam(String name) {
    Double d = params.get(name);
    if (d == null) {
      throw new IllegalArgumentException(kind.wire + " has no parameter '" + name + "'");
    }
    return (int) (double) d;
  }

  /** A parameter as a double. */
  public double param(String name) {
    Double d = params.get(name);
    if (d == null) {
      throw new IllegalArgumentException(kind.wire + " has no parameter '" + name + "'");
    }
    return d;
  }

  /** The canonical key: wire name, then every parameter in declared order, colon-separated. */
  public String key() {
    StringBuilder sb = new StringBuilder(kind.wire);
    for (double d : params.values()) {
      sb.append(':').append(format(d));
    }
    return sb.toString();
  }

  /** Output field names of one point. */
  public List<String> fields() {
    return kind.fields();
  }

  /** The longest integer parameter (0 when there is none). */
  public int longestPeriod() {
    int max = 0;
    for (Map.Entry<String, Double> e : params.entrySet()) {
      if (!"mult".equals(e.getKey())) {
        max = Math.max(max, (int) (double) e.getValue());
      }
    }
    return max;
  }

  /**
   * Warm-up length W in candles: {@code max(MIN_WARMUP, WARMUP_PER_PERIOD × longest period)}. A
   * series' value at window index i is computed over the candles from its anchor {@code (floor(i /
   * W) - 1) × W} (clipped to the series' first candle) to i, so a value never depends on when the
   * computing process started (see docs/DECISIONS.md, issue 16).
   */
  public int warmup() {
    return Math.max(MIN_WARMUP, WARMUP_PER_PERIOD * longestPeriod());
  }

  /** A parameter value as written in keys and JSON: integers without a fraction. */
  public static String format(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}
