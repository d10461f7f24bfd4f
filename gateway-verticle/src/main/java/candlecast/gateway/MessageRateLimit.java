package candlecast.gateway;

/**
 * The incoming-message rate limit of one connection ({@code gateway.messages-per-second}, bursts of
 * {@code gateway.messages-burst}): a {@link TokenBucket}, and strikes for the messages refused in a
 * row. The first refusal of a run is answered with an error, the following ones silently, and a
 * connection that goes on past {@code gateway.rate-strikes} refusals is closed. Pure (the caller
 * passes the clock). Not thread-safe.
 */
final class MessageRateLimit {

  /** What to do with one incoming message. */
  enum Verdict {
    /** Handle it. */
    ADMIT,
    /** Drop it and tell the client (the first refusal of a run). */
    REFUSE_WITH_ERROR,
    /** Drop it. */
    REFUSE,
    /** Drop it and close the connection (1008). */
    CLOSE
  }

  private final TokenBucket bucket;
  private final int maxStrikes;
  private int strikes;

  MessageRateLimit(double perSecond, int burst, int maxStrikes, long nowNanos) {
    this.bucket = new TokenBucket(perSecond, burst, nowNanos);
    this.maxStrikes = maxStrikes;
  }

  Verdict admit(long nowNanos) {
    if (bucket.tryTake(nowNanos)) {
      strikes = 0;
      return Verdict.ADMIT;
    }
    strikes++;
    if (strikes > maxStrikes) {
      return Verdict.CLOSE;
    }
    return strikes == 1 ? Verdict.REFUSE_WITH_ERROR : Verdict.REFUSE;
  }
}
