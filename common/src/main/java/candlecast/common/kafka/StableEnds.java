package candlecast.common.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a {@code read_committed} reader of a whole topic should stop: the end offsets once no
 * transaction is open on the partitions. A {@code read_committed} consumer's end offset is the last
 * stable offset: a transaction left open by a killed producer (the aggregator's fold loop writes
 * transactions) holds it until the coordinator aborts it, and a committed one's markers land a
 * moment after the commit. Checkers that compare a whole topic with an oracle read to these ends.
 */
public final class StableEnds {
  private StableEnds() {}

  /**
   * The {@code read_committed} end offsets of {@code parts} once they equal the high watermarks, or
   * as they are after {@code wait}.
   */
  public static Map<TopicPartition, Long> await(
      String bootstrap, Collection<TopicPartition> parts, Duration wait) {
    Map<String, Object> committed = new HashMap<>();
    committed.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    committed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Object> all = new HashMap<>(committed);
    all.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(
                committed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaConsumer<byte[], byte[]> a =
            new KafkaConsumer<>(all, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        Map<TopicPartition, Long> stable = c.endOffsets(parts);
        if (stable.equals(a.endOffsets(parts)) || System.nanoTime() > deadline) {
          return stable;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(100); // the broker's offsets, polled: no event to await
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return stable;
        }
      }
    }
  }
}
