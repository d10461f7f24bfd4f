package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.DecodeException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A subscription to one candle series. In a dialect with snapshots it opens with the series' recent
 * candles (or, with {@code since}, the candles the client missed: see {@link Resume}), and the
 * {@link SeamFilter} drops live updates the snapshot already covers; with {@code throttleMs} at
 * most one open-candle update per period goes out (the newest; closed candles always go out at
 * once).
 */
final class CandleSubscription extends Subscription {
  /** The command's {@code since}, null for a snapshot (issue 20: not the whole command). */
  private final Long since;

  /** The dialect of the command that started it: the dialect of every reply about it. */
  private final Dialect dialect;

  private final long throttleNanos;
  private SeamFilter filter = SeamFilter.none();
  private long lastOpenSentNanos = Long.MIN_VALUE / 2;
  private Update pendingOpen;
  private long timerId = -1;

  /**
   * Open time of the next closed window this subscriber must get: first the one due after its
   * snapshot ({@link Resume#firstCloseAfter}), then the one after each close sent; {@link
   * Resume#NO_SEAM} until known (no snapshot: the first live close starts it).
   */
  private long nextClose = Resume.NO_SEAM;

  CandleSubscription(Subscriptions owner, Command.Subscribe cmd, Dialect dialect) {
    super(owner, owner.env.hub().canonical(cmd.key()), cmd.id());
    this.since = cmd.since();
    this.dialect = dialect;
    this.throttleNanos = TimeUnit.MILLISECONDS.toNanos(cmd.throttleMs());
  }

  SeriesKey series() {
    return (SeriesKey) key;
  }

  @Override
  JsonObject describe() {
    JsonObject j =
        new JsonObject()
            .put("channel", JsonCommandParser.CHANNEL_CANDLES)
            .put("symbol", series().symbol())
            .put("tf", series().tf().label());
    if (throttleNanos > 0) {
      j.put("throttleMs", TimeUnit.NANOSECONDS.toMillis(throttleNanos));
    }
    return j;
  }

  @Override
  void cancel() {
    super.cancel();
    pendingOpen = null;
    if (timerId >= 0) {
      owner.env.vertx().cancelTimer(timerId);
      timerId = -1;
    }
  }

  @Override
  Future<Void> start() {
    if (dialect.snapshots()) {
      return fetchSnapshot();
    }
    reply(dialect.subscribed(series(), id));
    goLive(SeamFilter.none());
    return Future.succeededFuture();
  }

  private void goLive(SeamFilter f) {
    this.filter = f;
    goLive();
  }

  /**
   * Asks history (resume or snapshot), replies ack + snapshot, then releases the buffered live
   * updates.
   */
  private Future<Void> fetchSnapshot() {
    SeriesKey k = series();
    GatewayOptions o = owner.env.options();
    if (since == null) {
      return history(Resume.snapshotRequest(k, o.snapshotSize()))
          .compose(
              reply -> deliverSnapshot(Resume.candles(reply, k), null, null), this::historyFailed)
          .recover(this::historyFailed);
    }
    long from = since;
    return history(Resume.sinceRequest(k, from, o.maxLimit()))
        .compose(
            reply -> {
              List<Candle> candles = Resume.candles(reply, k);
              if (Resume.recovered(from, candles, Resume.oldest(reply), o.maxLimit(), k.tf())) {
                return deliverSnapshot(candles, true, from);
              }
              return history(Resume.snapshotRequest(k, o.snapshotSize()))
                  .compose(r2 -> deliverSnapshot(Resume.candles(r2, k), false, null));
            },
            this::historyFailed)
        .recover(this::historyFailed);
  }

  private Future<Object> history(JsonObject request) {
    WsConnection.Env env = owner.env;
    long start = System.nanoTime();
    return env.bus()
        .request(Addresses.HISTORY, request, env.historyOptions())
        .map(Message::body)
        .onComplete(ar -> env.metrics().recordHistory(Duration.ofNanos(System.nanoTime() - start)));
  }

  private Future<Void> deliverSnapshot(List<Candle> candles, Boolean recovered, Long since) {
    if (cancelled()) {
      return Future.succeededFuture();
    }
    reply(dialect.subscribed(series(), id));
    reply(dialect.snapshot(series(), id, recovered, candles));
    nextClose = Resume.firstCloseAfter(candles, since, series().tf());
    goLive(SeamFilter.after(candles, since));
    return Future.succeededFuture();
  }

