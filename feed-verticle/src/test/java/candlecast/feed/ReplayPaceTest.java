package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayPaceTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong(5_000 * MS);

  private static Trade at(long time) {
    return new Trade("BTCUSD", time, time, 1, 1, Side.BUY);
  }

  @Test
  void pausedVirtualTimeStandsStillAndGoesOnFromThereOnStart() {
    ReplayPace p = new ReplayPace("2", clock::get);
    assertThat(p.waitMs(at(10_000))).isZero(); // starts the clock
    clock.addAndGet(1_000 * MS);
    assertThat(p.virtualTime()).isEqualTo(12_000);
    p.pause();
    clock.addAndGet(60_000 * MS);
    assertThat(p.virtualTime()).isEqualTo(12_000);
    p.resume();
    assertThat(p.virtualTime()).isEqualTo(12_000);
    assertThat(p.waitMs(at(13_000))).isEqualTo(500);
    clock.addAndGet(500 * MS);
    assertThat(p.waitMs(at(13_000))).isZero();
  }

  @Test
  void aSpeedChangeRepacesFromTheVirtualTimeReachedWithoutAJump() {
    ReplayPace p = new ReplayPace("1", clock::get);
    p.waitMs(at(0));
    clock.addAndGet(4_000 * MS);
    p.speed("10");
    assertThat(p.setting()).isEqualTo("10.0");
    assertThat(p.virtualTime()).isEqualTo(4_000);
    assertThat(p.waitMs(at(14_000))).isEqualTo(1_000);
    p.speed("max");
    assertThat(p.max()).isTrue();
    assertThat(p.waitMs(at(100_000))).isZero();
    assertThat(p.virtualTime()).isEqualTo(100_000);
    p.speed("1"); // from max back to paced: goes on from the last trade let through
    assertThat(p.virtualTime()).isEqualTo(100_000);
    assertThat(p.waitMs(at(101_000))).isEqualTo(1_000);
  }

  @Test
  void aSpeedChangeWhilePausedAppliesOnStartAndAResetRestartsTheClock() {
    ReplayPace p = new ReplayPace("1", clock::get);
    p.waitMs(at(0));
    clock.addAndGet(2_000 * MS);
    p.pause();
    p.speed("4");
    clock.addAndGet(9_000 * MS);
    assertThat(p.virtualTime()).isEqualTo(2_000);
    p.resume();
    clock.addAndGet(1_000 * MS);
    assertThat(p.virtualTime()).isEqualTo(6_000);
    p.reset();
    assertThat(p.started()).isFalse();
    assertThat(p.waitMs(at(50_000))).isZero();
    assertThat(p.started()).isTrue();
    assertThat(p.virtualTime()).isEqualTo(50_000);
  }
}
