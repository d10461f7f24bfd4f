package candlecast.bench;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end aggregation rate of one aggregator instance: pre-fills {@code trades} on an embedded
 * broker with N trades over S symbols, then deploys one aggregator and times how long it takes
 * until the group has committed everything. Usage: {@code java -cp bench-aggregator.jar
 * candlecast.bench.AggregationThroughput [trades] [symbols]}
 */
public final class AggregationThroughput {
  private AggregationThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int symbols = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Path dir = Files.createTempDirectory("cc-agg-bench");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 4);
    long t0 = System.nanoTime();
    prefill(bootstrap, n, symbols);
    System.out.printf(
        "prefilled %,d trades over %d symbols in %.1f s%n",
        n, symbols, (System.nanoTime() - t0) / 1e9);
    Vertx vertx = Vertx.vertx();
    long start = System.nanoTime();
    vertx
        .deployVerticle(new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap))
        .await(60, TimeUnit.SECONDS);
    while (!caughtUp(bootstrap)) {
      Thread.sleep(100); // polling the group's committed offsets
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "RESULT aggregator drained %,d trades in %.2f s = %,.0f trades/s%n", n, secs, n / secs);
    vertx.close().await(30, TimeUnit.SECONDS);
    kafka.stop();
  }

  static void prefill(String bootstrap, int n, int symbols) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    props.put("linger.ms", 20);
    props.put("batch.size", 256 * 1024);
    Random rnd = new Random(1);
    long[] time = new long[symbols];
    double[] price = new double[symbols];
    for (int i = 0; i < symbols; i++) {
      time[i] = 1_700_000_000_000L;
      price[i] = 100 + i;
    }
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int k = 0; k < n; k++) {
        int i = rnd.nextInt(symbols);
        time[i] += rnd.nextInt(20);
        price[i] = Math.max(0.01, price[i] * (1 + rnd.nextGaussian() * 1e-4));
        Trade t =
            new Trade(
                "SYM" + i,
                k,
                time[i],
                Math.round(price[i] * 100) / 100.0,
                Math.round(Math.exp(rnd.nextGaussian()) * 1e6) / 1e8,
                rnd.nextBoolean() ? Side.BUY : Side.SELL);
        var unused =
            p.send(
                new ProducerRecord<>(
                    Topics.TRADES, t.symbol(), TradeCodec.encode(t))); // flushed below
      }
      p.flush();
    }
  }

  static boolean caughtUp(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(AggregatorVerticle.GROUP_ID)
              .partitionsToOffsetAndMetadata()
              .get();
      Map<TopicPartition, OffsetSpec> req = new HashMap<>();
      for (int p = 0; p < 4; p++) {
        req.put(new TopicPartition(Topics.TRADES, p), OffsetSpec.latest());
      }
      for (var e : admin.listOffsets(req).all().get().entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
          return false;
        }
      }
      return true;
    }
  }
}
