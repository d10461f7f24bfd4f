package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;

/**
 * Appends one closed candle (and the flat windows before it) to a ring and evaluates the ring's
 * alerts on each appended window. A window the folder emitted has as cause the record of the batch
 * whose event time reached its end plus grace; a synthesized flat window has none (fired at its
 * end).
 */
final class CandleFires implements CandleRing.Listener {
  private final AlertBook book;
  private final SymbolAlerts s;
  private final CandleRing ring;
  private final long batch;

  CandleFires(AlertBook book, SymbolAlerts s, CandleRing ring, long batch) {
    this.book = book;
    this.s = s;
    this.ring = ring;
    this.batch = batch;
  }

  private boolean traded;

  void add(long openTime, double o, double h, double l, double c, double v, boolean traded) {
    this.traded = traded;
    ring.add(openTime, o, h, l, c, v, this);
  }

  @Override
  public void appended(boolean synthesized) {
    int k = ring.size() - 1;
    Timeframe tf = ring.tf;
    long end = tf.windowEnd(ring.start(k));
    long due = end + book.graceMs;
    int cause = synthesized || !traded ? -1 : s.cause(batch, due);
    JsonObject trade = null;
    long time = end;
    if (cause >= 0) {
      time = s.causeTime(cause);
      if (s.causeTrade(cause)) {
        trade =
            FireEvents.trade(
                s.causeId(cause),
                time,
                s.causePrice(cause),
                s.causeAmount(cause),
                s.causeOffset(cause));
      }
    }
    for (Alert a : ring.alerts.toArray(new Alert[0])) { // a finished alert leaves the list
      if (a.active && !a.done && due > a.activeWatermark) {
        if (a.expiresAt() <= time) {
          book.expireOne(a);
        } else {
          evaluate(a, k, time, trade);
        }
      }
    }
  }

  private void evaluate(Alert a, int k, long time, JsonObject trade) {
    if (k < 1) {
      return; // every condition compares with the window before
    }
    double close = ring.close(k);
    Double value = null;
    double threshold;
    switch (a.cond.kind()) {
      case VOLUME_SPIKE -> {
        double mean = ring.meanVolumeBefore(k, a.cond.n());
        if (Double.isNaN(mean) || !(ring.volume(k) > a.cond.k() * mean)) {
          return;
        }
        value = mean > 0 ? ring.volume(k) / mean : null;
        threshold = a.cond.k();
      }
      case RSI_ABOVE, RSI_BELOW -> {
        double now = ring.rsi(k, a.cond.period());
        double before = ring.rsi(k - 1, a.cond.period());
        double lv = a.cond.level();
        boolean up = a.cond.kind().upward();
        if (Double.isNaN(before) || !(up ? before <= lv && lv < now : before >= lv && lv > now)) {
          return;
        }
        value = now;
        threshold = lv;
      }
      default -> {
        double now = ring.sma(k, a.cond.period());
        double before = ring.sma(k - 1, a.cond.period());
        double prevClose = ring.close(k - 1);
        boolean up = a.cond.kind().upward();
        if (Double.isNaN(before)
            || !(up ? prevClose <= before && close > now : prevClose >= before && close < now)) {
          return;
        }
        value = close;
        threshold = now;
      }
    }
    fire(a, k, time, trade, value, threshold);
  }

  private void fire(Alert a, int k, long time, JsonObject trade, Double value, double threshold) {
    if (!a.fire(time)) {
      return;
    }
    Timeframe tf = ring.tf;
    String fireId = FireEvents.candleFireId(a.id, tf, ring.start(k));
    JsonObject candle =
        FireEvents.candle(
            tf,
            ring.start(k),
            ring.open(k),
            ring.high(k),
            ring.low(k),
            ring.close(k),
            ring.volume(k));
    book.fired(
        a,
        fireId,
        FireEvents.event(
            a, fireId, trade == null ? null : trade.copy(), candle, value, threshold, time));
  }
}
