package candlecast.gateway;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New-connection rate per client address: one {@link TokenBucket} per address, shared by every
 * gateway instance of the node (thread-safe). Buckets that are full again are forgotten by {@link
 * #sweep}, and the map never holds more than {@code maxAddresses} entries (beyond, new addresses
 * are refused until a sweep frees room), so memory stays bounded whatever the clients do.
 */
final class AddressRateLimiter {
  private final double perSecond;
  private final int burst;
  private final int maxAddresses;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  AddressRateLimiter(double perSecond, int burst, int maxAddresses) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxAddresses = maxAddresses;
  }

  /** Whether a new connection from {@code address} is allowed now (takes a token when it is). */
  boolean tryAcquire(String address, long nowNanos) {
    TokenBucket b = buckets.get(address);
    if (b == null) {
      if (buckets.size() >= maxAddresses) {
        sweep(nowNanos);
        if (buckets.size() >= maxAddresses) {
          return false;
        }
      }
      b = buckets.computeIfAbsent(address, a -> new TokenBucket(perSecond, burst, nowNanos));
    }
    synchronized (b) {
      return b.tryTake(nowNanos);
    }
  }

  /** Forgets addresses whose bucket is full again. */
  void sweep(long nowNanos) {
    for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
      TokenBucket b = it.next();
      boolean full;
      synchronized (b) {
        full = b.isFull(nowNanos);
      }
      if (full) {
        it.remove();
      }
    }
  }

  int trackedAddresses() {
    return buckets.size();
  }
}
