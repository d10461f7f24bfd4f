package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LongDedupTest {
  @Test
  void remembersTheLastCapacityIds() {
    LongDedup d = new LongDedup(3);
    assertThat(d.add(1)).isTrue();
    assertThat(d.add(2)).isTrue();
    assertThat(d.add(1)).isFalse();
    assertThat(d.add(3)).isTrue();
    assertThat(d.add(4)).isTrue(); // evicts 1
    assertThat(d.contains(1)).isFalse();
    assertThat(d.contains(2)).isTrue();
    assertThat(d.toArray()).containsExactly(2, 3, 4);
  }

  @Test
  void staysCorrectAcrossManyEvictions() {
    LongDedup d = new LongDedup(1000);
    for (long i = 0; i < 1_000_000; i++) {
      assertThat(d.add(i * 7919)).isTrue();
      if (i >= 999) {
        assertThat(d.contains((i - 999) * 7919)).isTrue();
      }
      if (i >= 1000) {
        assertThat(d.contains((i - 1000) * 7919)).isFalse();
      }
    }
    assertThat(d.size()).isEqualTo(1000);
  }
}
