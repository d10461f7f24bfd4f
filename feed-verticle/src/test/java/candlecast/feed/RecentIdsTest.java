package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

  @Test
  void remembersTheLastCapacityIdsAndForgetsTheOldest() {
    RecentIds ids = new RecentIds(3);
    assertThat(ids.add(10)).isTrue();
    assertThat(ids.add(11)).isTrue();
    assertThat(ids.add(10)).as("duplicate").isFalse();
    assertThat(ids.add(12)).isTrue();
    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.add(13)).isTrue(); // forgets 10
    assertThat(ids.contains(10)).isFalse();
    assertThat(ids.contains(11)).isTrue();
    assertThat(ids.contains(13)).isTrue();
    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.add(10)).as("forgotten, so new again").isTrue();
    assertThat(ids.contains(11)).isFalse();
  }

  @Test
  void largeIdsBeyondTwoToThe53AreDistinct() {
    RecentIds ids = new RecentIds(8);
    long big = (1L << 53) + 1;
    assertThat(ids.add(big)).isTrue();
    assertThat(ids.add(big - 1)).isTrue();
    assertThat(ids.contains(big)).isTrue();
    assertThat(ids.contains(big + 1)).isFalse();
  }

  @Test
  void aMillionIdsKeepMemoryBounded() {
    RecentIds ids = new RecentIds(1000);
    for (long i = 0; i < 1_000_000; i++) {
      ids.add(i);
    }
    assertThat(ids.size()).isEqualTo(1000);
    assertThat(ids.contains(999_000)).isTrue();
    assertThat(ids.contains(998_999)).isFalse();
  }

  @Test
  void growingTheRingKeepsExactlyTheLastCapacityIds() {
    for (int capacity : new int[] {1, 255, 256, 257, 1000, 4096}) {
      RecentIds ids = new RecentIds(capacity);
      int n = 3 * capacity + 17;
      for (long i = 0; i < n; i++) {
        assertThat(ids.add(i)).isTrue();
        assertThat(ids.size()).isEqualTo((int) Math.min(i + 1, capacity));
      }
      for (long i = 0; i < n; i++) {
        assertThat(ids.contains(i))
            .as("capacity %d, id %d", capacity, i)
            .isEqualTo(i >= n - capacity);
      }
    }
  }

  @Test
  void rejectsZeroCapacity() {
    assertThatThrownBy(() -> new RecentIds(0)).hasMessageContaining("capacity");
  }
}
