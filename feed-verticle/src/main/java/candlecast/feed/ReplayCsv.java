package candlecast.feed;

import candlecast.common.Side;
import candlecast.common.Symbols;
import candlecast.common.Trade;

/**
 * The replay file format: CSV with the header {@code symbol,id,time,price,amount,side}, {@code
 * time} in epoch milliseconds, {@code side} buy or sell. Pure.
 */
final class ReplayCsv {
  static final String HEADER = "symbol,id,time,price,amount,side";

  private ReplayCsv() {}

  /** One data line: the trade, or why the line is malformed (and then the line's text). */
  record Row(long line, Trade trade, String problem, String text) {}

  /**
   * Null when {@code line} is the expected header (spaces around fields, case and a UTF-8 BOM are
   * tolerated).
   */
  static String headerProblem(String line) {
    if (line == null) {
      return "the file is empty (expected the header '" + HEADER + "')";
    }
    String h = line.startsWith("\uFEFF") ? line.substring(1) : line;
    h = h.replace(" ", "").replace("\t", "").toLowerCase(java.util.Locale.ROOT);
    if (!h.equals(HEADER)) {
      return "the first line must be the header '" + HEADER + "', was '" + abbreviate(line) + "'";
    }
    return null;
  }

  /** Parses data line number {@code lineNo}; blank lines give null (skipped). */
  static Row parse(String text, long lineNo) {
    if (text.isBlank()) {
      return null;
    }
    String[] f = text.split(",", -1);
    if (f.length != 6) {
      return new Row(
          lineNo,
          null,
          "expected 6 fields (" + HEADER + "), got " + f.length + ": '" + abbreviate(text) + "'",
          text);
    }
    String symbol = Symbols.normalize(f[0]);
    if (symbol == null) {
      return new Row(lineNo, null, "bad symbol '" + abbreviate(f[0].trim()) + "'", text);
    }
    long id;
    long time;
    double price;
    double amount;
    try {
      id = Long.parseLong(f[1].trim());
    } catch (NumberFormatException e) {
      return new Row(
          lineNo,
          null,
          f[1].isBlank() ? "missing id" : "bad id '" + abbreviate(f[1].trim()) + "'",
          text);
    }
    try {
      time = Long.parseLong(f[2].trim());
    } catch (NumberFormatException e) {
      return new Row(
          lineNo,
          null,
          "bad time '" + abbreviate(f[2].trim()) + "' (expected epoch milliseconds)",
          text);
    }
    try {
      price = Double.parseDouble(f[3].trim());
    } catch (NumberFormatException e) {
      return new Row(lineNo, null, "bad price '" + abbreviate(f[3].trim()) + "'", text);
    }
    try {
      amount = Double.parseDouble(f[4].trim());
    } catch (NumberFormatException e) {
      return new Row(lineNo, null, "bad amount '" + abbreviate(f[4].trim()) + "'", text);
    }
    Side side = Side.tryParse(f[5].trim());
    if (side == null) {
      return new Row(
          lineNo,
          null,
          "unknown side '" + abbreviate(f[5].trim()) + "' (expected buy or sell)",
          text);
    }
    return new Row(lineNo, new Trade(symbol, id, time, price, amount, side), null, null);
  }

  /** The CSV line of a trade (for writing test and benchmark files). */
  static String line(Trade t) {
    return t.symbol()
        + ','
        + t.id()
        + ','
        + t.time()
        + ','
        + t.price()
        + ','
        + t.amount()
        + ','
        + t.side().wire();
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
