package candlecast.bench;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.aggregator.HistoryStore;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * History memory per symbol at the default retention (1s: one day, 1m: thirty days, 5m and above:
 * unlimited, here thirty days), and the time one aggregator needs to rebuild it from the {@code
 * candles} topic at start. Usage: {@code java -cp bench-aggregator.jar
 * candlecast.bench.HistoryFootprint [symbols]}
 */
public final class HistoryFootprint {
  private HistoryFootprint() {}

  public static void main(String[] args) throws Exception {
    int symbols = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    long end = 1_700_000_000_000L;
    HistoryStore store = new HistoryStore(HistoryStore.defaultRetention());
    long count = 0;
    for (Timeframe tf : Timeframe.values()) {
      long span = tf == Timeframe.S1 ? 86_400_000L : 30L * 86_400_000L;
      for (long t = tf.windowStart(end - span); t < end; t = tf.windowEnd(t)) {
        store.put(new Candle("SYM0", tf, t, 1, 2, 0.5, 1.5, 3, 4, true));
        count++;
      }
    }
    System.out.printf(
        "RESULT history per symbol: %,d candles, %.1f MiB of arrays (%d bytes per candle slot)%n",
        count, store.memoryBytes("SYM0") / 1048576.0, 53);

    Path dir = Files.createTempDirectory("cc-hist-bench");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 4);
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    props.put("linger.ms", 20);
    props.put("batch.size", 256 * 1024);
    long records = 0;
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int s = 0; s < symbols; s++) {
        for (Timeframe tf : Timeframe.values()) {
          long span = tf == Timeframe.S1 ? 86_400_000L : 30L * 86_400_000L;
          for (long t = tf.windowStart(end - span); t < end; t = tf.windowEnd(t)) {
            Candle c = new Candle("SYM" + s, tf, t, 1, 2, 0.5, 1.5, 3, 4, true);
            var unused =
                p.send(new ProducerRecord<>(Topics.CANDLES, s % 4, c.key(), CandleCodec.encode(c)));
            records++;
          }
        }
      }
      p.flush();
    }
    Vertx vertx = Vertx.vertx();
    long t0 = System.nanoTime();
    vertx
        .deployVerticle(new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap))
        .await(120, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "RESULT rebuilt %,d candle records of %d symbols in %.2f s (%,.0f records/s)%n",
        records, symbols, secs, records / secs);
    vertx.close().await(30, TimeUnit.SECONDS);
    kafka.stop();
  }
}
