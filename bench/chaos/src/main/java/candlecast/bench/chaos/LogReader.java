package candlecast.bench.chaos;

import candlecast.common.kafka.StableEnds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic, {@code read_committed}, partition by partition in log order. */
final class LogReader {
  private LogReader() {}

  static void readAll(
      String bootstrap, String topic, Consumer<ConsumerRecord<String, byte[]>> sink) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      // a killed aggregator's open transaction holds the end until its 10 s timeout
      Map<TopicPartition, Long> end = StableEnds.await(bootstrap, tps, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!done(c, tps, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in 5 minutes");
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          sink.accept(r);
        }
      }
    }
  }

  private static boolean done(
      KafkaConsumer<String, byte[]> c, List<TopicPartition> tps, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : tps) {
      if (c.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }
}
