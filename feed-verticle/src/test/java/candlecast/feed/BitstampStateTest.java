package candlecast.feed;

import static candlecast.feed.BitstampState.BACKFILLING;
import static candlecast.feed.BitstampState.CONNECTING;
import static candlecast.feed.BitstampState.CREATED;
import static candlecast.feed.BitstampState.LIVE;
import static candlecast.feed.BitstampState.STOPPED;
import static candlecast.feed.BitstampState.SUBSCRIBING;
import static candlecast.feed.BitstampState.WAITING_FOR_KAFKA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BitstampStateTest {
  /** The whole transition table, written out once more: a change to it must be deliberate. */
  private static final Map<BitstampState, Set<BitstampState>> TABLE =
      Map.of(
          CREATED, EnumSet.of(CONNECTING, STOPPED),
          CONNECTING, EnumSet.of(SUBSCRIBING, STOPPED),
          SUBSCRIBING, EnumSet.of(CONNECTING, LIVE, BACKFILLING, WAITING_FOR_KAFKA, STOPPED),
          LIVE, EnumSet.of(CONNECTING, SUBSCRIBING, BACKFILLING, WAITING_FOR_KAFKA, STOPPED),
          BACKFILLING, EnumSet.of(CONNECTING, SUBSCRIBING, LIVE, WAITING_FOR_KAFKA, STOPPED),
          WAITING_FOR_KAFKA, EnumSet.of(CONNECTING, SUBSCRIBING, BACKFILLING, STOPPED),
          STOPPED, EnumSet.noneOf(BitstampState.class));

  @Test
  void eachStateMovesExactlyToItsListedSuccessors() {
    assertThat(TABLE.keySet()).containsExactlyInAnyOrder(BitstampState.values());
    for (BitstampState from : BitstampState.values()) {
      assertThat(from.successors()).as("successors of %s", from).isEqualTo(TABLE.get(from));
      for (BitstampState to : BitstampState.values()) {
        assertThat(from.isValidTransition(to))
            .as("%s -> %s", from, to)
            .isEqualTo(TABLE.get(from).contains(to));
      }
    }
  }

  @Test
  void anInvalidTransitionThrowsAndNamesBothStates() {
    for (BitstampState from : BitstampState.values()) {
      for (BitstampState to : BitstampState.values()) {
        if (TABLE.get(from).contains(to)) {
          assertThat(from.to(to)).isSameAs(to);
        } else {
          assertThatThrownBy(() -> from.to(to))
              .as("%s -> %s", from, to)
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("bitstamp: invalid state transition from " + from + " to " + to);
        }
      }
    }
  }

  @Test
  void noStateMovesToItselfOrBackToCreatedAndStoppedIsFinal() {
    for (BitstampState s : BitstampState.values()) {
      assertThat(s.isValidTransition(s)).as("%s -> itself", s).isFalse();
      assertThat(s.isValidTransition(CREATED)).as("%s -> created", s).isFalse();
      assertThat(s.isValidTransition(STOPPED)).as("%s -> stopped", s).isEqualTo(s != STOPPED);
    }
    assertThat(STOPPED.successors()).isEmpty();
  }

  @Test
  void theLifeOfASourceThroughOutagesIsOneValidPath() {
    // Start, subscribe, lose the connection, back-fill, Kafka full mid-back-fill, room again, live,
    // lost while
    // waiting for Kafka, resubscribed still waiting, stop.
    BitstampState s = CREATED;
    for (BitstampState next :
        new BitstampState[] {
          CONNECTING,
          SUBSCRIBING,
          LIVE,
          CONNECTING,
          SUBSCRIBING,
          BACKFILLING,
          WAITING_FOR_KAFKA,
          BACKFILLING,
          LIVE,
          WAITING_FOR_KAFKA,
          SUBSCRIBING,
          WAITING_FOR_KAFKA,
          STOPPED
        }) {
      s = s.to(next);
    }
    assertThat(s).isEqualTo(STOPPED);
    // Kafka's room always leads to a back-fill first, never straight to live.
    assertThatThrownBy(() -> WAITING_FOR_KAFKA.to(LIVE)).isInstanceOf(IllegalStateException.class);
    // Nothing is subscribed before a connection is open.
    assertThatThrownBy(() -> CONNECTING.to(LIVE)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void labelsAreTheNamesHealthReports() {
    assertThat(Arrays.stream(BitstampState.values()).map(BitstampState::label))
        .containsExactly(
            "created",
            "connecting",
            "subscribing",
            "live",
            "back-filling",
            "waiting-for-kafka",
            "stopped");
  }
}
