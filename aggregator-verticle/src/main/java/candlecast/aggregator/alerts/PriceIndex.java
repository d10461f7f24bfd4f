package candlecast.aggregator.alerts;

import candlecast.common.alerts.AlertKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The price-cross alerts of one symbol in four heaps, so that a trade that crosses no level costs
 * four peeks whatever the number of alerts: above-armed (previous price below the level, lowest
 * level first), above-waiting (previous price at or above it, highest first), below-armed (previous
 * price above it, highest first), below-waiting (at or below it, lowest first). A trade moves the
 * alerts whose level it passed between an armed and a waiting heap (firing the armed ones); deleted
 * and finished alerts are dropped when they reach a top (lazy deletion).
 */
final class PriceIndex {
  private static final Comparator<Alert> ASC = Comparator.comparingDouble(Alert::level);
  private static final Comparator<Alert> DESC = ASC.reversed();

  private final PriorityQueue<Alert> aboveArmed = new PriorityQueue<>(ASC);
  private final PriorityQueue<Alert> aboveWaiting = new PriorityQueue<>(DESC);
  private final PriorityQueue<Alert> belowArmed = new PriorityQueue<>(DESC);
  private final PriorityQueue<Alert> belowWaiting = new PriorityQueue<>(ASC);

  /** Alerts activated before the symbol had a price: the next trade only places them. */
  private final List<Alert> unplaced = new ArrayList<>();

  // The four tops' levels (infinite when empty), so that a trade that moves nothing compares four
  // doubles and touches no alert.
  private double aboveArmedTop = Double.POSITIVE_INFINITY;
  private double aboveWaitingTop = Double.NEGATIVE_INFINITY;
  private double belowArmedTop = Double.NEGATIVE_INFINITY;
  private double belowWaitingTop = Double.POSITIVE_INFINITY;

  private void tops() {
    Alert a = aboveArmed.peek();
    aboveArmedTop = a == null ? Double.POSITIVE_INFINITY : a.level();
    a = aboveWaiting.peek();
    aboveWaitingTop = a == null ? Double.NEGATIVE_INFINITY : a.level();
    a = belowArmed.peek();
    belowArmedTop = a == null ? Double.NEGATIVE_INFINITY : a.level();
    a = belowWaiting.peek();
    belowWaitingTop = a == null ? Double.POSITIVE_INFINITY : a.level();
  }

  /** Places an activated alert given the symbol's previous price (NaN: none yet). */
  void add(Alert a, double prev) {
    if (Double.isNaN(prev)) {
      unplaced.add(a);
      return;
    }
    place(a, prev);
  }

  private void place(Alert a, double prev) {
    if (a.cond.kind() == AlertKind.PRICE_ABOVE) {
      (prev < a.level() ? aboveArmed : aboveWaiting).add(a);
    } else {
      (prev > a.level() ? belowArmed : belowWaiting).add(a);
    }
    tops();
  }

  /**
   * A trade at {@code price} after {@code prev} (NaN: the symbol's first): hands each armed alert
   * whose level it reached to {@code crossed} (which decides whether it is a fire), then leaves
   * every alert in the heap that matches {@code price}.
   */
  void onTrade(double prev, double price, Consumer<Alert> crossed) {
    if (!unplaced.isEmpty()) {
      for (Alert a : unplaced) {
        if (!a.done) {
          place(a, price); // the first price only sets the previous price
        }
      }
      unplaced.clear();
      if (Double.isNaN(prev)) {
        return;
      }
    }
    if (price < aboveArmedTop
        && price >= aboveWaitingTop
        && price > belowArmedTop
        && price <= belowWaitingTop) {
      return; // no level passed (finished alerts at a top are dropped on a later move)
    }
    Alert a;
    while ((a = aboveArmed.peek()) != null && (a.done || a.level() <= price)) {
      aboveArmed.poll();
      if (!a.done) {
        crossed.accept(a);
        park(a, aboveWaiting);
      }
    }
    while ((a = aboveWaiting.peek()) != null && (a.done || a.level() > price)) {
      aboveWaiting.poll();
      park(a, aboveArmed);
    }
    while ((a = belowArmed.peek()) != null && (a.done || a.level() >= price)) {
      belowArmed.poll();
      if (!a.done) {
        crossed.accept(a);
        park(a, belowWaiting);
      }
    }
    while ((a = belowWaiting.peek()) != null && (a.done || a.level() < price)) {
      belowWaiting.poll();
      park(a, belowArmed);
    }
    tops();
  }

  private static void park(Alert a, PriorityQueue<Alert> heap) {
    if (!a.done) {
      heap.add(a);
    }
  }

  /** Entries held, finished ones not yet dropped included. */
  int size() {
    return aboveArmed.size()
        + aboveWaiting.size()
        + belowArmed.size()
        + belowWaiting.size()
        + unplaced.size();
  }
}
