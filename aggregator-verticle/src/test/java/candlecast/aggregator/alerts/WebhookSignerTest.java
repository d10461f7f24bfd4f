package candlecast.aggregator.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  @Test
  void signatureIsTheHexHmacOfTimestampDotBody() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder hex = new StringBuilder("sha256=");
    for (byte b : mac.doFinal("1700000000000.{\"a\":1}".getBytes(StandardCharsets.UTF_8))) {
      hex.append(String.format("%02x", b));
    }
    assertThat(WebhookSigner.signature("s3cret", 1_700_000_000_000L, "{\"a\":1}"))
        .isEqualTo(hex.toString());
    assertThat(WebhookSigner.signature("other", 1_700_000_000_000L, "{\"a\":1}"))
        .isNotEqualTo(hex.toString());
  }

  @Test
  void backoffDoublesUnderFullJitterUpToTheCap() {
    for (int attempt = 1; attempt <= 12; attempt++) {
      long ceiling = Math.min(60_000, 500L * (1L << (attempt - 1)));
      assertThat(WebhookSigner.backoff(attempt, 500, 1.0)).isEqualTo(ceiling);
      assertThat(WebhookSigner.backoff(attempt, 500, 0.0)).isZero();
      assertThat(WebhookSigner.backoff(attempt, 500, 0.5)).isEqualTo(Math.round(ceiling * 0.5));
    }
    assertThat(WebhookSigner.backoff(60, 500, 1.0)).isEqualTo(60_000);
  }
}
