package candlecast.bench.cluster;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Aggregator-like publisher: every 10 ms (a fold batch) publishes rate/100 candle updates, one per
 * series round-robin, exactly as AggregatorVerticle.onCandles does ({@code
 * publish(Addresses.candles(symbol, tf), CandleCodec.toJson(candle))}). The candle's {@code n}
 * carries the send time (System.nanoTime) for the receivers' latency.
 */
final class Publisher {
  static final int TICK_MS = 10;

  private final Vertx vertx;
  private final String[] addresses;
  private final String[] symbols;
  private final Timeframe[] tfs;
  private final AtomicLong published = new AtomicLong();
  private volatile double rate;
  private double carry;
  private int next;
  private long timer = -1;

  Publisher(Vertx vertx, int symbolCount) {
    this.vertx = vertx;
    int series = symbolCount * Timeframe.COUNT;
    addresses = new String[series];
    symbols = new String[series];
    tfs = new Timeframe[series];
    int i = 0;
    for (int s = 0; s < symbolCount; s++) {
      for (Timeframe tf : Timeframe.LIST) {
        symbols[i] = BusNodes.symbol(s);
        tfs[i] = tf;
        addresses[i++] = Addresses.candles(BusNodes.symbol(s), tf);
      }
    }
  }

  void start() {
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Updates per second from now on (0 = silent). */
  void rate(double perSecond) {
    rate = perSecond;
  }

  long published() {
    return published.get();
  }

  private void tick() {
    carry += rate * TICK_MS / 1000.0;
    int n = (int) carry;
    carry -= n;
    long window = System.currentTimeMillis() / 1000 * 1000;
    for (int k = 0; k < n; k++) {
      int i = next;
      next = (next + 1) % addresses.length;
      double p = 60_000 + (i % 97);
      Candle c =
          new Candle(symbols[i], tfs[i], window, p, p + 12.5, p - 7.25, p + 3.5, 1.234567, System.nanoTime(), false);
      vertx.eventBus().publish(addresses[i], CandleCodec.toJson(c));
    }
    published.addAndGet(n);
  }
}
