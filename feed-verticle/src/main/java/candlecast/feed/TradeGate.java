package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one source's trades pass on their way to the {@link TradeLog}: validation (invalid
 * ones go to {@code trades.dlq} with the reason, see {@link DeadLetters}), de-duplication by trade
 * id within a bounded window per symbol, the watermark guarantee, the per-source counters and the
 * record of gaps (see {@link TradeGaps}). Pure logic apart from the log it writes to; call it from
 * the feed's context only.
 *
 * <p><b>Watermarks.</b> {@link #emitWatermarks} writes {@code {"symbol","watermark"}} records for
 * quiet symbols; a watermark {@code w} promises that no later trade of that symbol has a time
 * before {@code w}. Sources choose the clock so that this holds; should a trade still come in older
 * than the symbol's last watermark, its time is raised to the watermark (counted as {@code
 * clamped}), so the promise in the log is kept whatever the source does.
 */
final class TradeGate {
  private static final Logger LOG = LoggerFactory.getLogger(TradeGate.class);

  enum Outcome {
    WRITTEN,
    DUPLICATE,
    REJECTED,
    REFUSED
  }

  private final String source;
  private final TradeLog log;
  private final int dedupeWindow;
  private final long maxSkewMs;
  private final LongSupplier wallClock;
  private final LongSupplier nanoClock;
  private final Map<String, Sym> symbols = new HashMap<>();
  private final DeadLetters dlq;
  private final TradeGaps gaps;

  private long tradesIn;
  private long rejected;
  private long duplicates;
  private long written;
  private long clamped;
  private long refused;
  private long watermarks;
  private long lastTradeTime;

  private static final class Sym {
    final RecentIds ids;
    long lastWatermark = Long.MIN_VALUE;
    long lastTradeTime = Long.MIN_VALUE;
    long maxId = -1;

    /** Ids up to this one are in the log already (read from its tail when this term began). */
    long floorId = Long.MIN_VALUE;

    long lastWriteNanos;

    Sym(int window, long now) {
      ids = new RecentIds(window);
      lastWriteNanos = now - Long.MAX_VALUE / 4;
    }
  }

  TradeGate(
      String source,
      TradeLog log,
      int dedupeWindow,
      long maxSkewMs,
      LongSupplier wallClock,
      LongSupplier nanoClock) {
    this.source = source;
    this.log = log;
    this.dedupeWindow = dedupeWindow;
    this.maxSkewMs = maxSkewMs;
    this.wallClock = wallClock;
    this.nanoClock = nanoClock;
    this.dlq = new DeadLetters(source, log);
    this.gaps = new TradeGaps(source, log);
  }

  TradeGate(String source, TradeLog log, int dedupeWindow, long maxSkewMs) {
    this(source, log, dedupeWindow, maxSkewMs, System::currentTimeMillis, System::nanoTime);
  }

  String source() {
    return source;
  }

  TradeLog log() {
    return log;
  }

  /**
   * Why a trade just received from a live stream is unacceptable in time (further than {@code
   * feed.max-clock-skew-ms} from the local clock), or null.
   */
  String liveTimeReason(Trade t) {
    long skew = t.time() - wallClock.getAsLong();
    if (Math.abs(skew) > maxSkewMs) {
      return "time "
          + t.time()
          + " is "
          + Math.abs(skew)
          + " ms "
          + (skew < 0 ? "behind" : "ahead of")
          + " the local clock (limit "
          + maxSkewMs
          + " ms)";
    }
    return null;
  }

  /** {@link #offer} for a trade from a live stream: also rejects times far from now. */
  Outcome offerLive(Trade t) {
    String reason = t == null ? null : liveTimeReason(t);
    if (reason != null && t.invalidReason() == null) {
      tradesIn++;
      rejected++;
      dlq.trade(t, reason, null);
      return Outcome.REJECTED;
    }
    return offer(t);
  }

  /**
   * Validates, de-duplicates and writes one trade. {@link Outcome#REFUSED} means the log's buffer
   * is full: nothing was written or remembered (the trade is counted in the open gap), so a later
   * copy of it is welcome.
   */
  Outcome offer(Trade t) {
    return offer(t, null);
  }

  /**
   * {@link #offer(Trade)} for a trade read from line {@code line} of a file (named in the
   * dead-letter record).
   */
  Outcome offer(Trade t, Long line) {
    tradesIn++;
    String reason = t == null ? "missing trade" : t.invalidReason();
    if (reason == null && t.time() <= 0) {
      reason = "missing or invalid time " + t.time();
    }
    if (reason != null) {
      rejected++;
      dlq.trade(t, reason, line);
      return Outcome.REJECTED;
    }
    Sym s = sym(t.symbol());
    if (t.id() <= s.floorId || s.ids.contains(t.id())) {
      duplicates++;
      return Outcome.DUPLICATE;
    }
    Trade w = t;
    boolean clamp = t.time() < s.lastWatermark;
    if (clamp) {
      w = new Trade(t.symbol(), t.id(), s.lastWatermark, t.price(), t.amount(), t.side());
    }
    if (!log.offer(new LogRecord.TradeRecord(w))) {
      refused++;
      gaps.dropped(t.time(), t.time(), 1);
      return Outcome.REFUSED;
    }
    if (clamp) {
      if (clamped++ == 0) {
        LOG.warn(
            "feed {}: trade {} of {} at {} is older than the symbol's last watermark {}; its time was raised to"
                + " it (counted as clamped; later ones are not logged)",
            source,
            t.id(),
            t.symbol(),
            t.time(),
            s.lastWatermark);
      }
    }
    s.ids.add(t.id());
    s.maxId = Math.max(s.maxId, t.id());
    s.lastTradeTime = Math.max(s.lastTradeTime, w.time());
    s.lastWriteNanos = nanoClock.getAsLong();
    lastTradeTime = Math.max(lastTradeTime, w.time());
    written++;
    return Outcome.WRITTEN;
  }

