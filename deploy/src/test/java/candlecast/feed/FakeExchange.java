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

  /** Requests the OHLC endpoint received so far (refused ones included). */
  public int ohlcCalls() {
    return fake.ohlcCalls.size();
  }

  /** Requests the OHLC endpoint refused with 429 so far. */
  public int ohlcRefused() {
    return fake.ohlcRefused.get();
  }

  /** The next {@code n} OHLC requests are answered 429 (Retry-After 0). */
  public void failNextOhlc(int n) {
    fake.ohlcFailNext.set(n);
  }

  /** The OHLC endpoint answers at most this many requests a second (0 = no limit); beyond, 429. */
  public void ohlcPerSecond(int n) {
    fake.ohlcPerSecond = n;
  }

  /** The bar {open, high, low, close, volume} the OHLC endpoint serves (as read back). */
  public static double[] ohlcBar(String pair, long stepSeconds, long timestampSeconds) {
    return FakeBitstamp.ohlcBarServed(pair, stepSeconds, timestampSeconds);
  }

  @Override
  public void close() throws Exception {
    fake.close();
  }
}
