package candlecast.feed;

import candlecast.common.kafka.KafkaTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer wiring of a new term: a transactional producer (id {@code candlecast-feed.<group>})
 * whose {@code initTransactions} fences every earlier leader of the group, and the log's committed
 * tail per symbol ({@link LogTail}) the sources go on from.
 *
 * @param producer the fencing producer, owned by the caller
 * @param positions the tail of each symbol
 */
record TermFence(Producer<String, byte[]> producer, Map<String, LogTail.Position> positions) {

  /** Blocking: fences, then reads the tail; on failure nothing is left open. */
  static TermFence raise(String bootstrapServers, String group, List<String> symbols) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrapServers));
    props.putAll(KafkaTradeLog.producerOverrides());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "candlecast-feed");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "candlecast-feed." + group);
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props);
    try {
      producer.initTransactions();
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(
              new HashMap<String, Object>(KafkaTopics.consumerProps(bootstrapServers, null)))) {
        return new TermFence(producer, new LogTail(c, Duration.ofSeconds(30)).read(symbols));
      }
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }
}
