package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaleSubsTest {
  private static StaleSubs.Entry<String> e(String address, String node) {
    return new StaleSubs.Entry<>(address, node, address + "@" + node);
  }

  @Test
  void aDepartedNodesRegistrationsGoOnTheSecondSweepOnly() {
    StaleSubs<String> stale = new StaleSubs<>();
    List<StaleSubs.Entry<String>> all = List.of(e("a", "live"), e("a", "gone"), e("b", "gone"));
    assertThat(stale.sweep(Set.of("live"), all)).isEmpty();
    assertThat(stale.sweep(Set.of("live"), all)).containsExactly(e("a", "gone"), e("b", "gone"));
  }

  @Test
  void aNodeThatShowsUpBetweenSweepsKeepsItsRegistrations() {
    StaleSubs<String> stale = new StaleSubs<>();
    List<StaleSubs.Entry<String>> all = List.of(e("a", "live"), e("a", "joining"));
    assertThat(stale.sweep(Set.of("live"), all)).isEmpty();
    // the joining node is a member by the next sweep: nothing of it is removed, now or later
    assertThat(stale.sweep(Set.of("live", "joining"), all)).isEmpty();
    assertThat(stale.sweep(Set.of("live", "joining"), all)).isEmpty();
  }

  @Test
  void aResetForgetsTheSuspects() {
    StaleSubs<String> stale = new StaleSubs<>();
    List<StaleSubs.Entry<String>> all = List.of(e("a", "gone"));
    assertThat(stale.sweep(Set.of(), all)).isEmpty();
    stale.reset();
    assertThat(stale.sweep(Set.of(), all)).isEmpty();
    assertThat(stale.sweep(Set.of(), all)).containsExactly(e("a", "gone"));
  }
}
