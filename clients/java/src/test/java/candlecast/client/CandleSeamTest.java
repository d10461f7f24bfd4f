package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandleSeamTest {
  private static Candle c(long t, long trades, boolean closed, boolean partial) {
    return new Candle("BTCUSD", "1s", t, 1, 1, 1, 1, trades, trades, closed, partial, null);
  }

  @Test
  void sinceIsTheWindowAfterTheLastClosedOrTheFirstSnapshotCandle() {
    CandleSeam s = new CandleSeam("1s");
    assertThat(s.since()).isNull();
    s.delivered(c(5000, 1, false, false), true);
    assertThat(s.since()).isEqualTo(5000);
    s.delivered(c(5000, 2, true, false), false);
    assertThat(s.since()).isEqualTo(5001);
  }

  @Test
  void afterAGapTheResumeAsksFromItsFromUntilASnapshotAnswers() {
    CandleSeam s = new CandleSeam("1m");
    s.delivered(c(0, 1, true, false), true);
    s.delivered(c(60_000, 1, true, false), false);
    s.gap(120_000);
    assertThat(s.since()).as("the hole starts at the next window").isEqualTo(120_000);
    s.gap(180_000);
    assertThat(s.since()).as("the older of two gaps").isEqualTo(120_000);
    s.resumed();
    assertThat(s.since()).as("answered: back to the last closed + 1").isEqualTo(60_001);
    s.gap(300_000);
    assertThat(s.since())
        .as("windows before the hole not delivered closed yet are asked for too")
        .isEqualTo(120_000);
    s.resumed();
    s.delivered(c(120_000, 1, true, false), false);
    s.delivered(c(180_000, 1, true, false), false);
    s.gap(60_000);
    assertThat(s.since())
        .as("a hole over windows already delivered: from (the seam drops them)")
        .isEqualTo(60_000);
    s.reset();
    assertThat(s.since()).isNull();
    s.gap(240_000);
    assertThat(s.since()).as("nothing delivered").isEqualTo(240_000);
  }

  @Test
  void anOpenWindowIsRepeatedOnlyWithMoreTradesClosedOrNewlyPartial() {
    CandleSeam s = new CandleSeam("1s");
    s.delivered(c(1000, 3, true, false), true);
    s.delivered(c(2000, 4, false, false), false);
    assertThat(s.accept(c(2000, 4, false, false))).isFalse();
    assertThat(s.accept(c(2000, 3, false, false))).as("a replay with fewer trades").isFalse();
    assertThat(s.accept(c(2000, 5, false, false))).isTrue();
    assertThat(s.accept(c(2000, 4, false, true))).isTrue();
    assertThat(s.accept(c(2000, 4, true, false))).isTrue();
    assertThat(s.accept(c(1000, 3, true, false))).as("a closed window again").isFalse();
    assertThat(s.accept(c(3000, 0, false, false))).isTrue();
  }

  @Test
  void aClosedWindowAfterAHoleIsASkip() {
    CandleSeam s = new CandleSeam("1m");
    s.delivered(c(60_000, 1, true, false), false);
    assertThat(s.skips(c(120_000, 1, true, false))).isFalse();
    assertThat(s.skips(c(180_000, 1, true, false))).isTrue();
    assertThat(s.skips(c(180_000, 1, false, false)))
        .as("open windows run ahead of closes")
        .isFalse();
  }

  @Test
  void monthsFollowTheCalendar() {
    long jan2024 = 1_704_067_200_000L;
    long feb2024 = 1_706_745_600_000L;
    long mar2024 = 1_709_251_200_000L;
    assertThat(Timeframes.next("1M", jan2024)).isEqualTo(feb2024);
    assertThat(Timeframes.next("1M", feb2024)).isEqualTo(mar2024);
    assertThat(Timeframes.next("1w", 0)).isEqualTo(604_800_000L);
  }

  /**
   * Oracle: a random stream of versions of consecutive windows (open versions with growing trade
   * counts, then the close), cut at a random point and replayed from an arbitrary earlier point (as
   * a resume snapshot does); what the seam accepts must be exactly the versions not delivered
   * before the cut, and each closed window once.
   */
  @Test
  void aReplayFromAnyEarlierPointDeliversEachClosedWindowOnce() {
    Random rnd = new Random(18);
    for (int round = 0; round < 200; round++) {
      List<Candle> stream = new ArrayList<>();
      for (int w = 0; w < 20; w++) {
        long trades = 0;
        int opens = rnd.nextInt(4);
        for (int v = 0; v < opens; v++) {
          trades += 1 + rnd.nextInt(3);
          stream.add(c(w * 1000L, trades, false, false));
        }
        stream.add(c(w * 1000L, trades, true, false));
      }
      int cut = 1 + rnd.nextInt(stream.size() - 1);
      int replayFrom = rnd.nextInt(cut);
      CandleSeam seam = new CandleSeam("1s");
      List<Candle> delivered = new ArrayList<>();
      for (Candle x : stream.subList(0, cut)) {
        if (seam.accept(x)) {
          seam.delivered(x, false);
          delivered.add(x);
        }
      }
      for (Candle x : stream.subList(replayFrom, stream.size())) {
        if (seam.accept(x)) {
          seam.delivered(x, false);
          delivered.add(x);
        }
      }
      assertThat(delivered)
          .as("round %d cut %d replay %d", round, cut, replayFrom)
          .isEqualTo(stream);
    }
  }
}
