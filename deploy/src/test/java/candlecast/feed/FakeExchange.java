package candlecast.feed;

import candlecast.common.Trade;
import java.util.List;

/**
 * Deploy's way into the feed module's test {@link FakeBitstamp} (a Bitstamp-protocol exchange on
 * loopback: WebSocket channels and the REST transactions history), which comes from that module's
 * test-jar. FakeBitstamp is package-private, so this entry point sits in its package.
 */
public final class FakeExchange implements AutoCloseable {
  private final FakeBitstamp fake;

  private FakeExchange(FakeBitstamp fake) {
    this.fake = fake;
  }

  /** Starts an exchange listing {@code pairs} (lower case, e.g. {@code btcusd}). */
  public static FakeExchange start(String... pairs) throws Exception {
    return new FakeExchange(FakeBitstamp.start(pairs));
  }

  public String wsUrl() {
    return fake.wsUrl();
  }

  public String restUrl() {
    return fake.restUrl();
  }

  /** Publishes {@code perTick} trades of each pair every 10 ms until {@link #stopStream()}. */
  public void stream(List<String> pairs, int perTick) throws Exception {
    fake.stream(pairs, perTick);
  }

  public void stopStream() throws Exception {
    fake.stopStream();
  }

  /** Every trade the exchange published for {@code pair}, in order (the ground truth). */
  public List<Trade> truth(String pair) throws Exception {
    return fake.truth(pair);
  }

  @Override
  public void close() throws Exception {
    fake.close();
  }
}
