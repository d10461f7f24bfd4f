package candlecast.aggregator.alerts;

import candlecast.common.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the reader's batches to the {@link AlertDirectory} and then advances the {@link
 * DirectoryBarrier} (on the aggregator's context). A record that is not a JSON object is logged and
 * skipped.
 */
final class DirectorySink implements DirectoryReader.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorySink.class);

  private final AlertDirectory directory;
  private final DirectoryBarrier barrier;

  DirectorySink(AlertDirectory directory, DirectoryBarrier barrier) {
    this.directory = directory;
    this.barrier = barrier;
  }

  @Override
  public void batch(
      List<ConsumerRecord<String, byte[]>> records, Map<TopicPartition, Long> positions) {
    for (ConsumerRecord<String, byte[]> r : records) {
      apply(r.topic(), r.key(), r.value());
    }
    barrier.advance(positions);
  }

  /** One record of {@code alerts}, {@code alerts.fires} or {@code alerts.webhooks}. */
  void apply(String topic, String key, byte[] value) {
    if (topic.equals(Topics.ALERTS) && value == null) {
      directory.alert(key, null);
      return;
    }
    JsonObject json = decode(topic, key, value);
    if (json == null) {
      return;
    }
    switch (topic) {
      case Topics.ALERTS -> directory.alert(key, json);
      case Topics.ALERT_FIRES -> directory.fire(json);
      default -> directory.delivery(json);
    }
  }

  private static JsonObject decode(String topic, String key, byte[] value) {
    try {
      return value == null ? null : new JsonObject(Buffer.buffer(value));
    } catch (DecodeException | ClassCastException e) {
      LOG.warn("skipping a malformed {} record (key {}): {}", topic, key, e.getMessage());
      return null;
    }
  }
}
