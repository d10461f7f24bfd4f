package candlecast.aggregator.alerts;

import candlecast.common.alerts.AlertKind;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Evaluates the trade-driven alerts of a symbol on one trade (reused: fold thread only). */
final class TradeFires {
  private final AlertBook book;
  private final Consumer<Alert> priceCrossed = this::priceCrossed;
  private final BiConsumer<Alert, Double> moved = this::moved;
  private SymbolAlerts s;
  private long offset;
  private long id;
  private long time;
  private double price;
  private double amount;

  TradeFires(AlertBook book) {
    this.book = book;
  }

  void evaluate(SymbolAlerts s, long offset, long id, long time, double price, double amount) {
    this.s = s;
    this.offset = offset;
    this.id = id;
    this.time = time;
    this.price = price;
    this.amount = amount;
    s.prices.onTrade(s.lastPrice, price, priceCrossed);
    for (int i = s.moves.size() - 1; i >= 0; i--) { // backwards: a finished group leaves
      MoveGroup g = s.moves.get(i);
      if (offset >= g.fromOffset) {
        g.onTrade(time, price, moved);
      }
    }
    for (int i = s.breakouts.size() - 1; i >= 0; i--) {
      breakout(s.breakouts.get(i));
    }
    this.s = null;
  }

  private void priceCrossed(Alert a) {
    fire(a, price, a.level());
  }

  private void moved(Alert a, double pct) {
    if (a.active) {
      fire(a, pct, a.cond.pct());
    }
  }

  private void breakout(BreakoutSeries b) {
    double prev = s.lastPrice;
    if (!Double.isNaN(prev) && !b.alerts.isEmpty()) {
      double high = b.high(time);
      double low = b.low(time);
      for (int i = b.alerts.size() - 1; i >= 0; i--) { // backwards: a finished alert leaves
        Alert a = b.alerts.get(i);
        if (!a.active || a.done || Double.isNaN(high)) {
          continue;
        }
        if (a.cond.kind() == AlertKind.BREAKOUT_HIGH) {
          if (price > high && prev <= high) {
            fire(a, price, high);
          }
        } else if (price < low && prev >= low) {
          fire(a, price, low);
        }
      }
    }
    b.add(time, price, price, price);
  }

  private void fire(Alert a, double value, double threshold) {
    if (!a.fire(time)) {
      return;
    }
    String fireId = FireEvents.tradeFireId(a.id, offset);
    book.fired(
        a,
        fireId,
        FireEvents.event(
            a,
            fireId,
            FireEvents.trade(id, time, price, amount, offset),
            null,
            value,
            threshold,
            time));
  }
}
