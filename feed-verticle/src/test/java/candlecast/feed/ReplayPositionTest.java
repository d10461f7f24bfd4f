package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayPositionTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong(7 * MS);
  private final ReplayPosition p = new ReplayPosition(clock::get);

  private void take(int n) {
    for (int i = 0; i < n; i++) {
      p.took();
    }
  }

  @Test
  void theEtaIsTheRowsLeftAtThePaceMeasuredWhileRunning() {
    p.running();
    take(100);
    clock.addAndGet(1_000 * MS);
    assertThat(p.etaMs(true, false)).as("rows not counted yet").isNull();
    p.total(1_000);
    assertThat(p.position()).isEqualTo(100);
    assertThat(p.etaMs(true, false)).isEqualTo(9_000); // 900 rows at 100 rows/s
    p.halted();
    clock.addAndGet(60_000 * MS); // paused time does not count
    assertThat(p.etaMs(false, false)).isNull();
    p.running();
    take(100);
    clock.addAndGet(1_000 * MS);
    assertThat(p.etaMs(true, false)).isEqualTo(8_000);
    assertThat(p.etaMs(false, true)).isZero();
  }

  @Test
  void aSpeedChangeMeasuresAfreshAndANewPassStartsAtZero() {
    p.total(500);
    p.running();
    take(50);
    clock.addAndGet(5_000 * MS);
    p.freshRate(true);
    assertThat(p.etaMs(true, false)).as("nothing measured at the new pace yet").isNull();
    take(50);
    clock.addAndGet(100 * MS);
    assertThat(p.etaMs(true, false)).isEqualTo(800); // 400 rows at 500 rows/s
    p.newPass();
    assertThat(p.position()).isZero();
    assertThat(p.etaMs(true, false)).isEqualTo(1_000);
  }
}
