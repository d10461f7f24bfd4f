package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Token buckets, the per-address limiter and the origin policy. */
class LimitsUnitTest {
  private static final long S = 1_000_000_000L;

  @Test
  void tokenBucketAllowsABurstThenTheRate() {
    TokenBucket b = new TokenBucket(10, 3, 0);
    assertThat(b.tryTake(0)).isTrue();
    assertThat(b.tryTake(0)).isTrue();
    assertThat(b.tryTake(0)).isTrue();
    assertThat(b.tryTake(0)).isFalse();
    assertThat(b.tryTake(S / 20)).as("half a token after 50 ms").isFalse();
    assertThat(b.tryTake(S / 10)).as("one token after 100 ms").isTrue();
    assertThat(b.isFull(10 * S)).isTrue();
    assertThat(b.tryTake(10 * S)).isTrue();
    assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addressLimiterIsPerAddressAndForgetsIdleAddresses() {
    AddressRateLimiter l = new AddressRateLimiter(1, 2, 3);
    assertThat(l.tryAcquire("10.0.0.1", 0)).isTrue();
    assertThat(l.tryAcquire("10.0.0.1", 0)).isTrue();
    assertThat(l.tryAcquire("10.0.0.1", 0)).isFalse();
    assertThat(l.tryAcquire("10.0.0.2", 0)).isTrue();
    assertThat(l.tryAcquire("10.0.0.3", 0)).isTrue();
    assertThat(l.tryAcquire("10.0.0.4", 0)).as("table full, nothing idle yet").isFalse();
    assertThat(l.tryAcquire("10.0.0.4", 5 * S)).as("a sweep frees the idle entries").isTrue();
    assertThat(l.trackedAddresses()).isEqualTo(1);
    l.sweep(100 * S);
    assertThat(l.trackedAddresses()).isZero();
  }

  @Test
  void originPolicyDefaultIsSameOriginAndLocalhost() {
    OriginPolicy p = new OriginPolicy(List.of());
    assertThat(p.allows(null, "charts.example.com")).as("no Origin: not a browser").isTrue();
    assertThat(p.allows("https://charts.example.com", "charts.example.com")).isTrue();
    assertThat(p.allows("https://charts.example.com", "charts.example.com:443")).isTrue();
    assertThat(p.allows("http://charts.example.com:8080", "charts.example.com:8080")).isTrue();
    assertThat(p.allows("http://charts.example.com:8081", "charts.example.com:8080")).isFalse();
    assertThat(p.allows("http://localhost:3000", "charts.example.com")).isTrue();
    assertThat(p.allows("http://127.0.0.1:9999", "x")).isTrue();
    assertThat(p.allows("http://[::1]:9999", "x")).isTrue();
    assertThat(p.allows("https://evil.example", "charts.example.com")).isFalse();
    assertThat(p.allows("https://charts.example.com.evil.example", "charts.example.com")).isFalse();
    assertThat(p.allows("null", "charts.example.com")).isFalse();
    assertThat(p.allows("file://", "charts.example.com")).isFalse();
    assertThat(p.allows("::garbage::", "charts.example.com")).isFalse();
    assertThat(p.allows("https://evil.example", null)).isFalse();
  }

  @Test
  void originPolicyConfiguredList() {
    OriginPolicy p =
        new OriginPolicy(List.of("https://app.example.com", "http://tools.example.com:8000"));
    assertThat(p.allows("https://APP.example.com", "gw.example.com")).isTrue();
    assertThat(p.allows("https://app.example.com:443", "gw.example.com")).isTrue();
    assertThat(p.allows("http://tools.example.com:8000", "gw.example.com")).isTrue();
    assertThat(p.allows("http://tools.example.com", "gw.example.com")).isFalse();
    assertThat(p.allows("https://evil.example", "gw.example.com")).isFalse();
    assertThat(new OriginPolicy(List.of("*")).allows("https://evil.example", "x")).isTrue();
    assertThatThrownBy(() -> new OriginPolicy(List.of("app.example.com")))
        .hasMessageContaining("CANDLECAST_HTTP_CORS_ORIGINS");
  }
}
