package candlecast.gateway;

/**
 * A token bucket: holds at most {@code burst} tokens, refilled at {@code perSecond}; each event
 * takes one. Pure (the caller passes the clock) and small, as one exists per connection. Not
 * thread-safe.
 */
final class TokenBucket {
  private final double perNano;
  private final int burst;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, int burst, long nowNanos) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes one token if there is one. */
  boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }

  /** Takes {@code n} tokens if there are that many; else takes none. */
  boolean tryTake(long nowNanos, int n) {
    refill(nowNanos);
    if (tokens >= n) {
      tokens -= n;
      return true;
    }
    return false;
  }

  /** True when the bucket is full again (nothing to remember about this client). */
  boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long nowNanos) {
    long dt = nowNanos - last;
    if (dt > 0) {
      tokens = Math.min(burst, tokens + dt * perNano);
      last = nowNanos;
    }
  }
}
