package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
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

  /**
   * Ids mostly ascending with stragglers, repeats and wild values: membership equals a plain FIFO
   * model's.
   */
  @Test
  void matchesAFifoModelWhateverTheOrderOfArrival() {
    Random rnd = new Random(42);
    for (int capacity : new int[] {1, 2, 7, 64, 1000}) {
      LongDedup d = new LongDedup(capacity);
      ArrayDeque<Long> fifo = new ArrayDeque<>();
      HashSet<Long> set = new HashSet<>();
      long next = 1_000;
      for (int i = 0; i < 200_000; i++) {
        long id;
        int r = rnd.nextInt(100);
        if (r < 70) {
          id = next += 1 + rnd.nextInt(3); // ascending
        } else if (r < 85) {
          id = next - rnd.nextInt(2 * capacity + 2); // straggler or repeat of a recent id
        } else if (r < 95) {
          id = next - rnd.nextInt(20); // near repeat
        } else {
          id = rnd.nextInt(5) == 0 ? Long.MIN_VALUE + rnd.nextInt(3) : rnd.nextLong();
        }
        boolean expected = id != Long.MIN_VALUE && id != Long.MIN_VALUE + 1 && !set.contains(id);
        assertThat(d.add(id)).as("add(%d) #%d capacity %d", id, i, capacity).isEqualTo(expected);
        if (expected) {
          fifo.addLast(id);
          set.add(id);
          if (fifo.size() > capacity) {
            set.remove(fifo.removeFirst());
          }
        }
        long probe = next - rnd.nextInt(3 * capacity + 3);
        assertThat(d.contains(probe)).as("contains(%d)", probe).isEqualTo(set.contains(probe));
      }
      assertThat(d.size()).isEqualTo(fifo.size());
      assertThat(d.toArray()).containsExactly(fifo.stream().mapToLong(Long::longValue).toArray());
    }
  }
}
