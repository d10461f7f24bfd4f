package candlecast.aggregator.alerts;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of some topics from the beginning with a group-less consumer on its own
 * thread, and hands each batch (with the positions reached) to the aggregator's context. End
 * offsets (the read-your-writes barrier) are asked of an admin client: its own connection, so the
 * answer does not queue behind the consumer's fetch, which the broker holds up to {@code
 * fetch.max.wait.ms} while there is nothing new.
 */
final class DirectoryReader implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryReader.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration METADATA = Duration.ofSeconds(5);

  /** Receives, on the context, a batch and the positions after it. */
  interface Sink {
    void batch(List<ConsumerRecord<String, byte[]>> records, Map<TopicPartition, Long> positions);
  }

  private final Map<String, Object> config;
  private final List<String> topics;
  private final Context context;
  private final Sink sink;
  private final Admin admin;

  /** Completed (on the context) with every partition once the topics exist. */
  private final Promise<List<TopicPartition>> discovered = Promise.promise();

  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  DirectoryReader(Map<String, Object> config, List<String> topics, Context context, Sink sink) {
    this.config = config;
    this.topics = topics;
    this.context = context;
    this.sink = sink;
    Map<String, Object> ac = new HashMap<>();
    ac.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("bootstrap.servers"));
    ac.put(AdminClientConfig.CLIENT_ID_CONFIG, "candlecast-alert-directory");
    this.admin = Admin.create(ac);
  }

  /** The end offsets (last stable offsets) of every partition now (completes on the context). */
  Future<Map<TopicPartition, Long>> endOffsets() {
    return discovered.future().compose(this::listOffsets);
  }

  private Future<Map<TopicPartition, Long>> listOffsets(List<TopicPartition> parts) {
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    parts.forEach(tp -> req.put(tp, OffsetSpec.latest()));
    Promise<Map<TopicPartition, Long>> p = Promise.promise();
    var unused =
        admin
            .listOffsets(req, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .whenComplete(
                (m, e) ->
                    context.runOnContext(
                        v -> {
                          if (e != null) {
                            p.fail(e);
                            return;
                          }
                          Map<TopicPartition, Long> ends = new HashMap<>();
                          m.forEach((tp, info) -> ends.put(tp, info.offset()));
                          p.complete(ends);
                        }));
    return p.future();
  }

  void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      List<TopicPartition> parts = discover(c);
      if (parts == null) {
        return;
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      context.runOnContext(v -> discovered.tryComplete(parts));
      loop(c, parts);
    } catch (RuntimeException e) {
      LOG.error("alert directory reader stopped: {}", e.toString());
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  private void loop(KafkaConsumer<String, byte[]> c, List<TopicPartition> parts) {
    Map<TopicPartition, Long> sent = Map.of();
    while (running) {
      try {
        ConsumerRecords<String, byte[]> recs = c.poll(POLL);
        Map<TopicPartition, Long> pos = new HashMap<>();
        for (TopicPartition tp : parts) {
          pos.put(tp, c.position(tp));
        }
        if (!recs.isEmpty() || !pos.equals(sent)) {
          List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(recs.count());
          recs.forEach(batch::add);
          context.runOnContext(v -> sink.batch(batch, pos));
          sent = pos;
        }
      } catch (WakeupException e) {
        // stop: the loop ends
      }
    }
  }

  /** Every partition of the topics, waiting while one of them does not exist yet. */
  private List<TopicPartition> discover(KafkaConsumer<String, byte[]> c) {
    boolean warned = false;
    while (running) {
      List<TopicPartition> parts = new ArrayList<>();
      boolean all = true;
      for (String t : topics) {
        List<PartitionInfo> infos;
        try {
          infos = c.partitionsFor(t, METADATA);
        } catch (WakeupException | org.apache.kafka.common.errors.TimeoutException e) {
          infos = List.of();
        }
        if (infos == null || infos.isEmpty()) {
          all = false;
          if (!warned) {
            LOG.warn("alert directory: topic {} not found yet; waiting", t);
            warned = true;
          }
          break;
        }
        infos.forEach(i -> parts.add(new TopicPartition(t, i.partition())));
      }
      if (all) {
        return parts;
      }
      try {
        Thread.sleep(500); // polling the broker's metadata for topics created by another process
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
