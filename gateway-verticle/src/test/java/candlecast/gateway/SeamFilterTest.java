package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeamFilterTest {
  private static Candle c(long t, long n, boolean closed) {
    return new Candle("BTCUSD", Timeframe.S1, t, 1, 1, 1, 1, n, n, closed);
  }

  @Test
  void newerThanTheSnapshotPassesOlderOrEqualClosedDoesNot() {
    SeamFilter f = SeamFilter.after(List.of(c(1000, 3, true), c(2000, 5, true)), null);
    assertThat(f.pass(1000, 3, true)).isFalse();
    assertThat(f.pass(2000, 5, true)).isFalse();
    assertThat(f.pass(0, 9, true)).isFalse();
    assertThat(f.pass(3000, 1, false)).isTrue();
  }

  @Test
  void anOpenCandleOfTheSnapshotPassesOnlyWithMoreTradesOrItsClose() {
    // t=1000 still in grace (open), t=2000 current (open)
    SeamFilter f =
        SeamFilter.after(List.of(c(0, 1, true), c(1000, 4, false), c(2000, 2, false)), null);
    assertThat(f.pass(1000, 3, false)).as("older version buffered before the snapshot").isFalse();
    assertThat(f.pass(1000, 4, false)).as("same version: duplicate").isFalse();
    assertThat(f.pass(1000, 5, false)).isTrue();
    assertThat(f.pass(1000, 5, false)).as("the same newer version twice").isFalse();
    assertThat(f.pass(1000, 5, true)).as("the closing version always passes once").isTrue();
    assertThat(f.pass(1000, 5, true)).isFalse();
    assertThat(f.pass(1000, 6, false)).as("nothing after the close").isFalse();
    assertThat(f.pass(2000, 2, false)).isFalse();
    assertThat(f.pass(2000, 2, true)).isTrue();
    assertThat(f.pass(3000, 0, false)).isTrue();
  }

  @Test
  void emptySnapshotWithSinceLetsThroughFromSinceOn() {
    SeamFilter f = SeamFilter.after(List.of(), 5000L);
    assertThat(f.pass(4000, 1, true)).isFalse();
    assertThat(f.pass(5000, 1, false)).isTrue();
    assertThat(SeamFilter.after(List.of(), null).pass(Long.MIN_VALUE + 1, 0, false)).isTrue();
    assertThat(SeamFilter.none().pass(0, 0, false)).isTrue();
  }

  private static Candle partial(long t, long n, boolean closed) {
    return new Candle("BTCUSD", Timeframe.S1, t, 1, 1, 1, 1, n, n, closed, true);
  }

  /**
   * A gap record after the snapshot: what the snapshot showed whole comes again partial, once;
   * nothing else does.
   */
  @Test
  void aPartialVersionOfACandleTheSnapshotShowedWholePassesOnce() {
    SeamFilter f =
        SeamFilter.after(
            List.of(c(1000, 3, true), partial(2000, 5, true), c(3000, 2, false)), null);
    assertThat(f.pass(1000, 3, true, true)).as("closed, shown whole").isTrue();
    assertThat(f.pass(1000, 3, true, true)).as("only once").isFalse();
    assertThat(f.pass(2000, 5, true, true)).as("shown partial already").isFalse();
    assertThat(f.pass(3000, 2, false, true)).as("open, marked without a new trade").isTrue();
    assertThat(f.pass(3000, 2, false, true)).isFalse();
    assertThat(f.pass(3000, 3, false, true)).as("more trades pass as before").isTrue();
    assertThat(f.pass(3000, 3, true, true)).as("and the close").isTrue();
    assertThat(f.pass(0, 1, true, true))
        .as("older than the snapshot: the client has nothing there")
        .isFalse();
    assertThat(f.pass(4000, 1, false, true)).isTrue();
    assertThat(f.pass(1000, 3, true, false))
        .as("whole versions of a seen candle stay dropped")
        .isFalse();
  }

  @Test
  void withSinceAndAnEmptySnapshotPartialUpdatesBeforeSinceStayDropped() {
    SeamFilter f = SeamFilter.after(List.of(), 5000L);
    assertThat(f.pass(4000, 1, true, true)).isFalse();
    assertThat(f.pass(5000, 1, true, true)).isTrue();
    assertThat(SeamFilter.none().pass(0, 1, true, true)).isTrue();
  }

  /**
   * A snapshot whose tail is synthesized flat windows (issue 15): the open flat one passes once
   * closed or once it trades, and a live jump (the implied window before the first open one, then
   * the new open window) is newer than the snapshot, so it passes.
   */
  @Test
  void aSnapshotEndingInSynthesizedFlatWindowsJoinsTheLiveStream() {
    SeamFilter f =
        SeamFilter.after(List.of(c(0, 3, true), c(1000, 0, true), c(2000, 0, false)), null);
    assertThat(f.pass(1000, 0, true)).as("a closed flat window shown already").isFalse();
    assertThat(f.pass(2000, 0, false)).as("the same open flat window").isFalse();
    assertThat(f.pass(2000, 1, false)).as("it trades").isTrue();
    assertThat(f.pass(2000, 1, true)).as("it closes").isTrue();
    assertThat(f.pass(9000, 0, true)).as("a jump's implied window").isTrue();
    assertThat(f.pass(10_000, 0, false)).as("the window open after the jump").isTrue();
  }
}
