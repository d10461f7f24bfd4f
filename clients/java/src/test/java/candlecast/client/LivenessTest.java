package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LivenessTest {
  private static final long PING_MS = 1_000;
  private static final long LIMIT_MS = 2 * PING_MS + 5000;

  @Test
  void aSocketIsDeadAfterTwoUnansweredPings() {
    Liveness l = new Liveness(PING_MS);
    l.reset(0);
    assertThat(l.check(PING_MS)).isNull();
    l.heard(PING_MS + 10);
    assertThat(l.check(2 * PING_MS)).isNull();
    l.heard(2 * PING_MS + 10);
    assertThat(l.check(3 * PING_MS)).isEqualTo("no pong for " + (PING_MS - 10) + " ms");
  }

  @Test
  void aPongClearsTheUnansweredPings() {
    Liveness l = new Liveness(PING_MS);
    l.reset(0);
    for (int tick = 1; tick <= 10; tick++) {
      assertThat(l.check(tick * PING_MS)).isNull();
      l.heard(tick * PING_MS + 5);
      l.ponged();
    }
  }

  @Test
  void aSilenceLongerThanTwoIntervalsAndFiveSecondsIsDeadEvenWithoutPings() {
    Liveness l = new Liveness(PING_MS);
    l.reset(100);
    l.ponged();
    assertThat(l.check(100 + LIMIT_MS)).isNull();
    l.ponged();
    assertThat(l.check(101 + LIMIT_MS)).isEqualTo("no pong for " + (LIMIT_MS + 1) + " ms");
  }

  @Test
  void aNewSocketStartsAfresh() {
    Liveness l = new Liveness(PING_MS);
    l.reset(0);
    assertThat(l.check(10)).isNull();
    assertThat(l.check(20)).isNull();
    assertThat(l.check(30)).isNotNull();
    l.reset(1_000_000);
    assertThat(l.check(1_000_010)).isNull();
  }
}