  /**
   * Sends something that is not even a trade to {@code trades.dlq}: {@code
   * {"reason","source",["line",]"raw"}}. A raw value that parses as JSON is embedded as JSON, else
   * as a string.
   */
  void reject(String reason, String raw, Long line) {
    tradesIn++;
    rejected++;
    dlq.raw(reason, raw, line);
  }

  /**
   * Like {@link #reject(String, String, Long)} for a parsed trade that failed a source-specific
   * check.
   */
  void rejectTrade(Trade t, String reason, Long line) {
    tradesIn++;
    rejected++;
    dlq.trade(t, reason, line);
  }

  /**
   * Writes a watermark {@code clock} for every symbol in {@code symbolsToMark} that wrote no trade
   * in the last {@code quietNanos} and whose last watermark and last trade time are both below
   * {@code clock}.
   *
   * @return how many watermarks were written
   */
  int emitWatermarks(long clock, long quietNanos, Iterable<String> symbolsToMark) {
    long now = nanoClock.getAsLong();
    int n = 0;
    for (String symbol : symbolsToMark) {
      Sym s = sym(symbol);
      if (now - s.lastWriteNanos < quietNanos
          || clock <= s.lastWatermark
          || clock <= s.lastTradeTime) {
        continue;
      }
      if (!log.offer(new LogRecord.WatermarkRecord(symbol, clock))) {
        break;
      }
      s.lastWatermark = clock;
      watermarks++;
      n++;
    }
    return n;
  }

  /**
   * Goes on from where the log stands for a symbol (a leader's term begins there): its trades up to
   * {@code lastId} count as written (a source re-offering them gets DUPLICATE; ids of every source
   * grow per symbol), and its watermark and trade time never go back.
   */
  void resumeFrom(LogTail.Position p) {
    Sym s = sym(p.symbol());
    if (p.hasTrade()) {
      s.floorId = Math.max(s.floorId, p.lastId());
      s.maxId = Math.max(s.maxId, p.lastId());
      s.lastTradeTime = Math.max(s.lastTradeTime, p.lastTime());
    }
    if (p.watermark() != LogTail.Position.NONE) {
      s.lastWatermark = Math.max(s.lastWatermark, p.watermark());
    }
  }

  /**
   * Records in the log that {@code symbol}'s trades in [{@code fromMs}, {@code toMs}) may be
   * missing for good (the exchange no longer serves them): candles overlapping the span are marked
   * partial downstream. False when the buffer is full (nothing taken).
   */
  boolean gap(String symbol, long fromMs, long toMs) {
    return gaps.gap(symbol, fromMs, toMs);
  }

  /** Largest id written for {@code symbol}, or -1. */
  long maxWrittenId(String symbol) {
    Sym s = symbols.get(symbol);
    return s == null ? -1 : s.maxId;
  }

  long lastWatermark(String symbol) {
    Sym s = symbols.get(symbol);
    return s == null ? Long.MIN_VALUE : s.lastWatermark;
  }

  /**
   * Counts trades a source lost while the log was full into the open gap (opening one if needed).
   */
  void gapDropped(long fromTime, long toTime, long count) {
    gaps.dropped(fromTime, toTime, count);
  }

  boolean gapOpen() {
    return gaps.isOpen();
  }

  /**
   * Closes the open gap, if any: logs it and keeps it among the recent gaps with how many trades
   * the source recovered for it ({@code recovered}, -1 = the source cannot recover).
   */
  void closeGap(long recovered) {
    gaps.close(recovered);
  }

  JsonObject stats() {
    JsonObject j =
        new JsonObject()
            .put("tradesIn", tradesIn)
            .put("written", written)
            .put("rejected", rejected)
            .put("duplicates", duplicates)
            .put("clamped", clamped)
            .put("refused", refused)
            .put("watermarks", watermarks)
            .put("lastTradeTime", lastTradeTime)
            .put("gaps", gaps.count());
    if (dlq.dropped() > 0) {
      j.put("dlqDropped", dlq.dropped());
    }
    gaps.putDetails(j);
    return j;
  }

  long tradesIn() {
    return tradesIn;
  }

  long written() {
    return written;
  }

  long rejected() {
    return rejected;
  }

  long duplicates() {
    return duplicates;
  }

  long clamped() {
    return clamped;
  }

  long lastTradeTime() {
    return lastTradeTime;
  }

  /**
   * Whether {@code t}'s id is already written (up to the log's newest id when this instance took
   * over, or among the recent ids it wrote): {@link #offer} would drop it as a duplicate.
   */
  boolean alreadyWritten(Trade t) {
    Sym s = sym(t.symbol());
    return t.id() <= s.floorId || s.ids.contains(t.id());
  }

  private Sym sym(String symbol) {
    Sym s = symbols.get(symbol);
    if (s == null) {
      s = new Sym(dedupeWindow, nanoClock.getAsLong());
      symbols.put(symbol, s);
    }
    return s;
  }
}
