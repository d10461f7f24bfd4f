package candlecast.client;

import java.util.List;

/**
 * What a subscription's {@link java.util.concurrent.Flow.Publisher} yields: a snapshot, then
 * updates.
 *
 * @param <T> the item model
 */
public sealed interface StreamEvent<T> permits StreamEvent.Snapshot, StreamEvent.Update {

  /**
   * The newest items when a subscription starts, or the fresh state after a resume the server could
   * not recover ({@code recovered == FALSE}: replace what you hold, do not append).
   *
   * @param symbol canonical symbol (null for alerts)
   * @param tf timeframe, or null
   * @param recovered null on a first subscribe, false when a resume could not close the gap
   * @param items oldest first
   * @param <T> the item model
   */
  record Snapshot<T>(String symbol, String tf, Boolean recovered, List<T> items)
      implements StreamEvent<T> {}

  /**
   * One live item (also the items a resume recovered, delivered as plain updates).
   *
   * @param item the item
   * @param <T> the item model
   */
  record Update<T>(T item) implements StreamEvent<T> {}
}
