package candlecast.client;

import java.util.function.DoubleSupplier;

/**
 * Full-jitter exponential back-off: delay = random(0, min(max, initial × 2^attempt)); a 1012 close
 * (service restart) waits random(0, 500 ms) without counting as a failed attempt.
 */
final class Backoff {
  static final long RESTART_JITTER_MS = 500;

  private final long initialMs;
  private final long maxMs;
  private final DoubleSupplier random;

  Backoff(long initialMs, long maxMs, DoubleSupplier random) {
    if (initialMs <= 0 || maxMs < initialMs) {
      throw new IllegalArgumentException(
          "back-off needs 0 < initial <= max, was initial " + initialMs + " max " + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The ceiling of the delay for this attempt (0-based). */
  long ceiling(int attempt) {
    int shift = Math.min(Math.max(attempt, 0), 40);
    double c = (double) initialMs * Math.pow(2, shift);
    return (long) Math.min((double) maxMs, c);
  }

  /** A delay for this attempt: uniformly random in [0, ceiling]. */
  long delay(int attempt) {
    return (long) (random.getAsDouble() * (double) ceiling(attempt));
  }

  /** The delay after a 1012 close. */
  long restartDelay() {
    return (long) (random.getAsDouble() * (double) RESTART_JITTER_MS);
  }
}
