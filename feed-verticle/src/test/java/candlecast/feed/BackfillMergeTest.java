package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackfillMergeTest {
  private static Trade t(long id, long time) {
    return new Trade("BTCUSD", id, time, 100, 1, Side.BUY);
  }

  @Test
  void keepsRestRowsAfterTheLastWrittenIdAndPrefersLiveCopiesInIdOrder() {
    // REST is newest first, seconds only; live trades buffered during the back-fill have exact
    // times.
    List<Trade> rest =
        List.of(t(107, 5_000), t(106, 5_000), t(105, 4_000), t(104, 4_000), t(103, 3_000));
    List<Trade> live = List.of(t(106, 5_432), t(108, 5_900), t(107, 5_100));
    List<Trade> merged = BackfillMerge.merge(rest, live, 104, 0);
    assertThat(merged).extracting(Trade::id).containsExactly(105L, 106L, 107L, 108L);
    assertThat(merged.get(1).time()).as("live copy wins").isEqualTo(5_432);
    assertThat(merged.get(2).time()).isEqualTo(5_100);
    assertThat(merged.get(0).time()).isEqualTo(4_000);
  }

  @Test
  void withNothingWrittenYetRestRowsFromTheCoverageStartCount() {
    List<Trade> rest = List.of(t(5, 12_000), t(4, 10_000), t(3, 9_000), t(2, 8_000));
    List<Trade> merged = BackfillMerge.merge(rest, List.of(), -1, 10_500);
    // 10,000 is within the one-second resolution of REST times, 9,000 is before coverage began.
    assertThat(merged).extracting(Trade::id).containsExactly(4L, 5L);
  }

  @Test
  void rowsWithoutAnIdArePassedOnForRejection() {
    List<Trade> merged = BackfillMerge.merge(List.of(t(-1, 1), t(9, 1)), List.of(), 5, 0);
    assertThat(merged).extracting(Trade::id).containsExactly(-1L, 9L);
  }
}
