package candlecast.client;

/**
 * Callbacks of a subscription; called on the client's event thread, in order (do not block in
 * them).
 *
 * @param <T> the item model
 */
@FunctionalInterface
public interface StreamListener<T> {
  /**
   * Each live item, and the items a resume recovered.
   *
   * @param item the item
   */
  void onUpdate(T item);

  /**
   * The first snapshot, and a fresh one when a resume could not recover ({@code recovered ==
   * FALSE}).
   *
   * @param snapshot the snapshot
   */
  default void onSnapshot(StreamEvent.Snapshot<T> snapshot) {}

  /**
   * A failure of the subscription (a refused subscribe; a resume that keeps failing is retried, not
   * reported).
   *
   * @param error the error
   */
  default void onError(CandlecastException error) {}
}
