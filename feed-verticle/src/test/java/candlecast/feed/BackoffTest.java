package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesWithJitterUpToTheCapForever() {
    Backoff b = new Backoff(100, 5_000, new Random(1));
    long[] ceilings = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (long c : ceilings) {
      long d = b.nextDelayMs();
      assertThat(d).as("ceiling %d", c).isBetween(c / 2, c);
    }
    for (int i = 0; i < 10_000; i++) {
      assertThat(b.nextDelayMs()).isBetween(2_500L, 5_000L);
    }
  }

  @Test
  void jitterSpreadsTheDelays() {
    Backoff b = new Backoff(1_000, 1_000, new Random(2));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1_000; i++) {
      long d = b.nextDelayMs();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(550);
    assertThat(max).isGreaterThan(950);
  }

  @Test
  void resetStartsOver() {
    Backoff b = new Backoff(100, 10_000, new Random(3));
    for (int i = 0; i < 10; i++) {
      b.nextDelayMs();
    }
    assertThat(b.attempts()).isEqualTo(10);
    b.reset();
    assertThat(b.nextDelayMs()).isBetween(50L, 100L);
  }

  @Test
  void rejectsBadBounds() {
    assertThatThrownBy(() -> new Backoff(0, 10, new Random())).hasMessageContaining("min");
    assertThatThrownBy(() -> new Backoff(100, 10, new Random())).hasMessageContaining("max");
  }
}
