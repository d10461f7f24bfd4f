package candlecast.aggregator;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deep history at the owner of a symbol: a history request with {@code localOnly:false} whose range
 * reaches before the oldest candle held gets the missing windows from the feed's OHLC service
 * ({@link Addresses#FEED_OHLC}), a thousand windows per request, stores them ({@link DeepStore}:
 * {@code candles} with {@code src} exchange, never over a trades candle, then the range in {@code
 * candles.fetched}) and then answers. Ranges already asked (also those where the exchange had
 * nothing) are never asked again; requests for one series run one after the other, so concurrent
 * identical requests share one download. Runs on the aggregator's context.
 */
final class DeepHistory {
  private static final Logger LOG = LoggerFactory.getLogger(DeepHistory.class);

  /** Windows per request to the feed (one exchange page for the timeframes it serves directly). */
  static final int CHUNK = 1000;

  static final long FEED_TIMEOUT_MS = 120_000;

  /** The download options of a history request: {@code localOnly} and {@code statusAddress}. */
  record Options(boolean localOnly, String statusAddress) {
    /**
     * @throws IllegalArgumentException naming the bad field
     */
    static Options parse(JsonObject body) {
      Object lo = body.getValue("localOnly");
      if (lo != null && !(lo instanceof Boolean)) {
        throw new IllegalArgumentException("localOnly must be a boolean, was " + lo);
      }
      Object sa = body.getValue("statusAddress");
      if (sa != null && (!(sa instanceof String s) || s.isBlank())) {
        throw new IllegalArgumentException("statusAddress must be a non-empty string, was " + sa);
      }
      return new Options(lo == null || (Boolean) lo, (String) sa);
    }
  }

  /** What a download did: windows asked, bars stored, pages, and the error that stopped it. */
  record Outcome(boolean asked, int stored, int pages, String error) {
    static final Outcome NONE = new Outcome(false, 0, 0, null);

    /**
     * Adds {@code downloaded} (and {@code downloadError}) to a history reply when it downloaded.
     */
    JsonObject addTo(JsonObject reply) {
      if (asked) {
        reply.put("downloaded", stored);
      }
      return error == null ? reply : reply.put("downloadError", error);
    }
  }

  private final Vertx vertx;
  private final HistoryStore history;
  private final DeepStore store;
  private final Map<String, Future<Outcome>> tails = new HashMap<>();

  DeepHistory(Vertx vertx, HistoryStore history, DeepStore store) {
    this.vertx = vertx;
    this.history = history;
    this.store = store;
  }

  /** Downloads what the request needs (nothing when local only), then completes. */
  Future<Outcome> fill(HistoryQuery q, Options o) {
    if (o.localOnly()) {
      return Future.succeededFuture(Outcome.NONE);
    }
    String key = q.symbol() + '|' + q.tf().label();
    Future<Outcome> prev = tails.getOrDefault(key, Future.succeededFuture(Outcome.NONE));
    Future<Outcome> mine = prev.transform(x -> store.loaded()).compose(v -> fillNow(key, q, o));
    tails.put(key, mine);
    mine.onComplete(
        x -> {
          if (tails.get(key) == mine) {
            tails.remove(key);
          }
        });
    return mine;
  }

  private Future<Outcome> fillNow(String key, HistoryQuery q, Options o) {
    SeriesHistory s = history.series(q.symbol(), q.tf());
    if (s == null) {
      return Future.succeededFuture(Outcome.NONE);
    }
    long[] range = wanted(q, s, System.currentTimeMillis());
    if (range == null) {
      return Future.succeededFuture(Outcome.NONE);
    }
    List<long[]> chunks = new ArrayList<>();
    for (long[] m : store.ranges(key).missing(range[0], range[1], t -> windowEnd(q.tf(), t))) {
      chunks.addAll(chunks(q.tf(), m[0], m[1]));
    }
    Future<Outcome> chain = Future.succeededFuture(Outcome.NONE);
    for (long[] c : chunks) {
      chain =
          chain.compose(
              acc -> acc.error() != null ? Future.succeededFuture(acc) : page(key, q, o, c, acc));
    }
    return chain;
  }

  /**
   * The windows a request may download: from its {@code from} (or {@code limit} windows back from
   * its end) to before the oldest candle held, the oldest trades candle ever stored and the current
   * window; null when there are none.
   */
  static long[] wanted(HistoryQuery q, SeriesHistory s, long now) {
    Timeframe tf = q.tf();
    long horizon = Math.min(tf.windowStart(now), s.oldestTradesOpenTime());
    if (s.count() > 0) {
      horizon = Math.min(horizon, s.oldestOpenTime());
    }
    long to = Math.min(q.to(), horizon - 1);
    long from =
        q.from() != Long.MIN_VALUE
            ? tf.windowStart(q.from())
            : tf.windowStartOfIndex(tf.windowIndex(to) - (q.limit() - 1L));
    if (q.from() != Long.MIN_VALUE && from < q.from()) {
      from = windowEnd(tf, from); // the first window that opens inside the range
    }
    return from > to ? null : new long[] {from, to};
  }

  /** End of the window opening at {@code openTime}. */
  static long windowEnd(Timeframe tf, long openTime) {
    return tf.windowEnd(openTime);
  }

  /** [from, to] in parts of at most {@link #CHUNK} windows. */
  static List<long[]> chunks(Timeframe tf, long from, long to) {
    List<long[]> out = new ArrayList<>();
    for (long a = from; a <= to; ) {
      // the start of the chunk's last window: CHUNK windows from a (calendar-safe for 1w and 1M)
      long last = tf.windowStartOfIndex(tf.windowIndex(a) + CHUNK - 1L);
      long b = to <= last ? to : last;
      out.add(new long[] {a, b});
      if (b == Long.MAX_VALUE) {
        break;
      }
      a = b + 1;
    }
    return out;
  }

  private Future<Outcome> page(String key, HistoryQuery q, Options o, long[] c, Outcome acc) {
    JsonObject req =
        new JsonObject()
            .put("symbol", q.symbol())
            .put("tf", q.tf().label())
            .put("from", c[0])
            .put("to", c[1]);
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.FEED_OHLC, req, new DeliveryOptions().setSendTimeout(FEED_TIMEOUT_MS))
        .map(Message::body)
        .compose(body -> store.save(key, q.symbol(), q.tf(), bars(body), c))
        .map(
            stored -> {
              Outcome next = new Outcome(true, acc.stored() + stored, acc.pages() + 1, null);
              status(o, q, next);
              return next;
            })
        .recover(e -> Future.succeededFuture(failed(q, acc, e)));
  }

  /** The outcome when a page failed: a source that cannot serve history is no error. */
  private static Outcome failed(HistoryQuery q, Outcome acc, Throwable e) {
    if (e instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureCode() == 501)) {
      return new Outcome(
          acc.asked(),
          acc.stored(),
          acc.pages(),
          "history unavailable from the source: " + e.getMessage());
    }
    LOG.warn("deep history of {} {}: {}", q.symbol(), q.tf().label(), e.getMessage());
    return new Outcome(
        acc.asked(), acc.stored(), acc.pages(), "download failed: " + e.getMessage());
  }

  private static List<Candle> bars(JsonObject body) {
    if (body == null || !(body.getValue("candles") instanceof JsonArray a)) {
      throw new DecodeException("feed OHLC reply has no candles array");
    }
    List<Candle> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof JsonObject j)) {
        throw new DecodeException("feed OHLC reply: a candle is not an object");
      }
      out.add(CandleCodec.fromJson(j));
    }
    return out;
  }

  private void status(Options o, HistoryQuery q, Outcome so) {
    if (o.statusAddress() != null) {
      vertx
          .eventBus()
          .send(
              o.statusAddress(),
              new JsonObject()
                  .put("status", "downloading")
                  .put("symbol", q.symbol())
                  .put("tf", q.tf().label())
                  .put("fetched", so.stored())
                  .put("page", so.pages()));
    }
  }
}