  private Future<Void> historyFailed(Throwable err) {
    if (cancelled()) {
      return Future.succeededFuture();
    }
    if (err instanceof ReplyException re && re.failureCode() == 404) {
      drop();
      reply(
          dialect.error(
              ErrorCodes.UNKNOWN_SYMBOL,
              "unknown symbol " + series().symbol() + ": " + re.getMessage(),
              key,
              id));
      return Future.succeededFuture();
    }
    if (!buffering()) {
      return Future.succeededFuture(); // already live: a failure after the snapshot was sent
    }
    String why =
        err instanceof DecodeException
            ? "history sent a malformed reply"
            : BusErrors.toHttp(err, "history unavailable").error();
    // live updates still flow; the client learns that it has no snapshot
    reply(dialect.subscribed(series(), id));
    reply(
        BusErrors.withRetryHint(
            dialect.error(
                ErrorCodes.HISTORY_UNAVAILABLE,
                "no snapshot for "
                    + series().symbol()
                    + " "
                    + series().tf().label()
                    + ": "
                    + why
                    + "; live updates follow",
                key,
                id),
            err));
    goLive(since == null ? SeamFilter.none() : SeamFilter.after(List.of(), since));
    return Future.succeededFuture();
  }

  /**
   * Whether a closed update skips windows this subscriber never got: then they are fetched for it
   * (or announced), and {@code u} and what follows wait until they went out. The series' own run
   * ({@link SeriesRepair}) repairs what the gateway missed; this catches what only this subscriber
   * missed: the seam between its snapshot and a run primed by a newer history answer (chaos run60
   * seed 23), however many windows after the snapshot it shows.
   */
  private boolean skipsWindows(Update u) {
    long from = nextClose;
    if (from != Resume.NO_SEAM && u.time() < from) {
      return false; // a re-emitted older window (partial)
    }
    if (from == Resume.NO_SEAM || u.time() == from) {
      nextClose = series().tf().windowEnd(u.time());
      return false;
    }
    nextClose = u.time(); // u itself passes when it is released
    holdFrom(u);
    SeriesKey k = series();
    int windows =
        (int)
            Math.min(
                owner.env.options().maxLimit(),
                k.tf().windowIndex(u.time()) - k.tf().windowIndex(from));
    owner.env.metrics().seamRepairs.increment();
    history(Resume.sinceRequest(k, from, windows).put("to", u.time() - 1))
        .onComplete(
            ar -> {
              if (cancelled()) {
                return;
              }
              List<Candle> got = List.of();
              if (ar.succeeded()) {
                try {
                  got = Resume.candles(ar.result(), k);
                } catch (DecodeException e) {
                  got = List.of();
                }
              }
              fillSeam(from, u.time(), got);
              goLive();
            });
    return true;
  }

  /**
   * Sends the closed windows of {@code [from, before)} that history gave, in order; a run of
   * windows it did not give is announced where it is missing (dialects with gap notices).
   */
  private void fillSeam(long from, long before, List<Candle> candles) {
    SeriesKey k = series();
    long expected = from;
    for (Candle c : candles) {
      if (!c.closed() || c.openTime() < expected || c.openTime() >= before) {
        continue;
      }
      if (c.openTime() > expected) {
        announce(expected, c.openTime());
      }
      Update r = k.toUpdate(c);
      if (filter.pass(r.time(), r.version(), true, r.partial())) {
        emit(r);
      }
      expected = k.tf().windowEnd(c.openTime());
    }
    if (expected < before) {
      announce(expected, before);
    }
  }

  private void announce(long from, long before) {
    if (dialect.candleGaps()) {
      owner.flow.reply(SeriesGap.notice(series(), from, before).frame());
    }
  }

  /**
   * Closed windows of the series will not come: the shared notice goes out before the next window
   * (a subscription still waiting for its snapshot is not told: its snapshot and seam decide).
   */
  @Override
  public void gap(Update notice) {
    if (!cancelled() && !buffering()) {
      if (nextClose != Resume.NO_SEAM) {
        nextClose = Math.max(nextClose, notice.time()); // the windows before it will not come
      }
      if (dialect.candleGaps()) {
        owner.flow.reply(notice.frame()); // encoded once for every subscriber
      }
    }
  }

  @Override
  void live(Update u) {
    if (!filter.pass(u.time(), u.version(), u.closed(), u.partial())) {
      return;
    }
    if (u.closed() && skipsWindows(u)) {
      return;
    }
    if (throttleNanos == 0) {
      emit(u);
      return;
    }
    if (u.closed()) {
      if (pendingOpen != null && pendingOpen.time() <= u.time()) {
        pendingOpen = null;
      }
      emit(u);
      return;
    }
    long now = System.nanoTime();
    if (pendingOpen == null && now - lastOpenSentNanos >= throttleNanos) {
      lastOpenSentNanos = now;
      emit(u);
      return;
    }
    pendingOpen = u;
    if (timerId < 0) {
      schedule(now);
    }
  }

  /** Sends the pending open update when the throttle period since the last one has passed. */
  private void schedule(long nowNanos) {
    long waitMs =
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(throttleNanos - (nowNanos - lastOpenSentNanos)));
    timerId =
        owner
            .env
            .vertx()
            .setTimer(
                waitMs,
                t -> {
                  timerId = -1;
                  Update p = pendingOpen;
                  pendingOpen = null;
                  if (p != null && !cancelled()) {
                    lastOpenSentNanos = System.nanoTime();
                    emit(p);
                  }
                });
  }
}
