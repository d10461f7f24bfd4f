package candlecast.feed;

import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live trades from Bitstamp's WebSocket API, kept complete across every disconnect.
 *
 * <p><b>Connections</b> ({@link BitstampLink}). One WebSocket carries every symbol's {@code
 * live_trades_<pair>} channel. The source sends {@code bts:heartbeat} every {@code
 * bitstamp.heartbeat-ms}; a watchdog drops a connection that sent nothing for {@code
 * bitstamp.silence-ms}. A lost connection is replaced after an exponential, jittered, capped
 * back-off ({@link Backoff}), forever. On {@code bts:request_reconnect} it connects anew and
 * subscribes first, and drops the old connection only once the new one is subscribed (make before
 * break: coverage never lapses). A connection is "subscribed" once every channel is acknowledged,
 * or after {@code bitstamp.subscribe-timeout-ms} with at least one.
 *
 * <p><b>Coverage.</b> Whenever coverage lapsed (a lost connection, or trades the Kafka buffer
 * refused), the source back-fills once it is subscribed again (and Kafka has room): the {@link
 * BitstampBackfill} fetches {@code /api/v2/transactions/<pair>/} for a window (minute, hour or day)
 * covering the outage, buffers the live trades that arrive meanwhile, and writes the REST trades
 * newer than the last one written, merged with the buffered live ones in trade-id order ({@link
 * BackfillMerge}). The {@link TradeGate} drops anything already written (bounded id window).
 *
 * <p><b>State</b> ({@link BitstampState}) changes in one place, {@link #transition}, which logs it
 * and refuses a move the state does not list.
 *
 * <p><b>Watermarks</b> only while the stream is live and healthy: the arrival time of the last
 * frame minus {@code bitstamp.watermark-lag-ms} ({@link #watermarkClock}); never while
 * disconnected, back-filling or waiting for Kafka.
 *
 * <p>Errors are logged once per distinct problem and counted; runs on the feed's context.
 */
final class BitstampSource extends SourceBase implements BitstampLinkListener {
  private static final Logger LOG = LoggerFactory.getLogger(BitstampSource.class);

  /** What the source needs from the configuration. */
  record Options(
      String wsUrl,
      String restUrl,
      long heartbeatMs,
      long silenceMs,
      long backoffMinMs,
      long backoffMaxMs,
      long subscribeTimeoutMs,
      long watermarkLagMs) {
    /** The {@code bitstamp.*} settings. */
    static Options from(CandlecastConfig c) {
      return new Options(
          c.get(Settings.BITSTAMP_WS_URL),
          c.get(Settings.BITSTAMP_REST_URL),
          c.get(Settings.BITSTAMP_HEARTBEAT_MS),
          c.get(Settings.BITSTAMP_SILENCE_MS),
          c.get(Settings.BITSTAMP_BACKOFF_MIN_MS),
          c.get(Settings.BITSTAMP_BACKOFF_MAX_MS),
          c.get(Settings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS),
          c.get(Settings.BITSTAMP_WATERMARK_LAG_MS));
    }
  }

  /** A lapse of coverage, from when it began until its back-fill is written. */
  private static final class Outage {
    /** Wall clock: the earliest moment trades may be missing. */
    long startMs;

    final long lostAtNanos = System.nanoTime();

    /** Trades the back-fills of this outage recovered from REST so far. */
    long recovered;

    /**
     * The Kafka buffer refused a trade and has had no room since (remembered while the connection
     * is down).
     */
    boolean waitingForKafka;

    boolean roomLogged;

    Outage(long startMs) {
      this.startMs = startMs;
    }
  }

  private final Vertx vertx;
  private final Options opt;
  private final Backoff restBackoff;
  private final BitstampLink link;
  private final BitstampBackfill backfill;

  private BitstampState state = BitstampState.CREATED;

  /**
   * Coverage lapsed and a back-fill is due; null while everything since the first subscription is
   * written.
   */
  private Outage outage;

  /**
   * When each symbol was first subscribed (its back-fill starts there while nothing of it is
   * written).
   */
  private final Map<String, Long> coveredSince = new HashMap<>();

  private long backfillRetryTimer = -1;
  private long lastRecoveryMs = -1;
  private String lastError;
  private String lastLogged;

  BitstampSource(
      Vertx vertx, TradeGate gate, List<String> symbols, Options options, Random random) {
    super("bitstamp", gate, checked(symbols));
    this.vertx = vertx;
    this.opt = options;
    Backoff backoff = new Backoff(options.backoffMinMs(), options.backoffMaxMs(), random);
    this.restBackoff = new Backoff(options.backoffMinMs(), options.backoffMaxMs(), random);
    this.link = new BitstampLink(vertx, gate, options, symbols, backoff, this);
    this.backfill = new BitstampBackfill(vertx, options.restUrl(), gate, this::problem);
  }

  private static List<String> checked(List<String> symbols) {
    if (symbols.isEmpty()) {
      throw new IllegalArgumentException("bitstamp: no symbols");
    }
    if (symbols.size() > BitstampProtocol.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "bitstamp: "
              + symbols.size()
              + " symbols, but one connection carries at most "
              + BitstampProtocol.MAX_CHANNELS
              + " channels");
    }
    return symbols;
  }

  /**
   * Where this term starts (call before {@link #start}): after the log's last trade of each symbol;
   * for a symbol the log has no trade of, at the start of the current minute, hour or day (UTC) per
   * {@code firstBackfill}, or live only ({@code none}). Anything to fill opens an outage, so the
   * source back-fills once subscribed, exactly as after a lost connection: a first start, a restart
   * and a takeover are the same mechanism.
   */
  void resumeFrom(Map<String, LogTail.Position> positions, String firstBackfill, long nowMs) {
    long earliest = Long.MAX_VALUE;
    for (String symbol : symbols) {
      LogTail.Position p = positions.get(symbol);
      if (p != null) {
        gate.resumeFrom(p);
      }
      long since =
          p != null && p.hasTrade() ? p.lastTime() : firstBackfillSince(firstBackfill, nowMs);
      if (since != Long.MIN_VALUE) {
        coveredSince.put(symbol, since);
        earliest = Math.min(earliest, since);
      }
    }
    if (earliest != Long.MAX_VALUE) {
      startOutage(earliest);
    }
  }

  /**
   * The start of the current minute, hour or day (UTC) for a first back-fill, or Long.MIN_VALUE for
   * none.
   */
  static long firstBackfillSince(String firstBackfill, long nowMs) {
    long unit =
        switch (firstBackfill) {
          case "minute" -> 60_000L;
          case "hour" -> 3_600_000L;
          case "day" -> 86_400_000L;
          case "none" -> 0L;
          default ->
              throw new IllegalArgumentException(
                  "feed.first-backfill: unknown value " + firstBackfill);
        };
    return unit == 0 ? Long.MIN_VALUE : nowMs - Math.floorMod(nowMs, unit);
  }

  @Override
  public Future<Void> start() {
    link.start();
    backfill.open();
    LOG.info(
        "feed: bitstamp source, {} from {} (back-fill from {})",
        symbols,
        opt.wsUrl(),
        opt.restUrl());
    transition(BitstampState.CONNECTING, "started");
    link.connect();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    transition(BitstampState.STOPPED, "stopped");
    backfill.cancel();
    if (backfillRetryTimer >= 0) {
      vertx.cancelTimer(backfillRetryTimer);
    }
    return link.stop().eventually(backfill::close);
  }

  /**
   * The one place the state changes; it is logged, and a move {@code state} does not list throws.
   */
  private void transition(BitstampState next, String why) {
    BitstampState from = state;
    if (next != from) {
      state = from.to(next);
      LOG.info("feed bitstamp: {} -> {} ({})", from.label(), next.label(), why);
    }
  }

  /** The state of a subscribed source: live, or what its outage still waits for. */
  private BitstampState subscribedState() {
    if (outage == null) {
      return BitstampState.LIVE;
    }
    return outage.waitingForKafka ? BitstampState.WAITING_FOR_KAFKA : BitstampState.BACKFILLING;
  }

  // ------------------------------------------------------------------------------------------ link
  // events

  @Override
  public void unsubscribed(boolean open, String why) {
    transition(open ? BitstampState.SUBSCRIBING : BitstampState.CONNECTING, why);
  }

  @Override
  public void subscribed(
      BitstampConnection c, List<String> covered, List<Trade> early, boolean switched) {
    long now = System.currentTimeMillis();
    boolean first = coveredSince.isEmpty();
    for (String symbol : covered) {
      coveredSince.putIfAbsent(symbol, now);
    }
    if (c.earlyDropped > 0) {
      startOutage(now);
    }
    transition(subscribedState(), "connection #" + c.id + " subscribed");
    if (first) {
      LOG.info("feed bitstamp: subscribed to {} channel(s), live", c.acked.size());
    } else if (!switched) { // (the link logged a switch)
      LOG.info("feed bitstamp: connection #{} subscribed; back-filling the outage", c.id);
    }
    early.forEach(this::routeLive);
    maybeStartBackfill();
  }

  @Override
  public void activeLost(BitstampConnection c) {
    startOutage(c.lastFrameWallMs);
    backfill.cancel(); // its result is stale now; the next back-fill covers the whole outage
  }

  @Override
  public void trade(Trade t) {
    routeLive(t);
  }

  @Override
  public void channelCovered(String symbol) {
    coveredSince.putIfAbsent(symbol, System.currentTimeMillis());
  }

  /** Coverage lapsed at {@code atMs} (wall clock): a back-fill is due once subscribed again. */
  private void startOutage(long atMs) {
    if (outage == null) {
      outage = new Outage(atMs);
    } else {
      outage.startMs = Math.min(outage.startMs, atMs);
    }
  }

  // ------------------------------------------------------------------------------------------ live
  // trades

  /**
   * A live trade of the active connection: written, buffered (back-fill pending) or dropped (Kafka
   * full).
   */
  private void routeLive(Trade t) {
    if (state == BitstampState.WAITING_FOR_KAFKA) {
      gate.gapDropped(t.time(), t.time(), 1);
    } else if (state == BitstampState.BACKFILLING) {
      String reason = gate.liveTimeReason(t);
      if (reason != null) {
        gate.rejectTrade(t, reason, null);
      } else {
        backfill.buffer(t);
      }
    } else if (gate.offerLive(t) == TradeGate.Outcome.REFUSED) {
      enterKafkaWait(t.time());
    }
  }

  private void enterKafkaWait(long tradeTimeMs) {
    startOutage(Math.min(tradeTimeMs, System.currentTimeMillis()));
    outage.waitingForKafka = true;
    backfill.cancel();
    backfill.discardBuffer();
    transition(BitstampState.WAITING_FOR_KAFKA, "the Kafka buffer is full");
    gate.log().whenRoom(this::kafkaHasRoom);
  }

  private void kafkaHasRoom() {
    outage.waitingForKafka = false;
    if (!outage.roomLogged) {
      outage.roomLogged = true;
      LOG.info(
          "feed bitstamp: Kafka has room again; back-filling the gap (in rounds of at most half the buffer)");
    }
    if (state == BitstampState.WAITING_FOR_KAFKA) {
      transition(BitstampState.BACKFILLING, "Kafka has room again");
    }
    maybeStartBackfill();
  }

  private void maybeStartBackfill() {
    if (state != BitstampState.BACKFILLING || backfill.running() || backfillRetryTimer >= 0) {
      return;
    }
    Map<String, BitstampBackfill.From> from = new LinkedHashMap<>();
    coveredSince.forEach(
        (symbol, since) ->
            from.put(symbol, new BitstampBackfill.From(gate.maxWrittenId(symbol), since)));
    backfill
        .fetch(from, outage.startMs, System.currentTimeMillis())
        .onComplete(this::backfillFetched);
  }

  private void backfillFetched(AsyncResult<BitstampBackfill.Round> ar) {
    if (ar.failed() && ar.cause() == BitstampBackfill.CANCELLED) {
      return;
    }
    if (ar.failed()) {
      problem("back-fill from " + opt.restUrl() + " failed: " + ar.cause().getMessage());
      backfillRetryTimer =
          vertx.setTimer(
              restBackoff.nextDelayMs(),
              id -> {
                backfillRetryTimer = -1;
                maybeStartBackfill();
              });
      return;
    }
    restBackoff.reset();
    if (state != BitstampState.BACKFILLING) {
      return; // lost again meanwhile: the next back-fill covers it all
    }
    BitstampBackfill.Written written = backfill.write(ar.result());
    outage.recovered += written.fromRest();
    if (written.refused() != null) {
      enterKafkaWait(
          written.refused().time()); // the next round goes on from the last trade written
      return;
    }
    Outage done = outage;
    outage = null;
    lastRecoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - done.lostAtNanos);
    gate.closeGap(done.recovered);
    LOG.info(
        "feed bitstamp: back-filled {} trade(s) (window {}); live again {} ms after the outage began",
        done.recovered,
        ar.result().window(),
        lastRecoveryMs);
    transition(BitstampState.LIVE, "back-fill written");
    lastLogged = null;
  }

  // ------------------------------------------------------------------------------------------
  // state

  /** Logs a problem once (until a different one, or until live again) and remembers it. */
  @Override
  public void problem(String message) {
    lastError = message;
    if (!message.equals(lastLogged)) {
      lastLogged = message;
      LOG.warn("feed bitstamp: {}", message);
    }
  }

  private boolean live() {
    return state == BitstampState.LIVE
        && System.nanoTime() - link.active().lastFrameNanos
            <= TimeUnit.MILLISECONDS.toNanos(opt.silenceMs());
  }

  /**
   * The time of the last frame received (trade, heartbeat reply, anything) minus the lag, while
   * live. A frame proves that everything the exchange published before sending it has arrived (one
   * ordered TCP stream), so a trade older than the last frame by more than the lag cannot still
   * come: the lag covers publication delay, network latency and clock skew. Not "now − lag": a
   * connection can fall silent without our knowing yet, and trades of that silence must never land
   * behind a watermark. Traffic on any channel (or the heartbeat reply) keeps the clock fresh.
   */
  @Override
  public long watermarkClock() {
    return live()
        ? Math.min(System.currentTimeMillis(), link.active().lastFrameWallMs) - opt.watermarkLagMs()
        : NO_CLOCK;
  }

  @Override
  public boolean healthy() {
    return live();
  }

  @Override
  public JsonObject state() {
    JsonObject j =
        gate.stats()
            .put("status", live() ? "UP" : "DOWN")
            .put("state", state.label())
            .put("connected", link.active() != null)
            .put("url", opt.wsUrl())
            .put("symbols", new JsonArray(symbols));
    link.addStats(j);
    backfill.addStats(j);
    if (lastRecoveryMs >= 0) {
      j.put("lastRecoveryMs", lastRecoveryMs);
    }
    if (lastError != null) {
      j.put("lastError", lastError);
    }
    return j;
  }

  /** For tests: the last recovery time (outage start to live again after the back-fill), or -1. */
  long lastRecoveryMs() {
    return lastRecoveryMs;
  }
}
