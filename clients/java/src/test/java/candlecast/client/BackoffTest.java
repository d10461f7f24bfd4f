package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void theCeilingDoublesFromInitialUpToMax() {
    Backoff b = new Backoff(500, 15_000, () -> 1.0);
    long expected = 500;
    for (int attempt = 0; attempt < 12; attempt++) {
      assertThat(b.ceiling(attempt)).isEqualTo(Math.min(15_000, expected));
      expected *= 2;
    }
    assertThat(b.ceiling(1000)).isEqualTo(15_000);
  }

  @Test
  void theDelayIsUniformBetweenZeroAndTheCeiling() {
    assertThat(new Backoff(500, 15_000, () -> 0.0).delay(5)).isZero();
    assertThat(new Backoff(500, 15_000, () -> 0.5).delay(2)).isEqualTo(1000);
    Backoff real = new Backoff(500, 15_000, Math::random);
    for (int i = 0; i < 1000; i++) {
      assertThat(real.delay(3)).isBetween(0L, 4000L);
    }
  }

  @Test
  void aServiceRestartWaitsAtMostHalfASecond() {
    assertThat(new Backoff(500, 15_000, () -> 0.999).restartDelay()).isLessThan(500);
  }

  @Test
  void badBoundsAreRefused() {
    assertThatThrownBy(() -> new Backoff(0, 10, Math::random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(100, 10, Math::random))
        .hasMessageContaining("initial 100 max 10");
  }
}
