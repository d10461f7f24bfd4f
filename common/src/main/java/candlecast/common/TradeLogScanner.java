package candlecast.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link TradeCodec#decode}: a scanner for exactly the bytes {@link
 * TradeCodec#encode} and {@link TradeCodec#encodeWatermark} write ({@code
 * {"symbol":"BTCUSD","id":1,"time":2,"price":3.5,"amount":0.1, "side":"buy"}} and {@code
 * {"symbol":"BTCUSD","watermark":2}}: that field order, no white space, ASCII symbol without
 * escapes). It returns null for anything else (gap records included: they are rare, so they take
 * the general path), and the caller then runs the general Jackson decoder, which also owns every
 * error message — so the scanner never has to decide that input is malformed, only that it is the
 * canonical form.
 *
 * <p>Numbers give the same values as {@link Double#parseDouble}: a decimal with at most 15
 * significant digits and a power of ten within ±22 is converted exactly (both operands are exact
 * doubles and one IEEE multiplication or division is correctly rounded — Clinger's fast path);
 * other numbers fall back to the JDK on the same characters. Symbols are shared {@link String}s
 * from a small cache (a log has few symbols). Thread-safe.
 */
final class TradeLogScanner {
  private static final byte[] SYMBOL = bytes("{\"" + TradeCodec.SYMBOL + "\":\"");
  private static final byte[] ID = field(TradeCodec.ID);
  private static final byte[] TIME = field(TradeCodec.TIME);
  private static final byte[] PRICE = field(TradeCodec.PRICE);
  private static final byte[] AMOUNT = field(TradeCodec.AMOUNT);
  private static final byte[] SIDE = bytes(",\"" + TradeCodec.SIDE + "\":\"");
  private static final byte[] WATERMARK = field(TradeCodec.WATERMARK);
  private static final byte[] BUY = bytes(Side.BUY.wire() + "\"");
  private static final byte[] SELL = bytes(Side.SELL.wire() + "\"");
  private static final double[] POW10 = new double[23];
  private static final int CACHE = 64;
  private static final Sym[] SYMBOLS = new Sym[CACHE];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** An interned symbol: immutable, so a racy read of the cache sees a whole entry or none. */
  @SuppressWarnings(
      "ArrayRecordComponent") // never compared or hashed; the array is never written after
  // interning
  private record Sym(byte[] bytes, String value) {}

  private final byte[] b;
  private int pos;

  private TradeLogScanner(byte[] b) {
    this.b = b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code ,"name":} */
  private static byte[] field(String name) {
    return bytes(",\"" + name + "\":");
  }

  /**
   * The record, or null when {@code bytes} are not in the canonical form (use the general decoder).
   */
  static TradeLogRecord scan(byte[] bytes) {
    return new TradeLogScanner(bytes).record();
  }

  private TradeLogRecord record() {
    if (!expect(SYMBOL)) {
      return null;
    }
    String symbol = symbol();
    if (symbol == null) {
      return null;
    }
    if (expect(WATERMARK)) {
      long w = integer();
      return w == Long.MIN_VALUE || !end() ? null : new WatermarkRecord(symbol, w);
    }
    if (!expect(ID)) {
      return null;
    }
    long id = integer();
    if (id == Long.MIN_VALUE || !expect(TIME)) {
      return null;
    }
    long time = integer();
    if (time == Long.MIN_VALUE || !expect(PRICE)) {
      return null;
    }
    double price = number();
    if (Double.isNaN(price) || !expect(AMOUNT)) {
      return null;
    }
    double amount = number();
    if (Double.isNaN(amount) || !expect(SIDE)) {
      return null;
    }
    Side side;
    if (expect(BUY)) {
      side = Side.BUY;
    } else if (expect(SELL)) {
      side = Side.SELL;
    } else {
      return null;
    }
    return end() ? new TradeRecord(new Trade(symbol, id, time, price, amount, side)) : null;
  }

  private boolean expect(byte[] lit) {
    int n = lit.length;
    if (pos + n > b.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != lit[i]) {
        return false;
      }
    }
    pos += n;
    return true;
  }

  private boolean end() {
    return pos + 1 == b.length && b[pos] == '}';
  }

  /** The symbol up to its closing quote (printable ASCII, no escapes), or null. */
  private String symbol() {
    int start = pos;
    int h = 0;
    while (pos < b.length) {
      byte c = b[pos];
      if (c == '"') {
        int len = pos - start;
        pos++;
        return len == 0 ? null : intern(start, len, h);
      }
      if (c < 0x20 || c > 0x7E || c == '\\') {
        return null;
      }
      h = 31 * h + c;
      pos++;
    }
    return null;
  }

  private String intern(int start, int len, int h) {
    int slot = (h ^ (h >>> 16)) & (CACHE - 1);
    Sym s = SYMBOLS[slot];
    if (s != null && s.bytes.length == len) {
      boolean same = true;
      for (int i = 0; i < len; i++) {
        if (s.bytes[i] != b[start + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        return s.value;
      }
    }
    byte[] key = Arrays.copyOfRange(b, start, start + len);
    String v = new String(key, StandardCharsets.US_ASCII);
    SYMBOLS[slot] = new Sym(key, v);
    return v;
  }

  /** A JSON integer of at most 18 digits (no fraction, no exponent), or Long.MIN_VALUE. */
  private long integer() {
    boolean neg = pos < b.length && b[pos] == '-';
    if (neg) {
      pos++;
    }
    int start = pos;
    long v = 0;
    while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
      v = v * 10 + (b[pos] - '0');
      pos++;
    }
    int digits = pos - start;
    if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0')) {
      return Long.MIN_VALUE;
    }
    if (pos < b.length && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
      return Long.MIN_VALUE;
    }
    return neg ? -v : v;
  }

  /** A JSON number, or NaN when it is not one (the caller falls back). */
  private double number() {
    int start = pos;
    boolean neg = pos < b.length && b[pos] == '-';
    if (neg) {
      pos++;
    }
    int intStart = pos;
    long mant = 0;
    int sig = 0; // significant digits accumulated in mant
    while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
      if (mant != 0 || b[pos] != '0') {
        sig++;
      }
      mant = sig <= 18 ? mant * 10 + (b[pos] - '0') : mant;
      pos++;
    }
    int intDigits = pos - intStart;
    if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
      return Double.NaN;
    }
    int scale = 0; // value = mant * 10^(exp - scale)
    if (pos < b.length && b[pos] == '.') {
      pos++;
      int fracStart = pos;
      while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
        if (mant != 0 || b[pos] != '0') {
          sig++;
        }
        if (sig <= 18) {
          mant = mant * 10 + (b[pos] - '0');
          scale++;
        }
        pos++;
      }
      if (pos == fracStart) {
        return Double.NaN;
      }
    }
    int exp = exponent();
    if (exp == Integer.MIN_VALUE) {
      return Double.NaN;
    }
    int e10 = exp - scale;
    double v = magnitude(mant, sig, e10, start);
    if (neg && v == 0 && e10 == 0 && scale == 0 && exp == 0 && pos - start == intDigits + 1) {
      return 0.0; // "-0" is the integer 0 to a JSON parser (only "-0.0" and "-0e0" are the double
      // -0.0)
    }
    return neg ? -v : v;
  }

  /**
   * The exponent at pos ({@code e5}, {@code E-3}, {@code e+7}): 0 when there is none, MIN_VALUE
   * without digits.
   */
  private int exponent() {
    if (pos >= b.length || (b[pos] != 'e' && b[pos] != 'E')) {
      return 0;
    }
    pos++;
    boolean neg = false;
    if (pos < b.length && (b[pos] == '+' || b[pos] == '-')) {
      neg = b[pos] == '-';
      pos++;
    }
    int start = pos;
    int exp = 0;
    while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
      if (exp < 10_000) {
        exp = exp * 10 + (b[pos] - '0');
      }
      pos++;
    }
    if (pos == start) {
      return Integer.MIN_VALUE;
    }
    return neg ? -exp : exp;
  }

  /**
   * The absolute value of the number from {@code start} to pos, whose significant digits are {@code
   * mant} ({@code sig} of them) times 10^{@code e10}: exact in one IEEE operation when both
   * operands are exact doubles, else the JDK's.
   */
  private double magnitude(long mant, int sig, int e10, int start) {
    if (sig <= 15 && e10 >= -22 && e10 <= 22) {
      return e10 >= 0 ? (double) mant * POW10[e10] : (double) mant / POW10[-e10];
    }
    return slow(start);
  }

  private double slow(int start) {
    int from = b[start] == '-' ? start + 1 : start;
    return Double.parseDouble(new String(b, from, pos - from, StandardCharsets.US_ASCII));
  }
}
