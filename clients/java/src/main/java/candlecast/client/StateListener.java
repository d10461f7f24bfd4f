package candlecast.client;

/** Observes the connection's state; called on the client's event thread (do not block). */
@FunctionalInterface
public interface StateListener {
  /**
   * Called on every state change.
   *
   * @param change the new state and why
   */
  void onState(StateChange change);
}
