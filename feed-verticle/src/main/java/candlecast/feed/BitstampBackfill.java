package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The REST back-fill of the {@link BitstampSource}: a round fetches {@code
 * /api/v2/transactions/<pair>/} for the window (minute, hour or day) that reaches back to a given
 * time, then writes each symbol's trades newer than its starting point ({@link From}), merged with
 * the live trades buffered meanwhile ({@link BackfillMerge}), through the gate.
 *
 * <p>One round at a time; {@link #cancel()} makes the round under way stale (its future then fails
 * with {@link #CANCELLED} and nothing is counted). Runs on the feed's context; the caller decides
 * when a round starts. Its HTTP client lives from {@link #open()} to {@link #close()}.
 */
final class BitstampBackfill {
  /**
   * Live trades buffered during a back-fill at most; beyond, they are dropped and the REST
   * back-fill covers them.
   */
  static final int MAX_BUFFERED = 200_000;

  static final long REST_TIMEOUT_MS = 15_000;

  /** How the future of a cancelled round fails. */
  @SuppressWarnings(
      "StaticAssignmentOfThrowable") // a sentinel matched by identity: no stack, cause or
  // suppressed
  static final Exception CANCELLED =
      new Exception("back-fill round cancelled", null, false, false) {};

  /**
   * Where one symbol's back-fill starts: after trade {@code lastId}, or, with nothing written yet
   * ({@code lastId} negative), at {@code sinceMs} (REST times are whole seconds, so one second
   * earlier).
   */
  record From(long lastId, long sinceMs) {}

  /**
   * A fetched round: the window asked for, and each symbol's starting point and REST rows (same
   * order).
   */
  record Round(
      String window,
      Map<String, From> from,
      Map<String, List<BitstampProtocol.RestRow>> rows,
      long servedFromMs) {
    /** {@code servedFromMs} when the exchange served everything since each symbol's start. */
    static final long COMPLETE = Long.MIN_VALUE;
  }

  /**
   * What {@link #write} did: REST trades written, and the trade the Kafka buffer refused (null if
   * none).
   */
  record Written(long fromRest, Trade refused) {}

  private record Reply(int status, String body) {}

  private final Vertx vertx;
  private final String restUrl;
  private final TradeGate gate;
  private final Consumer<String> problems;
  private final Map<String, List<Trade>> buffered = new HashMap<>();
  private int bufferedCount;
  private int generation;
  private boolean running;
  private long rounds;
  private long failures;
  private long written;
  private HttpClientAgent http;

  /**
   * {@code problems} hears what cannot be back-filled (a symbol REST does not know, an outage over
   * a day).
   */
  BitstampBackfill(Vertx vertx, String restUrl, TradeGate gate, Consumer<String> problems) {
    this.vertx = vertx;
    this.restUrl = restUrl.replaceAll("/+$", "");
    this.gate = gate;
    this.problems = problems;
  }

  /** Creates the HTTP client. */
  void open() {
    http =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(10_000).setName("candlecast-bitstamp-rest"));
  }

  /** Closes the HTTP client (if {@link #open()} created one). */
  Future<Void> close() {
    return http == null ? Future.succeededFuture() : http.close();
  }

  /** Whether a round is under way. */
  boolean running() {
    return running;
  }

  /**
   * Makes the round under way, if any, stale: its result is ignored and the next round covers it.
   */
  void cancel() {
    if (running) {
      running = false;
      generation++;
    }
  }

  /**
   * Keeps a live trade to write with the next round; beyond {@link #MAX_BUFFERED} the REST rows
   * cover it.
   */
  void buffer(Trade t) {
    if (bufferedCount >= MAX_BUFFERED) {
      return; // the REST back-fill covers it (it is newer than anything written)
    }
    buffered.computeIfAbsent(t.symbol(), k -> new ArrayList<>()).add(t);
    bufferedCount++;
  }

  /** Drops the buffered live trades (Kafka is full: the next round recovers them from REST). */
  void discardBuffer() {
    buffered.clear();
    bufferedCount = 0;
  }

  /**
   * Starts a round for the symbols of {@code from} (in its order), with the window that reaches
   * back to {@code sinceMs} (plus 5 s) from {@code nowMs}. Fails when a call fails (a symbol REST
   * answers 400 or 404 for is reported and left empty), or with {@link #CANCELLED}.
   */
  Future<Round> fetch(Map<String, From> from, long sinceMs, long nowMs) {
    running = true;
    int gen = ++generation;
    rounds++;
    long span = nowMs - sinceMs + 5_000;
    String window = BitstampProtocol.transactionsWindow(span);
    if (span > BitstampProtocol.windowMs("day")) {
      problems.accept(
          "outage of "
              + span / 1000
              + " s is longer than a day: trades before "
              + Instant.ofEpochMilli(nowMs - BitstampProtocol.windowMs("day"))
              + " cannot be back-filled");
    }
    Map<String, From> symbols = new LinkedHashMap<>(from);
    List<Future<List<BitstampProtocol.RestRow>>> calls = new ArrayList<>();
    for (String s : symbols.keySet()) {
      calls.add(transactions(s, window));
    }
    return Future.all(calls)
        .transform(
            ar -> {
              if (gen != generation) {
                return Future.failedFuture(CANCELLED);
              }
              running = false;
              if (ar.failed()) {
                failures++;
                return Future.failedFuture(ar.cause());
              }
              Map<String, List<BitstampProtocol.RestRow>> rows = new LinkedHashMap<>();
              int i = 0;
              for (String s : symbols.keySet()) {
                rows.put(s, ar.result().resultAt(i++));
              }
              long servedFrom =
                  span > BitstampProtocol.windowMs("day")
                      ? nowMs - BitstampProtocol.windowMs("day")
                      : Round.COMPLETE;
              return Future.succeededFuture(new Round(window, symbols, rows, servedFrom));
            });
  }

  private Future<List<BitstampProtocol.RestRow>> transactions(String symbol, String window) {
    String url =
        restUrl + "/api/v2/transactions/" + BitstampProtocol.pair(symbol) + "/?time=" + window;
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setTimeout(REST_TIMEOUT_MS)
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
                                            b.toString(StandardCharsets.UTF_8)))))
        .compose(reply -> rows(symbol, url, reply));
  }

  private Future<List<BitstampProtocol.RestRow>> rows(String symbol, String url, Reply reply) {
    int status = reply.status();
    String body = reply.body();
    if (status != 200) {
      String msg =
          "GET "
              + url
              + " answered "
              + status
              + (body.isEmpty()
                  ? ""
                  : ": " + (body.length() > 200 ? body.substring(0, 200) : body));
      if (status == 400 || status == 404) {
        // Will not get better by retrying: back-fill the other symbols, report this one.
        problems.accept(msg + "; " + symbol + " cannot be back-filled");
        return Future.succeededFuture(List.of());
      }
      return Future.failedFuture(msg);
    }
    try {
      return Future.succeededFuture(BitstampProtocol.parseTransactions(body, symbol));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e.getMessage());
    }
  }

  /**
   * Writes a fetched round, symbol by symbol, merged with the buffered live trades, until the Kafka
   * buffer refuses a trade; rows that could not be parsed go to trades.dlq. The buffer is empty
   * afterwards.
   */
  Written write(Round round) {
    long fromRest = 0;
    Trade refused = null;
    for (Map.Entry<String, From> e : round.from().entrySet()) {
      List<BitstampProtocol.RestRow> rows = round.rows().get(e.getKey());
      if (!markLost(e.getKey(), e.getValue(), rows, round.servedFromMs())) {
        // the gap record did not fit: wait for room like for a refused trade (only its time is
        // used)
        refused = new Trade(e.getKey(), e.getValue().lastId(), e.getValue().sinceMs(), 1, 0, null);
        break;
      }
      Written w = write(e.getKey(), e.getValue(), rows);
      fromRest += w.fromRest();
      if (w.refused() != null) {
        refused = w.refused();
        break;
      }
    }
    discardBuffer();
    written += fromRest;
    return new Written(fromRest, refused);
  }

  /**
   * When the exchange no longer serves the start of a symbol's span, writes a gap record from that
   * start to its oldest served trade (or to where the served window begins): those trades are lost
   * for good, and the candles they touch are marked partial. False when the Kafka buffer refused
   * the record.
   */
  private boolean markLost(
      String symbol, From from, List<BitstampProtocol.RestRow> rows, long servedFromMs) {
    if (servedFromMs == Round.COMPLETE || from.sinceMs() >= servedFromMs) {
      return true;
    }
    long oldest = Long.MAX_VALUE;
    for (BitstampProtocol.RestRow r : rows) {
      if (r.trade() != null) {
        oldest = Math.min(oldest, r.trade().time());
      }
    }
    // the served window is the exchange's clock minus a day: up to its oldest trade (bounded, for a
    // quiet market)
    long to =
        oldest == Long.MAX_VALUE
            ? servedFromMs
            : Math.max(servedFromMs, Math.min(oldest, servedFromMs + 60_000));
    return gate.gap(symbol, from.sinceMs(), to);
  }

  private Written write(String symbol, From from, List<BitstampProtocol.RestRow> rows) {
    List<Trade> rest = new ArrayList<>(rows.size());
    for (BitstampProtocol.RestRow r : rows) {
      if (r.trade() == null) {
        gate.reject(r.problem(), r.raw(), null);
      } else {
        rest.add(r.trade());
      }
    }
    List<Trade> live = buffered.getOrDefault(symbol, List.of());
    Set<Long> liveIds = new HashSet<>();
    for (Trade t : live) {
      liveIds.add(t.id());
    }
    long fromRest = 0;
    for (Trade t : BackfillMerge.merge(rest, live, from.lastId(), from.sinceMs())) {
      TradeGate.Outcome o = gate.offer(t);
      if (o == TradeGate.Outcome.REFUSED) {
        return new Written(fromRest, t);
      }
      if (o == TradeGate.Outcome.WRITTEN && !liveIds.contains(t.id())) {
        fromRest++;
      }
    }
    return new Written(fromRest, null);
  }

  /**
   * Adds the counters: {@code backfills} (rounds), {@code backfillFailures}, {@code backfilled}
   * (REST trades).
   */
  JsonObject addStats(JsonObject j) {
    return j.put("backfills", rounds).put("backfillFailures", failures).put("backfilled", written);
  }
}
