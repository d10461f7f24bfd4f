package candlecast.feed;

import java.util.Random;

/**
 * Exponential back-off with jitter, capped: attempt n waits a random time in [d/2, d] with d =
 * min(max, min * 2^n). Pure (the random source is passed in) and not thread-safe.
 */
final class Backoff {
  private final long minMs;
  private final long maxMs;
  private final Random random;
  private int attempt;

  Backoff(long minMs, long maxMs, Random random) {
    if (minMs < 1 || maxMs < minMs) {
      throw new IllegalArgumentException(
          "need 1 <= min <= max, got min " + minMs + ", max " + maxMs);
    }
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** The delay before the next attempt; each call doubles the ceiling until it reaches the cap. */
  long nextDelayMs() {
    long ceiling = attempt >= 62 ? maxMs : Math.min(maxMs, minMs << Math.min(attempt, 40));
    if (ceiling <= 0) {
      ceiling = maxMs;
    }
    attempt++;
    long half = ceiling / 2;
    return half + (long) (random.nextDouble() * (ceiling - half + 1));
  }

  int attempts() {
    return attempt;
  }

  void reset() {
    attempt = 0;
  }
}
