package candlecast.gateway;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** Maps the failure of an event-bus request to an HTTP status and error text. Pure. */
public final class BusErrors {
  /**
   * The retry hint of a retryable failure (no responder, no reply in time, 503: the owner is being
   * replaced or has not folded the symbol yet): {@code retryAfterMs} in error frames, {@code
   * Retry-After} (seconds) on REST 503 answers (issue 19).
   */
  public static final long RETRY_AFTER_MS = 1_000;

  private BusErrors() {}

  /** Whether a failed request may succeed when retried: no responder, timeout, or 503. */
  public static boolean retryable(Throwable err) {
    if (err instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS, TIMEOUT -> true;
        case RECIPIENT_FAILURE -> re.failureCode() == 503;
        default -> false;
      };
    }
    return false;
  }

  /** The frame with {@code "retryAfterMs"} added when the failure is {@link #retryable}. */
  public static JsonObject withRetryHint(JsonObject frame, Throwable err) {
    return retryable(err) ? frame.put("retryAfterMs", RETRY_AFTER_MS) : frame;
  }

  /**
   * The HTTP reply to a failed request.
   *
   * @param status HTTP status; {@code error} goes into the body {@code {"error":..}}
   */
  public record HttpError(int status, String error) {}

  /**
   * No responder or no reply in time → 503 with {@code unavailable}; a responder's {@code
   * fail(400|404|410|503, reason)} → that status and reason; any other failure → 502.
   */
  public static HttpError toHttp(Throwable err, String unavailable) {
    if (err instanceof ReplyException re) {
      switch (re.failureType()) {
        case NO_HANDLERS, TIMEOUT -> {
          return new HttpError(503, unavailable);
        }
        case RECIPIENT_FAILURE -> {
          int code = re.failureCode();
          if (code == 400 || code == 404 || code == 410 || code == 503) {
            return new HttpError(code, String.valueOf(re.getMessage()));
          }
          return new HttpError(502, "upstream failed: " + re.getMessage());
        }
        default -> {
          return new HttpError(502, "upstream failed: " + re.getMessage());
        }
      }
    }
    return new HttpError(502, "upstream failed: " + err);
  }

  /** Short reason for a component that did not answer a health request. */
  public static String reason(Throwable err, long timeoutMs) {
    if (err instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "no responder";
        case TIMEOUT -> "no reply within " + timeoutMs + " ms";
        case RECIPIENT_FAILURE -> "failed: " + re.getMessage();
        default -> "error: " + re.getMessage();
      };
    }
    return "error: " + err;
  }
}
