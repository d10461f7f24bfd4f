package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import candlecast.common.alerts.AlertCondition;
import candlecast.common.alerts.AlertDefinition;
import candlecast.common.alerts.AlertKind;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The alerts of one {@code trades} partition, evaluated in log order on the fold loop's thread
 * (docs/DECISIONS.md "Issue 17 — alert evaluation"). Pure: trades and closed candles in, {@link
 * AlertEffect}s out; a deterministic function of (its checkpointed state, the alert records, the
 * log after the checkpoint), so a replay re-derives the same fire ids.
 *
 * <p>An alert is added with its record ({@link #add}) and starts evaluating at the first record of
 * the partition at or after its {@code fromOffset} ({@link #beforeRecord}).
 */
public final class AlertBook {
  final int partition;
  final long graceMs;
  private final WindowSource source;
  final Map<String, SymbolAlerts> symbols = new HashMap<>();
  final Map<String, Alert> alerts = new HashMap<>();
  private final PriorityQueue<Alert> pending =
      new PriorityQueue<>(Comparator.comparingLong((Alert a) -> a.fromOffset));
  private long batch;
  private List<AlertEffect> out;
  private final TradeFires tradeFires = new TradeFires(this);

  public AlertBook(int partition, long graceMs, WindowSource source) {
    this.partition = partition;
    this.graceMs = graceMs;
    this.source = source;
  }

  /** Alerts held (pending and evaluating). */
  public int size() {
    return alerts.size();
  }

  public boolean holds(String id) {
    return alerts.containsKey(id);
  }

  /** Starts a batch: its effects go to {@code effects}. */
  public void beginBatch(List<AlertEffect> effects) {
    batch++;
    out = effects;
  }

  /**
   * Takes an alert record ({@code fromOffset} set). It evaluates from the first record at or after
   * {@code fromOffset}; its candle ring or breakout series is built now, from its {@code seed} and
   * the folder's windows, and follows the log from here on.
   *
   * @throws IllegalArgumentException {@code bad_alert: …} when the record is invalid
   */
  public void add(JsonObject record) {
    AlertDefinition def = AlertDefinition.fromRecord(record);
    Alert a = new Alert(record, def);
    if (a.id == null) {
      throw new IllegalArgumentException("bad_alert: id: missing");
    }
    if (a.owner == null) {
      throw new IllegalArgumentException("bad_alert: owner: missing");
    }
    remove(a.id);
    SymbolAlerts s = symbols.computeIfAbsent(def.symbol(), SymbolAlerts::new);
    s.alerts++;
    alerts.put(a.id, a);
    attach(s, a, record);
    pending.add(a);
  }

  private void attach(SymbolAlerts s, Alert a, JsonObject record) {
    AlertCondition c = a.cond;
    switch (c.kind()) {
      case MOVE_UP, MOVE_DOWN -> s.group(c.windowMs(), a.fromOffset).add(a);
      case BREAKOUT_HIGH, BREAKOUT_LOW -> breakout(s, c, record).alerts.add(a);
      case VOLUME_SPIKE, RSI_ABOVE, RSI_BELOW, SMA_CROSS_ABOVE, SMA_CROSS_BELOW ->
          ring(s, c.tf(), record).alerts.add(a);
      default -> {}
    }
  }

  private CandleRing ring(SymbolAlerts s, Timeframe tf, JsonObject record) {
    CandleRing r = s.rings[tf.index()];
    if (r == null) {
      r = new CandleRing(tf);
      s.setRing(tf, r);
      CandleRing ring = r;
      Seeds.forEach(record, (t, o, h, l, c, v, closed) -> ring.add(t, o, h, l, c, v, null));
      source.windows(
          s.symbol, tf, false, (t, o, h, l, c, v, closed) -> ring.add(t, o, h, l, c, v, null));
    }
    return r;
  }

  private BreakoutSeries breakout(SymbolAlerts s, AlertCondition c, JsonObject record) {
    BreakoutSeries b = s.breakout(c.tf(), c.n());
    if (b == null) {
      b = new BreakoutSeries(c.tf(), c.n());
      s.breakouts.add(b);
      BreakoutSeries series = b;
      WindowSource.Visitor v = (t, o, h, l, cl, vol, closed) -> series.add(t, h, l, cl);
      Seeds.forEach(record, v);
      source.windows(s.symbol, c.tf(), true, v);
    }
    return b;
  }

  /** Stops evaluating an alert; returns whether it was held. */
  public boolean remove(String id) {
    Alert a = alerts.remove(id);
    if (a == null) {
      return false;
    }
    finish(a);
    return true;
  }

  /** Drops a finished or deleted alert from the structures (lazily from the heaps). */
  private void finish(Alert a) {
    a.done = true;
    alerts.remove(a.id);
    SymbolAlerts s = symbols.get(a.def.symbol());
    if (s == null) {
      return;
    }
    AlertCondition c = a.cond;
    switch (c.kind()) {
      case MOVE_UP, MOVE_DOWN -> {
        MoveGroup g = s.group(c.windowMs(), a.fromOffset);
        if (g.removed()) {
          s.moves.remove(g);
        }
      }
      case BREAKOUT_HIGH, BREAKOUT_LOW -> {
        BreakoutSeries b = s.breakout(c.tf(), c.n());
        b.alerts.remove(a);
        if (b.alerts.isEmpty()) {
          s.breakouts.remove(b);
        }
      }
      case PRICE_ABOVE, PRICE_BELOW -> {}
      default -> {
        CandleRing r = s.rings[c.tf().index()];
        r.alerts.remove(a);
        if (r.alerts.isEmpty()) {
          s.setRing(c.tf(), null);
        }
      }
    }
    s.alerts--;
  }

  /** Activates the pending alerts whose {@code fromOffset} the log reached (before each record). */
  public void beforeRecord(long offset) {
    Alert a;
    while ((a = pending.peek()) != null && a.fromOffset <= offset) {
      pending.poll();
      if (!a.done) {
        activate(a);
      }
    }
  }

  private void activate(Alert a) {
    SymbolAlerts s = symbols.get(a.def.symbol());
    a.active = true;
    a.activeWatermark = source.watermark(s.symbol);
    if (a.def.expiresAt() != null && a.cond.kind().onTrade()) {
      s.expiries.add(a); // candle kinds expire on the candles evaluated for them (CandleFires)
    }
    if (a.cond.kind() == AlertKind.PRICE_ABOVE || a.cond.kind() == AlertKind.PRICE_BELOW) {
      s.prices.add(a, s.lastPrice);
    }
  }

  // ------------------------------------------------------------------ trades

  /** Whether records of {@code symbol} may close windows an alert evaluates. */
  public boolean wantsCauses(String symbol) {
    SymbolAlerts s = symbols.get(symbol);
    return s != null && s.hasRings();
  }

  /** A record about to be folded would move the symbol's event time to {@code time}. */
  public void noteCause(
      String symbol, long time, long offset, long id, double price, double amount, boolean trade) {
    SymbolAlerts s = symbols.get(symbol);
    if (s != null && s.hasRings()) {
      s.noteCause(batch, time, offset, id, price, amount, trade);
    }
  }

  /** The noted record did not move the event time after all (duplicate or late). */
  public void dropCause(String symbol) {
    SymbolAlerts s = symbols.get(symbol);
    if (s != null) {
      s.dropCause(batch);
    }
  }

  /**
   * A folded trade (not a duplicate, not late): expires, then evaluates the trade-driven alerts of
   * its symbol, then becomes the symbol's previous price.
   */
  public void onTrade(String symbol, long offset, long id, long time, double price, double amount) {
    SymbolAlerts s = symbols.get(symbol);
    if (s == null) {
      s = new SymbolAlerts(symbol);
      symbols.put(symbol, s);
    }
    if (s.alerts > 0) {
      expire(s, time);
      tradeFires.evaluate(s, offset, id, time, price, amount);
    }
    s.lastPrice = price;
  }

  void expire(SymbolAlerts s, long time) {
    Alert a;
    while ((a = s.expiries.peek()) != null && a.expiresAt() <= time) {
      s.expiries.poll();
      expireOne(a);
    }
  }

  /** Expires one alert (not yet finished). */
  void expireOne(Alert a) {
    if (!a.done) {
      finish(a);
      emit(new AlertEffect(partition, a.id, null, null, FireEvents.record(a, null, true)));
    }
  }

  /** A fire: the effect, the updated record, and the alert leaves when it was its last. */
  void fired(Alert a, String fireId, JsonObject event) {
    JsonObject rec = FireEvents.record(a, event, false);
    if (a.done) {
      finish(a);
    }
    emit(new AlertEffect(partition, a.id, fireId, event, rec));
  }

  private void emit(AlertEffect e) {
    if (out != null) {
      out.add(e);
    }
  }

  // ------------------------------------------------------------------ closed candles

  /** Whether closed candles of (symbol, tf) are evaluated. */
  public boolean wantsClosed(String symbol, Timeframe tf) {
    SymbolAlerts s = symbols.get(symbol);
    return s != null && s.rings[tf.index()] != null;
  }

  /**
   * A closed candle with {@code trades} trades (call only when {@link #wantsClosed}). A window with
   * trades has as cause the record of this batch that moved the event time to its end plus grace;
   * one without trades (emitted or implied) has none and counts at its end.
   */
  public void onClosed(
      String symbol,
      Timeframe tf,
      long openTime,
      double o,
      double h,
      double l,
      double c,
      double v,
      long trades) {
    SymbolAlerts s = symbols.get(symbol);
    CandleRing ring = s.rings[tf.index()];
    new CandleFires(this, s, ring, batch).add(openTime, o, h, l, c, v, trades > 0);
  }

  // ------------------------------------------------------------------ restore

  /**
   * Restores the book from a checkpoint's state and the partition's alert records: alerts from
   * after the checkpoint ({@code fromOffset > cpOffset}) wait for their offset; earlier ones resume
   * with the checkpointed runtime state, unless their record says they are finished (fired once or
   * expired: a fire after the checkpoint is re-derived by the replay and skipped as recorded).
   *
   * @return the records that were not valid alerts (skipped)
   */
  public int restore(AlertBookCodec.Snapshot snap, Iterable<JsonObject> records, long cpOffset) {
    symbols.clear();
    alerts.clear();
    pending.clear();
    symbols.putAll(snap.symbols());
    int bad = 0;
    for (JsonObject r : records) {
      try {
        Long from = r.getLong("fromOffset");
        String state = r.getString("state", "armed");
        if (from == null) {
          throw new IllegalArgumentException("bad_alert: fromOffset: missing");
        }
        if (from <= cpOffset && !"armed".equals(state)) {
          continue;
        }
        add(r);
        long[] f = from <= cpOffset ? snap.fired().get(r.getString("id")) : null;
        if (f != null) {
          Alert a = alerts.get(r.getString("id"));
          a.seq = (int) f[0];
          a.lastFireTime = f[1];
        }
      } catch (RuntimeException e) {
        bad++;
      }
    }
    return bad;
  }
}
