package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.gateway.MessageRateLimit.Verdict;
import org.junit.jupiter.api.Test;

/** The per-connection message rate limit: burst, rate, strikes. */
class MessageRateLimitTest {
  private static final long S = 1_000_000_000L;

  @Test
  void aBurstPassesThenTheFirstRefusalIsToldTheNextAreSilentAndTooManyClose() {
    MessageRateLimit limit = new MessageRateLimit(10, 2, 3, 0);
    assertThat(limit.admit(0)).isEqualTo(Verdict.ADMIT);
    assertThat(limit.admit(0)).isEqualTo(Verdict.ADMIT);
    assertThat(limit.admit(0)).isEqualTo(Verdict.REFUSE_WITH_ERROR);
    assertThat(limit.admit(0)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.admit(0)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.admit(0)).isEqualTo(Verdict.CLOSE);
  }

  @Test
  void anAdmittedMessageEndsTheRunOfStrikes() {
    MessageRateLimit limit = new MessageRateLimit(10, 1, 2, 0);
    assertThat(limit.admit(0)).isEqualTo(Verdict.ADMIT);
    assertThat(limit.admit(0)).isEqualTo(Verdict.REFUSE_WITH_ERROR);
    assertThat(limit.admit(0)).isEqualTo(Verdict.REFUSE);
    assertThat(limit.admit(S / 10)).as("a token after 100 ms").isEqualTo(Verdict.ADMIT);
    assertThat(limit.admit(S / 10))
        .as("a new run: told again")
        .isEqualTo(Verdict.REFUSE_WITH_ERROR);
  }
}
