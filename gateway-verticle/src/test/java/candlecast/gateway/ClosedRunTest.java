package candlecast.gateway;

import static candlecast.gateway.ClosedRun.Verdict.DROP;
import static candlecast.gateway.ClosedRun.Verdict.HOLE;
import static candlecast.gateway.ClosedRun.Verdict.PASS;
import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import org.junit.jupiter.api.Test;

class ClosedRunTest {
  @Test
  void consecutiveClosesAndOpenWindowsInGracePass() {
    ClosedRun run = new ClosedRun(Timeframe.S1);
    assertThat(run.check(5_000, false, false)).isEqualTo(PASS); // nothing closed yet
    assertThat(run.check(5_000, true, false)).isEqualTo(PASS);
    assertThat(run.check(7_000, false, false)).isEqualTo(PASS); // 6 s still open in grace
    assertThat(run.check(6_000, true, false)).isEqualTo(PASS);
    assertThat(run.check(7_000, true, false)).isEqualTo(PASS);
    assertThat(run.newestClosed()).isEqualTo(7_000);
  }

  @Test
  void republishedWindowsAreDroppedExceptAPartialReEmission() {
    ClosedRun run = new ClosedRun(Timeframe.S1);
    run.check(5_000, true, false);
    run.check(6_000, true, false);
    assertThat(run.check(6_000, true, false)).as("closed again").isEqualTo(DROP);
    assertThat(run.check(5_000, false, false)).as("re-opened").isEqualTo(DROP);
    assertThat(run.check(5_000, true, true)).as("a gap marks it partial").isEqualTo(PASS);
    assertThat(run.check(7_000, true, false)).isEqualTo(PASS);
  }

  @Test
  void aCloseAfterMissingClosesIsAHoleFromTheFirstMissingWindow() {
    ClosedRun run = new ClosedRun(Timeframe.S1);
    run.check(5_000, true, false);
    assertThat(run.check(9_000, false, false)).isEqualTo(PASS); // an open update alone is no hole
    assertThat(run.check(9_000, true, false)).isEqualTo(HOLE);
    assertThat(run.holeFrom()).isEqualTo(6_000);
    assertThat(run.windowsBetween(run.holeFrom(), 9_000)).isEqualTo(3);
    assertThat(run.check(10_000, true, false)).isEqualTo(PASS);
  }

  @Test
  void aSeededRunPassesTheSeedWindowAndTheNextButSeesAHoleAfterThem() {
    ClosedRun atSeed = new ClosedRun(Timeframe.S1);
    atSeed.seed(5_000);
    assertThat(atSeed.check(5_000, true, false)).isEqualTo(ClosedRun.Verdict.PASS);
    assertThat(atSeed.check(5_000, true, false)).isEqualTo(ClosedRun.Verdict.DROP);
    ClosedRun afterSeed = new ClosedRun(Timeframe.S1);
    afterSeed.seed(5_000);
    assertThat(afterSeed.check(4_000, true, false)).isEqualTo(ClosedRun.Verdict.DROP);
    assertThat(afterSeed.check(6_000, true, false)).isEqualTo(ClosedRun.Verdict.PASS);
    assertThat(afterSeed.check(7_000, true, false)).isEqualTo(ClosedRun.Verdict.PASS);
    ClosedRun lost = new ClosedRun(Timeframe.S1);
    lost.seed(5_000);
    assertThat(lost.check(8_000, true, false)).isEqualTo(ClosedRun.Verdict.HOLE);
    assertThat(lost.holeFrom()).isEqualTo(6_000);
    ClosedRun started = new ClosedRun(Timeframe.S1);
    started.check(9_000, true, false);
    started.seed(5_000); // a run under way is left alone
    assertThat(started.newestClosed()).isEqualTo(9_000);
  }

  @Test
  void calendarMonthsCountAsOneWindowEach() {
    ClosedRun run = new ClosedRun(Timeframe.MN1);
    long jan = 1_704_067_200_000L; // 2024-01-01
    long feb = 1_706_745_600_000L; // 2024-02-01
    long mar = 1_709_251_200_000L; // 2024-03-01 (leap February)
    long apr = 1_711_929_600_000L; // 2024-04-01
    run.check(jan, true, false);
    assertThat(run.check(feb, true, false)).isEqualTo(PASS);
    assertThat(run.check(apr, true, false)).isEqualTo(HOLE);
    assertThat(run.holeFrom()).isEqualTo(mar);
  }
}
