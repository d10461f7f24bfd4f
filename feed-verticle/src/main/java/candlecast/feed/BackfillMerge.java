package candlecast.feed;

import candlecast.common.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** How a back-fill from REST is merged with the live trades buffered meanwhile. Pure. */
final class BackfillMerge {
  private BackfillMerge() {}

  /**
   * One symbol's trades to write after an outage, in trade-id order.
   *
   * <ul>
   *   <li>REST rows count only when they are newer than what was written before the outage: id
   *       above {@code lastWrittenId}, or, for a symbol with nothing written yet, time at or after
   *       {@code coveredSinceMs} (minus one second unless it is a whole second: REST times are
   *       whole seconds, rounded down).
   *   <li>Live trades buffered during the back-fill all count; where REST and live hold the same
   *       id, the live copy wins (it has the exact time).
   *   <li>Rows without a usable id (negative) are passed through first, unchanged, for the gate to
   *       reject.
   * </ul>
   */
  static List<Trade> merge(
      List<Trade> rest, List<Trade> live, long lastWrittenId, long coveredSinceMs) {
    List<Trade> out = new ArrayList<>();
    TreeMap<Long, Trade> byId = new TreeMap<>();
    // REST times are whole seconds (rounded down): from a whole second they compare exactly, else a
    // second earlier
    long restFrom =
        Math.floorMod(coveredSinceMs, 1000) == 0 ? coveredSinceMs : coveredSinceMs - 1000;
    for (Trade t : rest) {
      if (t.id() < 0) {
        out.add(t);
      } else if (lastWrittenId >= 0 ? t.id() > lastWrittenId : t.time() >= restFrom) {
        byId.put(t.id(), t);
      }
    }
    for (Trade t : live) {
      if (t.id() < 0) {
        out.add(t);
      } else {
        byId.put(t.id(), t);
      }
    }
    out.addAll(byId.values());
    return out;
  }
}
