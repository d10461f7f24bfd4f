package candlecast.feed;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paging plan of a deep-history download from Bitstamp's OHLC endpoint ({@code GET
 * /api/v2/ohlc/<pair>/?step=&limit=&start=&exclude_current_candle=true}, see docs/FEED.md), and the
 * reading of its answers. Pure: no I/O.
 *
 * <p>A timeframe whose length is one of the exchange's steps is asked for directly; 1w and 1M
 * (reached through {@link Timeframe#tryParse}) are folded from daily bars ({@link #fold}); 1s has
 * no step and is refused (local only). Each page asks for at most {@link #MAX_LIMIT} bars from an
 * aligned {@code start}; what comes back is kept only inside the page's own span, so overlapping or
 * surplus rows never matter and the pages are independent of how the exchange treats {@code end}.
 */
final class OhlcPlan {
  /** Bars per request at most (the exchange's {@code limit} range is 1..1000). */
  static final int MAX_LIMIT = 1000;

  /** Pages one feed request may span at most (a larger range is refused: ask in parts). */
  static final int MAX_PAGES = 40;

  /** The steps (seconds) the exchange serves. */
  static final long[] STEPS = {
    60, 180, 300, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 259200
  };

  static final long DAY_SECONDS = 86_400L;

  /** One request: {@code limit} bars of {@code step} seconds from {@code startSec}. */
  record Page(long startSec, int limit, long step) {
    long endSec() {
      return startSec + (limit - 1L) * step;
    }
  }

  private OhlcPlan() {}

  /**
   * The exchange step (seconds) that serves {@code tf}: its own length when the exchange has it,
   * one day for 1w and 1M (folded), 0 when it cannot be served (1s).
   */
  static long stepFor(Timeframe tf) {
    if (folded(tf)) {
      return DAY_SECONDS;
    }
    for (long s : STEPS) {
      if (s == tf.seconds()) {
        return s;
      }
    }
    return 0;
  }

  /** Whether {@code tf} is built by folding daily bars (1w, 1M). */
  static boolean folded(Timeframe tf) {
    return tf.label().equals("1w") || tf.label().equals("1M");
  }

  /**
   * The pages that cover the windows of {@code tf} opening in [{@code fromMs}, {@code toMs}]; for a
   * folded timeframe the daily bars of those whole windows.
   *
   * @throws IllegalArgumentException when {@code tf} cannot be served or the range needs more than
   *     {@link #MAX_PAGES} pages
   */
  static List<Page> pages(Timeframe tf, long fromMs, long toMs) {
    long step = stepFor(tf);
    if (step == 0) {
      throw new IllegalArgumentException(
          "the exchange has no " + tf.label() + " bars: " + tf.label() + " history is local only");
    }
    long from = fromMs;
    long to = toMs;
    if (folded(tf)) {
      from = tf.windowStart(fromMs);
      to = windowEnd(tf, tf.windowStart(toMs)) - 1;
    }
    long stepMs = step * 1000L;
    long first = Math.floorDiv(from + stepMs - 1, stepMs) * step; // seconds, aligned up
    long last = Math.floorDiv(to, stepMs) * step; // seconds, aligned down
    List<Page> out = new ArrayList<>();
    if (first > last) {
      return out;
    }
    long bars = (last - first) / step + 1;
    if (bars > (long) MAX_LIMIT * MAX_PAGES) {
      throw new IllegalArgumentException(
          "range too large: " + bars + " bars; at most " + MAX_LIMIT * MAX_PAGES + " a request");
    }
    for (long s = first; s <= last; s += MAX_LIMIT * step) {
      out.add(new Page(s, (int) Math.min(MAX_LIMIT, (last - s) / step + 1), step));
    }
    return out;
  }

  /** End of the window opening at {@code openTime}. */
  static long windowEnd(Timeframe tf, long openTime) {
    return tf.windowEnd(openTime);
  }

  /** The request path and query of a page for an exchange pair (lower case, e.g. btcusd). */
  static String path(String pair, Page p) {
    return "/api/v2/ohlc/"
        + pair
        + "/?step="
        + p.step()
        + "&limit="
        + p.limit()
        + "&start="
        + p.startSec()
        + "&exclude_current_candle=true";
  }

  /**
   * The bars of an OHLC answer inside the page's span, as closed exchange candles of {@code tf}
   * (the step's own timeframe; folded ones are built by {@link #fold}), oldest first.
   *
   * @throws DecodeException when the answer is not the documented shape
   */
  static List<Candle> read(String symbol, Timeframe tf, Page page, JsonObject answer) {
    JsonObject data =
        answer == null ? null : answer.getValue("data") instanceof JsonObject d ? d : null;
    JsonArray rows = data == null || !(data.getValue("ohlc") instanceof JsonArray a) ? null : a;
    if (rows == null) {
      throw new DecodeException("OHLC answer has no data.ohlc array");
    }
    TreeMap<Long, Candle> byTime = new TreeMap<>();
    for (Object o : rows) {
      if (!(o instanceof JsonObject row)) {
        throw new DecodeException("OHLC row is not an object: " + o);
      }
      long ts = (long) number(row, "timestamp");
      if (ts < page.startSec() || ts > page.endSec() || ts % page.step() != 0) {
        continue;
      }
      byTime.put(
          ts,
          new Candle(
              symbol,
              tf,
              ts * 1000L,
              number(row, "open"),
              number(row, "high"),
              number(row, "low"),
              number(row, "close"),
              number(row, "volume"),
              0,
              true,
              false,
              CandleSource.EXCHANGE));
    }
    return new ArrayList<>(byTime.values());
  }

  /** A field given as a decimal string (the exchange's form) or a number. */
  private static double number(JsonObject row, String field) {
    Object v = row.getValue(field);
    try {
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      if (v instanceof String s) {
        double d = Double.parseDouble(s);
        if (Double.isFinite(d)) {
          return d;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DecodeException("OHLC row field '" + field + "' is not a number: " + row.encode());
  }

  /**
   * Daily bars folded into windows of {@code tf} (1w, 1M): open of the first, close of the last,
   * highest high, lowest low, summed volume; only windows opening in [{@code fromMs}, {@code toMs}]
   * are kept.
   */
  static List<Candle> fold(Timeframe tf, List<Candle> daily, long fromMs, long toMs) {
    Map<Long, Candle> out = new TreeMap<>();
    for (Candle d : daily) {
      long w = tf.windowStart(d.openTime());
      if (w < fromMs || w > toMs) {
        continue;
      }
      Candle acc = out.get(w);
      out.put(
          w,
          acc == null
              ? new Candle(
                  d.symbol(),
                  tf,
                  w,
                  d.open(),
                  d.high(),
                  d.low(),
                  d.close(),
                  d.volume(),
                  0,
                  true,
                  false,
                  CandleSource.EXCHANGE)
              : new Candle(
                  d.symbol(),
                  tf,
                  w,
                  acc.open(),
                  Math.max(acc.high(), d.high()),
                  Math.min(acc.low(), d.low()),
                  d.close(),
                  acc.volume() + d.volume(),
                  0,
                  true,
                  false,
                  CandleSource.EXCHANGE));
    }
    return new ArrayList<>(out.values());
  }
}
