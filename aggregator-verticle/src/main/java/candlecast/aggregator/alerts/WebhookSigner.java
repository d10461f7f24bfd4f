package candlecast.aggregator.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures and back-off of alert webhooks (docs/PROTOCOL.md "Alerts: webhooks"). Pure functions.
 */
final class WebhookSigner {
  /** Longest wait between two attempts. */
  static final long BACKOFF_CAP_MS = 60_000;

  private WebhookSigner() {}

  /**
   * The {@code X-Candlecast-Signature} value: {@code sha256=} and the lowercase hex HMAC-SHA256 of
   * {@code timestamp + "." + body} keyed with the UTF-8 bytes of the secret.
   */
  static String signature(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
    }
  }

  /**
   * The wait after failed attempt {@code attempt} (1-based): full jitter, {@code u} (in [0, 1])
   * times {@code base × 2^(attempt-1)}, capped at {@link #BACKOFF_CAP_MS}.
   */
  static long backoff(int attempt, long base, double u) {
    long ceiling = Math.min(base, BACKOFF_CAP_MS);
    for (int i = 1; i < attempt && ceiling < BACKOFF_CAP_MS; i++) {
      ceiling = Math.min(ceiling * 2, BACKOFF_CAP_MS);
    }
    return Math.round(u * ceiling);
  }
}
