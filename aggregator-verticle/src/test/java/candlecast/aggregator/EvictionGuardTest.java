package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvictionGuardTest {
  /** A guard ticked regularly from {@code from} to {@code to}. */
  private static EvictionGuard ticked(EvictionGuard g, long from, long to) {
    for (long t = from; t <= to; t += EvictionGuard.TICK_MS) {
      g.tick(t);
    }
    return g;
  }

  @Test
  void aRunningNodeThatSeesOthersMayEvict() {
    EvictionGuard g = ticked(new EvictionGuard(), 0, 5_000);
    assertThat(g.refusal(5_050, 3)).isNull();
    assertThat(g.refusal(5_050, 2)).isNull();
  }

  @Test
  void aNodeThatSeesItselfAloneMayNot() {
    EvictionGuard g = ticked(new EvictionGuard(), 0, 5_000);
    assertThat(g.refusal(5_050, 1)).contains("alone");
  }

  @Test
  void afterAPauseEvictionsAreRefusedForTheQuarantine() {
    EvictionGuard g = ticked(new EvictionGuard(), 0, 5_000);
    // SIGSTOP for 8 s: the event may come before the first tick after the pause ...
    assertThat(g.refusal(13_000, 3)).contains("paused");
    // ... or after it
    g.tick(13_010);
    assertThat(g.refusal(13_020, 3)).contains("paused");
    ticked(g, 13_110, 13_010 + EvictionGuard.QUARANTINE_MS - 100);
    assertThat(g.refusal(13_010 + EvictionGuard.QUARANTINE_MS - 50, 3)).contains("paused");
    ticked(g, 13_010 + EvictionGuard.QUARANTINE_MS, 13_010 + EvictionGuard.QUARANTINE_MS + 200);
    assertThat(g.refusal(13_010 + EvictionGuard.QUARANTINE_MS + 250, 3)).isNull();
  }

  @Test
  void aShortHiccupIsNoPause() {
    EvictionGuard g = ticked(new EvictionGuard(), 0, 5_000);
    g.tick(5_000 + EvictionGuard.PAUSE_MS);
    assertThat(g.refusal(5_000 + EvictionGuard.PAUSE_MS + 10, 3)).isNull();
  }

  @Test
  void beforeTheFirstTickNothingIsKnownToBePaused() {
    assertThat(new EvictionGuard().refusal(42, 2)).isNull();
  }
}
