package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code since} an alerts subscription sends (docs/CLIENTS.md, "Subscriptions and resume"). */
class AlertResumeSinceTest {

  @Test
  void theFirstSubscribeHasNoSince() {
    assertThat(AlertSubscription.resumeSince(null, null)).isNull();
  }

  @Test
  void beforeAnyFireTheServerTimeOfTheFirstAckMinusTheMargin() {
    long serverTime = 1_767_200_012_345L;
    assertThat(AlertSubscription.resumeSince(null, serverTime))
        .isEqualTo(serverTime - AlertSubscription.MARGIN_MS);
  }

  @Test
  void theMarginNeverGoesBelowZero() {
    assertThat(AlertSubscription.resumeSince(null, AlertSubscription.MARGIN_MS / 2)).isZero();
  }

  @Test
  void aDeliveredOrRequestedSinceWins() {
    assertThat(AlertSubscription.resumeSince(42L, 1_767_200_012_345L)).isEqualTo(42L);
    assertThat(AlertSubscription.resumeSince(42L, null)).isEqualTo(42L);
  }
}
