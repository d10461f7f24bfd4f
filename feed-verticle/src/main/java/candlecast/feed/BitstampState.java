package candlecast.feed;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where the Bitstamp source is in its life, as /health reports it ({@link #label()}). As with Kafka
 * Streams' {@code KafkaStreams.State}, each state lists the states it may move to and any other
 * move is a bug ({@link #to(BitstampState)} throws {@link IllegalStateException}).
 *
 * <pre>
 *   CREATED ─▶ CONNECTING ◀─▶ SUBSCRIBING ─▶ LIVE ◀─▶ BACKFILLING ◀─▶ WAITING_FOR_KAFKA
 *                  ▲               ▲           │          │                 │
 *                  └───────────────┴───────────┴──────────┴─────────────────┘  (the connection was lost)
 *   every state but STOPPED ─▶ STOPPED
 * </pre>
 *
 * A new state (e.g. a standby that waits for leadership) is one constant plus its line in {@link
 * #successors()}: the switch there does not compile without it.
 */
enum BitstampState {
  /** Constructed, not started. */
  CREATED("created"),
  /** No subscribed connection, and none open yet: connecting, or waiting for the next attempt. */
  CONNECTING("connecting"),
  /** A connection is open and subscribing; none is subscribed. */
  SUBSCRIBING("subscribing"),
  /** Subscribed, and every trade since the last outage is written: watermarks flow. */
  LIVE("live"),
  /** Subscribed, with an outage to back-fill from REST; live trades are buffered meanwhile. */
  BACKFILLING("back-filling"),
  /**
   * Subscribed, but the Kafka buffer refused a trade: live trades are dropped until it has room,
   * then back-filled.
   */
  WAITING_FOR_KAFKA("waiting-for-kafka"),
  /** Stopped for good. */
  STOPPED("stopped");

  private final String label;

  BitstampState(String label) {
    this.label = label;
  }

  /** The name /health shows. */
  String label() {
    return label;
  }

  /** The states this one may move to. */
  Set<BitstampState> successors() {
    return switch (this) {
      case CREATED -> EnumSet.of(CONNECTING, STOPPED);
      case CONNECTING -> EnumSet.of(SUBSCRIBING, STOPPED);
      case SUBSCRIBING -> EnumSet.of(CONNECTING, LIVE, BACKFILLING, WAITING_FOR_KAFKA, STOPPED);
      case LIVE -> EnumSet.of(CONNECTING, SUBSCRIBING, BACKFILLING, WAITING_FOR_KAFKA, STOPPED);
      case BACKFILLING -> EnumSet.of(CONNECTING, SUBSCRIBING, LIVE, WAITING_FOR_KAFKA, STOPPED);
      case WAITING_FOR_KAFKA -> EnumSet.of(CONNECTING, SUBSCRIBING, BACKFILLING, STOPPED);
      case STOPPED -> EnumSet.noneOf(BitstampState.class);
    };
  }

  boolean isValidTransition(BitstampState next) {
    return successors().contains(next);
  }

  /**
   * {@code next}, if this state may move to it.
   *
   * @throws IllegalStateException otherwise
   */
  BitstampState to(BitstampState next) {
    if (!isValidTransition(next)) {
      throw new IllegalStateException(
          "bitstamp: invalid state transition from " + this + " to " + next);
    }
    return next;
  }
}
