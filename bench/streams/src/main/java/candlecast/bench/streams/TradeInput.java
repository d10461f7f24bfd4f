package candlecast.bench.streams;

import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.kafka.KafkaTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark input: {@code n} trades over {@code symbols} symbols, written to {@code trades}
 * keyed by symbol with the record timestamp set to the trade's time. Built so that Candlecast's
 * rules (dedup, grace, flat windows) and Kafka Streams' windowing must agree: one global clock that
 * never goes back (so times are in order within every symbol and every partition, and no window is
 * ever closed before its last trade), strictly increasing ids per symbol, no duplicates, and every
 * symbol trades at least every {@link #MAX_GAP_MS} ms (no 1 s window without trades, so Candlecast
 * has no flat window that Kafka Streams would not have).
 */
final class TradeInput {
  /** The longest a symbol stays without a trade. */
  static final long MAX_GAP_MS = 400;

  private TradeInput() {}

  /** What was written. */
  record Written(long trades, long firstTime, long lastTime, double seconds) {}

  static Written prefill(String bootstrap, long n, int symbols, long seed) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    props.put("linger.ms", 20);
    props.put("batch.size", 256 * 1024);
    props.put("buffer.memory", 64L * 1024 * 1024);
    SplittableRandom rnd = new SplittableRandom(seed);
    String[] names = new String[symbols];
    long[] nextId = new long[symbols];
    long[] lastTime = new long[symbols];
    double[] price = new double[symbols];
    // ~1 ms between trades: the span in ms is about n; end an hour before now (inside the topic's
    // retention)
    long t = (System.currentTimeMillis() - n - 3_600_000L) / 1000 * 1000;
    long first = t;
    for (int i = 0; i < symbols; i++) {
      names[i] = "SYM" + i;
      nextId[i] = 1_000_000L * (i + 1);
      lastTime[i] = t;
      price[i] = 100.0 * (i + 1);
    }
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (long k = 0; k < n; k++) {
        t +=
            rnd.nextInt(
                3); // 0, 1 or 2 ms: several trades may share a millisecond, like real markets
        int i = rnd.nextInt(symbols);
        for (int j = 0;
            j < symbols;
            j++) { // keep every symbol trading: no gap longer than MAX_GAP_MS
          if (t - lastTime[j] >= MAX_GAP_MS) {
            i = j;
            break;
          }
        }
        lastTime[i] = t;
        price[i] = Math.max(0.01, price[i] * (1 + gaussian(rnd) * 1e-4));
        double px = Math.round(price[i] * 100) / 100.0;
        double amount = Math.round(Math.exp(gaussian(rnd)) * 1e6) / 1e8;
        Trade trade =
            new Trade(
                names[i], nextId[i]++, t, px, amount, rnd.nextBoolean() ? Side.BUY : Side.SELL);
        var unused =
            p.send(
                new ProducerRecord<>(Topics.TRADES, null, t, names[i], TradeCodec.encode(trade)));
      }
      p.flush();
    }
    return new Written(n, first, t, (System.nanoTime() - t0) / 1e9);
  }

  private static double gaussian(SplittableRandom r) {
    // Box-Muller (SplittableRandom has no nextGaussian on Java 17)
    double u = 1.0 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
