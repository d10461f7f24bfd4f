package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.GapRecord;
import candlecast.common.TapeTrade;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives the {@link FoldLoop}'s output on its thread; implementations hand it to the event loop.
 */
interface FoldOutput {
  void candles(List<Candle> batch);

  /**
   * Each symbol's non-duplicate trades of one batch, in log order, with their offsets as {@code
   * seq}.
   */
  void tape(Map<String, List<TapeTrade>> runs);

  /** The gap records of one batch (before its candles), for the history's gap spans. */
  void gaps(List<GapRecord> gaps);

  void partitionLoaded(
      int partition, HistoryStore history, Map<String, TradeRing> rings, Set<String> symbols);

  void partitionDropped(int partition, Set<String> symbols);

  /** Called after every assignment (also an empty one), once its partitions are restored. */
  void assigned(Set<Integer> partitions);

  /**
   * An alert fire committed in {@code alerts.fires} (on the loop thread, after the transaction that
   * wrote it committed), with the alert's record after it (issue 17).
   */
  default void alertFired(JsonObject fire, JsonObject alert) {}
}
