package candlecast.client;

/**
 * One state change of the connection.
 *
 * @param state the new state
 * @param attempt the reconnect attempt (0 on the first connection and after reaching connected)
 * @param delayMs the back-off delay before the next attempt (reconnecting only, else 0)
 * @param error what caused the change, or null
 */
public record StateChange(
    ConnectionState state, int attempt, long delayMs, CandlecastException error) {}
