package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays trades from a CSV file ({@link ReplayCsv}) at the recorded speed times {@code
 * replay.speed}, or as fast as Kafka takes them ({@code max}; {@link ReplayPace}). Reading and
 * parsing run on a worker thread in batches; the pacing runs on the feed's context. Rows of symbols
 * outside {@code feed.symbols} are skipped and counted; malformed rows are reported with their line
 * number, sent to {@code trades.dlq} and skipped. A progress line (trades, rate, % of the file;
 * {@link ReplayProgress}) is logged every {@code replay.progress-ms} and at the end. At the end the
 * source stops, or starts over with {@code replay.loop}: loop n shifts ids by n × (id span + 1) and
 * times by n × (time span + 1 ms), so nothing repeats and time moves on ({@link ReplayLoop}).
 *
 * <p>When Kafka's buffer is full the replay simply waits (the file loses nothing). Its watermark
 * clock is the replay's virtual time (the recorded time it has reached), never past the next row's
 * time.
 *
 * <p>Run-time controls ({@link #command}, a {@link ReplayControl}): pause (virtual time stands
 * still, nothing is offered), start (goes on), speed (re-paced from the virtual time reached) and
 * reset (back to the file's first trade as a new pass, shifted past everything offered so far like
 * a loop, and paused until started: the log is append-only, so the new pass adds candles after the
 * old ones instead of rewriting them, and every candle stays the fold of the log).
 */
final class ReplaySource extends SourceBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);
  static final int PUMP_BUDGET = 4_096;

  private final Vertx vertx;
  private final Set<String> symbolSet;
  private final Path file;
  private final ReplayPace pace;
  private final boolean loop;
  private final long progressMs;
  private Context context;

  private final ReplayRows rows;
  private boolean stopped;
  private volatile boolean finished;
  private boolean waitingForRoom;
  private boolean pumpScheduled;
  private long pumpTimer = -1;
  private long progressTimer = -1;
  private String failure;

  private final ReplayLoop loops = new ReplayLoop();
  private final ReplayProgress counts;
  private final ReplayControl control;

  private final ReplayPosition position = new ReplayPosition(System::nanoTime);

  private long lastEmittedTime = Long.MIN_VALUE;

  ReplaySource(
      Vertx vertx,
      TradeGate gate,
      List<String> symbols,
      Path file,
      String speed,
      boolean loop,
      long progressMs) {
    super("replay", gate, symbols);
    this.vertx = vertx;
    this.symbolSet = Set.copyOf(symbols);
    this.file = file;
    this.pace = new ReplayPace(speed);
    this.control = new ReplayControl(speed);
    this.loop = loop;
    this.progressMs = progressMs;
    this.counts = new ReplayProgress(file);
    this.rows = new ReplayRows(vertx, file, this::schedulePump, this::fail);
  }

  @Override
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return rows.open()
        .map(
            v -> {
              counts.start();
              if (progressMs > 0) {
                progressTimer = vertx.setPeriodic(progressMs, id -> progress());
              }
              LOG.info(
                  "feed: replay source, {} at {}{}, symbols {}",
                  file,
                  pace.describe(),
                  loop ? ", looping" : "",
                  symbols);
              rows.readAhead();
              countRows();
              position.running();
              return null;
            });
  }

  /** Counts the file's data rows on a worker thread (for the status's total and ETA). */
  private void countRows() {
    ReplayFiles.countRows(vertx, file)
        .onSuccess(position::total)
        .onFailure(
            e -> LOG.warn("feed replay: cannot count the rows of {}: {}", file, e.toString()));
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (pumpTimer >= 0) {
      vertx.cancelTimer(pumpTimer);
    }
    if (progressTimer >= 0) {
      vertx.cancelTimer(progressTimer);
    }
    return rows.close();
  }

  private void fail(String message) {
    failure = message;
    finished = true;
    control.failed();
    position.halted();
    LOG.error("feed replay: {}; replay stopped", message);
    progress();
    rows.release();
  }

  // ------------------------------------------------------------------------------------------
  // pacing

  private void schedulePump() {
    if (!pumpScheduled && !stopped) {
      pumpScheduled = true;
      context.runOnContext(v -> pump());
    }
  }

  private void pump() {
    pumpScheduled = false;
    waitingForRoom = false;
    if (stopped || finished || !control.running()) {
      return;
    }
    for (int budget = PUMP_BUDGET; budget > 0; budget--) {
      rows.readAhead();
      ReplayCsv.Row row = rows.peek();
      if (row == null) {
        if (rows.atEnd()) {
          endOfFile();
        }
        return; // the running read schedules the next pump
      }
      if (!step(row)) {
        return; // a timer or Kafka's room pumps again
      }
    }
    schedulePump();
  }

  /**
   * Takes the next row (skipped, rejected or offered); false when it must wait for its time or for
   * Kafka's room.
   */
  private boolean step(ReplayCsv.Row row) {
    if (row.trade() == null) {
      take();
      counts.countMalformed();
      gate.reject(row.problem(), row.text(), row.line());
      return true;
    }
    Trade t = loops.shifted(row.trade());
    if (!symbolSet.contains(t.symbol())) {
      take();
      counts.countOtherSymbol(t.symbol());
      return true;
    }
    if (gate.alreadyWritten(t)) {
      // the log holds it (a takeover or restart goes through the file again): passed at once, not
      // at its recorded pace, so the clock starts at the first trade still to write (issue 19)
      take();
      offer(t, row.line());
      return true;
    }
    if (notDueYet(t)) {
      return false;
    }
    if (!gate.log().hasRoom(1)) {
      waitingForRoom = true;
      gate.log().whenRoom(this::pump);
      return false;
    }
    take();
    offer(t, row.line());
    return true;
  }

  private void take() {
    rows.poll();
    position.took();
  }

  /** Whether {@code t} is not due yet at the replay's speed (a timer then pumps). */
  private boolean notDueYet(Trade t) {
    long ms = pace.waitMs(t);
    if (ms == 0) {
      return false;
    }
    pumpTimer =
        vertx.setTimer(
            ms,
            id -> {
              pumpTimer = -1;
              pump();
            });
    return true;
  }

  private void offer(Trade t, long line) {
    loops.record(t);
    TradeGate.Outcome o = gate.offer(t, line);
    if (o == TradeGate.Outcome.REJECTED) {
      counts.countMalformed();
    } else {
      counts.countEmitted();
      lastEmittedTime = Math.max(lastEmittedTime, t.time());
    }
  }

  private void endOfFile() {
    if (loop && !stopped && loops.hasSpan()) {
      nextLoop();
      return;
    }
    if (loop && !loops.hasSpan()) {
      LOG.warn("feed replay: {} holds no trade of {}; not looping", file, symbols);
    }
    finished = true;
    control.finished();
    position.halted();
    counts.finish();
    progress();
    LOG.info(
        "feed replay: finished {}: {} trades in {} ms", file, counts.emitted(), counts.elapsedMs());
    rows.release();
  }

  /** Reopens the file for the next loop. */
  private void nextLoop() {
    int loopIndex = loops.next();
    position.newPass();
    LOG.info("feed replay: end of {}; starting loop {}", file, loopIndex);
    rows.reopen("for loop " + loopIndex);
  }

  // ------------------------------------------------------------------------------------------
  // run-time controls

  /**
   * Carries out a control command ({@link ReplayControl#parse}): start, pause, reset, speed or
   * status. Returns the {@link #status()} after it.
   *
   * @throws ReplayControl.Refused for a malformed command (400) or one the state does not allow
   *     (409)
   */
  JsonObject command(Object body) {
    ReplayControl.Command c = ReplayControl.parse(body);
    control.apply(c);
    switch (c.op()) {
      case START -> {
        pace.resume();
        position.running();
        schedulePump();
      }
      case PAUSE -> {
        pace.pause();
        cancelPumpTimer();
        position.halted();
      }
      case SPEED -> {
        pace.speed(c.speed());
        position.freshRate(control.running());
        if (control.running()) {
          cancelPumpTimer(); // the row waiting for its time is due at the new pace
          schedulePump();
        }
      }
      case RESET -> reset();
      case STATUS -> {}
    }
    if (c.op() != ReplayControl.Op.STATUS) {
      LOG.info(
          "feed replay: {} -> {} at {} ({} of {} rows of pass {})",
          c.op().name().toLowerCase(java.util.Locale.ROOT),
          control.state().wire(),
          pace.describe(),
          position.position(),
          position.total(),
          loops.index());
    }
    return status();
  }

  /**
   * Back to the file's first trade, as a new pass shifted past everything offered so far (see
   * {@link ReplayLoop}), paused.
   */
  private void reset() {
    pace.pause();
    pace.reset();
    cancelPumpTimer();
    position.halted();
    position.freshRate(false);
    loops.next();
    position.newPass();
    finished = false;
    rows.reopen("for a reset");
  }

  private void cancelPumpTimer() {
    if (pumpTimer >= 0) {
      vertx.cancelTimer(pumpTimer);
      pumpTimer = -1;
    }
  }

  /**
   * The replay's status: {@code {state, speed, position, total, eta, pass, file}}: rows of the file
   * taken in this pass, data rows in the file (-1 until counted), and milliseconds to the end of
   * the pass at the pace measured since the last start or speed change (null while it cannot be
   * estimated: paused, nothing taken yet, rows not counted; 0 when finished).
   */
  JsonObject status() {
    return new JsonObject()
        .put("state", control.state().wire())
        .put("speed", control.speed())
        .put("position", position.position())
        .put("total", position.total())
        .put(
            "eta",
            position.etaMs(control.running(), control.state() == ReplayControl.State.FINISHED))
        .put("pass", loops.index())
        .put("file", file.getFileName().toString());
  }

  // ------------------------------------------------------------------------------------------
  // state

  private void progress() {
    double pct = finished && failure == null ? 100 : 100 * rows.fraction();
    counts.log(pct, loops.index(), waitingForRoom);
  }

  @Override
  public long watermarkClock() {
    if (!pace.started() || failure != null) {
      return NO_CLOCK;
    }
    long bound = lastEmittedTime;
    ReplayCsv.Row head = rows.peek();
    if (!finished && head != null && head.trade() != null) {
      bound =
          loops
              .shifted(head.trade())
              .time(); // the next trade (files are in time order; the gate clamps otherwise)
    }
    if (pace.max() || finished) {
      return bound;
    }
    return Math.min(pace.virtualTime(), bound);
  }

  @Override
  public boolean healthy() {
    return failure == null;
  }

  /** Whether the whole file has been replayed (and looping is off), or the replay failed. */
  boolean finished() {
    return finished;
  }

  long emitted() {
    return counts.emitted();
  }

  long malformed() {
    return counts.malformed();
  }

  /** Wall time from start to the end of the file, or -1 while running. */
  long elapsedMs() {
    return counts.elapsedMs();
  }

  @Override
  public JsonObject state() {
    JsonObject j =
        gate.stats()
            .put("status", failure == null ? "UP" : "DOWN")
            .put(
                "state",
                failure != null
                    ? "failed"
                    : stopped
                        ? "stopped"
                        : finished
                            ? "finished"
                            : !control.running()
                                ? "paused"
                                : waitingForRoom ? "waiting-for-kafka" : "replaying")
            .put("connected", !stopped && !finished)
            .put("reconnects", 0)
            .put("file", file.toString())
            .put("speed", pace.setting())
            .put("symbols", new JsonArray(symbols))
            .put("emitted", counts.emitted())
            .put("malformed", counts.malformed())
            .put("loop", loops.index())
            .put("progress", finished && failure == null ? 1.0 : rows.fraction());
    counts.addOtherSymbols(j);
    if (failure != null) {
      j.put("lastError", failure);
    }
    return j;
  }
}
