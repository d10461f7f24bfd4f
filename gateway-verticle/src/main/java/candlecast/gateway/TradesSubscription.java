package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.DecodeException;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription to a symbol's trades (JSON protocol only): an ack, a snapshot of the newest trades
 * (or, with {@code since}, exactly the trades after that id: a resume), then every trade of the
 * symbol's tape once, in log order, in frames of at most {@code batch} trades.
 *
 * <p>Exactly once, in order: every trade carries its tape position ({@code seq}) and every tape
 * update the position of the trade before it ({@code prev}). The subscription remembers the
 * position it has sent up to: live trades at or before it are dropped (the seam with the snapshot,
 * an update published again after an aggregator takeover), and an update whose {@code prev} lies
 * after it means trades were missed on the bus (a registration still spreading in a cluster, a lost
 * message, a takeover): they are fetched from the owner before going on ({@link #repair}); if the
 * owner no longer holds them, a gap marker says so. While the client is congested, {@link
 * TradeBacklog} keeps the newest trades and a gap marker.
 */
final class TradesSubscription extends Subscription {
  private static final long UNKNOWN = Long.MIN_VALUE;

  private final Command.SubscribeTrades cmd;
  private final int batch;
  private final TradeBacklog backlog;

  /**
   * The tape position the client has every trade up to; UNKNOWN until a snapshot or the first
   * update says.
   */
  private long lastSeq = UNKNOWN;

  /** Live updates that wait while missed trades are fetched; null when none are fetched. */
  private List<Update> held;

  TradesSubscription(Subscriptions owner, TradesKey key, Command.SubscribeTrades cmd) {
    super(owner, key, cmd.id());
    this.cmd = cmd;
    GatewayOptions.Trades o = owner.env.options().trades();
    this.batch = cmd.batch() == null ? o.batchMax() : Math.min(cmd.batch(), o.batchMax());
    this.backlog = new TradeBacklog(key.symbol(), o.backlog(), cmd.since());
  }

  String symbol() {
    return ((TradesKey) key).symbol();
  }

  @Override
  JsonObject describe() {
    return new JsonObject()
        .put("channel", JsonCommandParser.CHANNEL_TRADES)
        .put("symbol", symbol())
        .put("batch", batch);
  }

  @Override
  void cancel() {
    held = null;
    super.cancel();
  }

  // ------------------------------------------------------------------ snapshot

  /**
   * Asks the symbol's owner for the snapshot (or the resume), replies ack + snapshot, then goes
   * live.
   */
  @Override
  Future<Void> start() {
    GatewayOptions.Trades o = owner.env.options().trades();
    JsonObject plain = new JsonObject().put("symbol", symbol()).put("limit", o.snapshotSize());
    if (cmd.since() == null) {
      return request(plain).transform(ar -> snapshot(ar, null));
    }
    JsonObject resume =
        new JsonObject()
            .put("symbol", symbol())
            .put("since", cmd.since())
            .put("limit", o.maxLimit());
    return request(resume)
        .transform(
            ar -> {
              if (cancelled() || !resumeImpossible(ar)) {
                return snapshot(ar, true);
              }
              return request(plain).transform(ar2 -> snapshot(ar2, false));
            });
  }

  /**
   * The trades after {@code since} are no longer held, or more of them than one resume may carry.
   */
  private static boolean resumeImpossible(AsyncResult<Object> ar) {
    if (ar.failed()) {
      return ar.cause() instanceof ReplyException re && re.failureCode() == 410;
    }
    return ar.result() instanceof JsonObject j && Boolean.TRUE.equals(j.getValue("more"));
  }

  private Future<Void> snapshot(AsyncResult<Object> ar, Boolean recovered) {
    if (cancelled()) {
      return Future.succeededFuture();
    }
    if (ar.failed() && ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
      drop();
      reply(
          Frames.jsonError(
              ErrorCodes.UNKNOWN_SYMBOL,
              "unknown symbol " + symbol() + ": " + re.getMessage(),
              id));
      return Future.succeededFuture();
    }
    reply(Frames.tradesSubscription("subscribed", symbol(), batch, id));
    List<TapeTrade> trades;
    try {
      if (ar.failed()) {
        throw ar.cause();
      }
      JsonObject body = (JsonObject) ar.result();
      trades = TapeCodec.trades(body);
      lastSeq = TapeCodec.integral(body, "lastSeq");
    } catch (Throwable err) {
      String why =
          err instanceof DecodeException || err instanceof ClassCastException
              ? "the owner sent a malformed reply"
              : BusErrors.toHttp(err, "trades unavailable").error();
      reply(
          BusErrors.withRetryHint(
              Frames.jsonError(
                  ErrorCodes.TRADES_UNAVAILABLE,
                  "no snapshot of the trades of " + symbol() + ": " + why + "; live trades follow",
                  id),
              err));
      goLive();
      return Future.succeededFuture();
    }
    owner.flow.reply(Frames.tradesSnapshot(symbol(), id, recovered, trades, batch));
    if (trades.size() > batch) {
      for (Update u : TradeBatch.encode(symbol(), trades.subList(batch, trades.size()), batch)) {
        owner.flow.reply(u.frame());
      }
    }
    if (!trades.isEmpty()) {
      backlog.offered(trades.get(trades.size() - 1).id());
    } else if (!Boolean.TRUE.equals(recovered)) {
      backlog.offered((Long) null);
    }
    goLive();
    return Future.succeededFuture();
  }

  private Future<Object> request(JsonObject body) {
    WsConnection.Env env = owner.env;
    long start = System.nanoTime();
    return env.bus()
        .request(Addresses.TRADES, body, env.historyOptions())
        .map(Message::body)
        .onComplete(ar -> env.metrics().recordHistory(Duration.ofNanos(System.nanoTime() - start)));
  }

  // ------------------------------------------------------------------ live

  @Override
  void live(Update u) {
    if (held != null) {
      if (held.size() < MAX_BUFFERED) {
        held.add(u);
      } else {
        owner
            .env
            .metrics()
            .updatesDropped
            .increment(); // the next update's prev shows the hole: fetched again
      }
      return;
    }
    TradeBatch b = (TradeBatch) u.detail();
    if (b.lastSeq() <= lastSeq) {
      return; // sent already (the snapshot had it, or it was published again)
    }
    if (lastSeq != UNKNOWN && b.prev > lastSeq) {
      repair(u);
      return;
    }
    TradeBatch fresh = b.firstSeq() > lastSeq ? b : b.after(lastSeq);
    lastSeq = b.lastSeq();
    send(fresh == b ? b.frames(batch) : TradeBatch.encode(symbol(), fresh.trades, batch));
  }

  private void send(Update[] frames) {
    for (Update f : frames) {
      emit(f);
      backlog.offered(f);
    }
  }

  /**
   * Trades between the position sent up to and {@code u} were missed: fetch them from the owner
   * (live updates wait), send them, then go on with the waiting updates. What the owner no longer
   * holds becomes a gap marker.
   */
  private void repair(Update u) {
    held = new ArrayList<>();
    held.add(u);
    JsonObject req =
        new JsonObject()
            .put("symbol", symbol())
            .put("afterSeq", lastSeq)
            .put("limit", owner.env.options().trades().maxLimit());
    request(req)
        .onComplete(
            ar -> {
              if (cancelled()) {
                return;
              }
              List<Update> waiting = held;
              held = null;
              long needed = ((TradeBatch) waiting.get(0).detail()).prev;
              boolean more = false;
              try {
                if (ar.failed()) {
                  throw ar.cause();
                }
                JsonObject body = (JsonObject) ar.result();
                List<TapeTrade> missed = TapeCodec.trades(body);
                more = Boolean.TRUE.equals(body.getValue("more"));
                missed = missed.stream().filter(t -> t.seq() > lastSeq).toList();
                if (!missed.isEmpty()) {
                  lastSeq = missed.get(missed.size() - 1).seq();
                  send(TradeBatch.encode(symbol(), missed, batch));
                }
              } catch (Throwable err) {
                more = false;
              }
              if (lastSeq < needed && !more) {
                gap(needed);
              }
              for (Update w : waiting) {
                live(w); // may fetch again (more to fetch, or another hole): then the rest waits
                // again
              }
            });
  }

  /**
   * Tells the client that trades after the last one it got are missing, and goes on from {@code
   * seq}.
   */
  private void gap(long seq) {
    Long since = backlog.lastOffered();
    io.vertx.core.buffer.Buffer frame = Frames.tradesGap(symbol(), since, null);
    Update mark = new Update(frame, Frames.wire(frame), 0, 0, false, new TradeBacklog.Mark(since));
    emit(mark);
    lastSeq = seq;
  }

  // ------------------------------------------------------------------ congestion: the backlog is
  // this lane's policy

  @Override
  int parked() {
    return backlog.parked();
  }

  @Override
  int park(Update u) {
    return backlog.park(u);
  }

  @Override
  boolean flush(OutboundWriter w) {
    return backlog.flush(w);
  }

  @Override
  void clear() {
    backlog.clear();
  }
}
