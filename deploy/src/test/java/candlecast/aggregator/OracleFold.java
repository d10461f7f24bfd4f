package candlecast.aggregator;

import candlecast.common.Candle;
import java.util.Map;

/**
 * Deploy's way into the aggregator module's test {@link Oracle} (an independent offline fold of the
 * trade log), which comes from that module's test-jar. The Oracle is package-private, so this entry
 * point sits in its package.
 */
public final class OracleFold {
  private OracleFold() {}

  /**
   * Folds every {@code trades} record value, in log order, into the value every {@code candles} key
   * must hold.
   */
  public static Map<String, Candle> latest(
      Iterable<byte[]> tradeValues, long graceMs, int dedupSize) {
    Oracle oracle = new Oracle(graceMs, dedupSize);
    for (byte[] value : tradeValues) {
      oracle.accept(value);
    }
    return Map.copyOf(oracle.latest());
  }
}
