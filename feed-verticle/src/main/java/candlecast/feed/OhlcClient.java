package candlecast.feed;

import candlecast.common.Candle;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads bars from Bitstamp's OHLC endpoint page by page ({@link OhlcPlan}), gently: requests
 * are paced to at most {@code perSecond} for the whole feed instance (a token bucket of one token,
 * refilled every {@code 1000 / perSecond} ms; the exchange allows 8000 requests per 10 minutes,
 * about 13 a second), pages go one after the other, and a page answered 429 or 5xx (or not
 * answered) is retried after a back-off that doubles per retry ({@code Retry-After} seconds when
 * the exchange names them). Runs on the feed's context; nothing blocks.
 */
final class OhlcClient {
  private static final Logger LOG = LoggerFactory.getLogger(OhlcClient.class);
  static final long TIMEOUT_MS = 15_000;

  /** The exchange kept failing (or answered something unusable): the caller answers 502. */
  static final class ExchangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExchangeException(String message) {
      super(message, null, false, false);
    }
  }

  private record Reply(int status, String retryAfter, String body) {}

  private final Vertx vertx;
  private final String restUrl;
  private final long intervalMs;
  private final int retries;
  private final long backoffMs;
  private HttpClientAgent http;
  private long nextSlotMs;
  private long requests;

  OhlcClient(Vertx vertx, String restUrl, long perSecond, long retries, long backoffMs) {
    this.vertx = vertx;
    this.restUrl = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
    this.intervalMs = Math.max(1, 1000 / perSecond);
    this.retries = (int) retries;
    this.backoffMs = backoffMs;
  }

  void open() {
    http =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(10_000).setName("candlecast-bitstamp-ohlc"));
  }

  Future<Void> close() {
    return http == null ? Future.succeededFuture() : http.close();
  }

  /** Requests sent so far (retries included). */
  long requests() {
    return requests;
  }

  /**
   * The exchange's closed bars of {@code tf} opening in [{@code fromMs}, {@code toMs}], oldest
   * first (1w and 1M folded from daily bars).
   *
   * @return fails with {@link IllegalArgumentException} for what cannot be asked, {@link
   *     ExchangeException} when the exchange keeps failing
   */
  Future<List<Candle>> fetch(String symbol, Timeframe tf, long fromMs, long toMs) {
    List<OhlcPlan.Page> pages;
    try {
      pages = OhlcPlan.pages(tf, fromMs, toMs);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Timeframe barTf = OhlcPlan.folded(tf) ? Timeframe.D1 : tf;
    List<Candle> bars = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (OhlcPlan.Page p : pages) {
      chain = chain.compose(v -> page(symbol, barTf, p, 0).map(bars::addAll).mapEmpty());
    }
    return chain.map(v -> OhlcPlan.folded(tf) ? OhlcPlan.fold(tf, bars, fromMs, toMs) : bars);
  }

  private Future<List<Candle>> page(String symbol, Timeframe tf, OhlcPlan.Page p, int attempt) {
    String url = restUrl + OhlcPlan.path(BitstampProtocol.pair(symbol), p);
    return slot()
        .compose(v -> get(url))
        .transform(
            ar -> {
              Reply r = ar.succeeded() ? ar.result() : null;
              if (r != null && r.status() == 200) {
                return read(symbol, tf, p, url, r);
              }
              boolean retryable = r == null || r.status() == 429 || r.status() >= 500;
              String why = r == null ? String.valueOf(ar.cause()) : "HTTP " + r.status();
              if (!retryable || attempt >= retries) {
                return Future.failedFuture(
                    new ExchangeException("GET " + url + " failed: " + why + snippet(r)));
              }
              long delay = delay(r, attempt);
              LOG.info("ohlc: GET {} answered {}; retry {} in {} ms", url, why, attempt + 1, delay);
              Promise<Void> wait = Promise.promise();
              vertx.setTimer(Math.max(1, delay), id -> wait.complete());
              return wait.future().compose(x -> page(symbol, tf, p, attempt + 1));
            });
  }

  private static Future<List<Candle>> read(
      String symbol, Timeframe tf, OhlcPlan.Page p, String url, Reply r) {
    try {
      return Future.succeededFuture(OhlcPlan.read(symbol, tf, p, new JsonObject(r.body())));
    } catch (DecodeException | io.vertx.core.json.DecodeException e) {
      return Future.failedFuture(
          new ExchangeException("GET " + url + " answered malformed OHLC: " + e.getMessage()));
    }
  }

  /** The back-off before retry {@code attempt + 1}: Retry-After when given, else doubling. */
  private long delay(Reply r, int attempt) {
    if (r != null && r.retryAfter() != null) {
      try {
        return Math.min(600_000L, Math.max(0, Long.parseLong(r.retryAfter().trim())) * 1000L);
      } catch (NumberFormatException e) {
        // an HTTP date or garbage: fall back to the doubling back-off
      }
    }
    return backoffMs << Math.min(attempt, 16);
  }

  private static String snippet(Reply r) {
    if (r == null || r.body().isEmpty()) {
      return "";
    }
    return ": " + (r.body().length() > 200 ? r.body().substring(0, 200) : r.body());
  }

  /** Completes when the next request may go (the pacing of every request of this instance). */
  private Future<Void> slot() {
    long now = System.currentTimeMillis();
    long at = Math.max(now, nextSlotMs);
    nextSlotMs = at + intervalMs;
    if (at <= now) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(at - now, id -> p.complete());
    return p.future();
  }

  private Future<Reply> get(String url) {
    requests++;
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setTimeout(TIMEOUT_MS)
            .putHeader("User-Agent", "candlecast-feed")
            .putHeader("Accept", "application/json");
    return http.request(req)
        .compose(
            r ->
                r.send()
                    .compose(
                        resp ->
                            resp.body()
                                .map(
                                    b ->
                                        new Reply(
                                            resp.statusCode(),
                                            resp.getHeader("Retry-After"),
                                            b.toString()))));
  }
}
