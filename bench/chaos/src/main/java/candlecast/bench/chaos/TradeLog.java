package candlecast.bench.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What one client received of one symbol's trade tape: ids must follow each other (the ground
 * truth's ids are contiguous per symbol). A jump after a {@code gap} marker or a {@code
 * recovered:false} snapshot is explained; any other jump, and any id again, is a violation.
 */
final class TradeLog {
  final String client;
  final String symbol;
  long lastId = -1;
  long received;
  final List<String> duplicates = new ArrayList<>();
  final List<String> holes = new ArrayList<>();
  final List<String> explainedHoles = new ArrayList<>();
  private String breakReason;

  TradeLog(String client, String symbol) {
    this.client = client;
    this.symbol = symbol;
  }

  void streamBreak(String reason) {
    breakReason = reason;
  }

  void trade(long id) {
    received++;
    if (lastId >= 0 && id <= lastId) {
      duplicates.add(symbol + " trade " + id + " after " + lastId + " at " + client);
      return;
    }
    if (lastId >= 0 && id > lastId + 1) {
      String hole = symbol + " trades (" + lastId + "," + id + ") missing at " + client;
      if (breakReason != null) {
        explainedHoles.add(hole + " (" + breakReason + ")");
      } else {
        holes.add(hole);
      }
    }
    breakReason = null;
    lastId = id;
  }
}
