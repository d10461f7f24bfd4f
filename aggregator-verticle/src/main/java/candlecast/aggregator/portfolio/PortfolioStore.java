package candlecast.aggregator.portfolio;

import candlecast.common.Topics;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every portfolio record of the compacted {@code portfolios} topic (1 partition, key = owner), held
 * as owner → record by every aggregator instance: a group-less consumer on its own thread reads the
 * whole topic and keeps following it. {@link #write} sends a record and completes after Kafka's ack
 * with the table already updated (the writer reads its own write); {@link #caughtUp} completes once
 * the table holds everything up to the end offset taken when it was called (another instance's
 * writes acknowledged before). A record applies only when its offset is newer than the one held for
 * its owner, so the tail replaying older records never undoes a write. The table lives on the
 * context that created the store.
 */
public final class PortfolioStore {
  private static final Logger LOG = LoggerFactory.getLogger(PortfolioStore.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long SEND_TIMEOUT_MS = 30_000;
  private static final TopicPartition TP = new TopicPartition(Topics.PORTFOLIOS, 0);

  private record Held(JsonObject record, long offset) {}

  private final Vertx vertx;
  private final Context context;
  private final String bootstrap;
  private final Map<String, Held> table = new HashMap<>();
  private final ConcurrentLinkedQueue<Promise<Void>> barriers = new ConcurrentLinkedQueue<>();
  private KafkaProducer<String, byte[]> producer;
  private KafkaConsumer<String, byte[]> consumer;
  private Thread tail;
  private volatile boolean running;

  public PortfolioStore(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.bootstrap = bootstrap;
  }

  /** Opens the clients and starts following the topic; completes once the table is read. */
  public Future<Void> start() {
    return vertx
        .executeBlocking(
            () -> {
              producer =
                  new KafkaProducer<>(
                      new java.util.HashMap<String, Object>(KafkaTopics.producerProps(bootstrap)),
                      new StringSerializer(),
                      new ByteArraySerializer());
              consumer =
                  new KafkaConsumer<>(
                      new java.util.HashMap<String, Object>(
                          KafkaTopics.consumerProps(bootstrap, null)),
                      new StringDeserializer(),
                      new ByteArrayDeserializer());
              consumer.assign(List.of(TP));
              consumer.seekToBeginning(List.of(TP));
              return null;
            },
            false)
        .compose(
            v -> {
              running = true;
              tail = new Thread(this::follow, "candlecast-portfolios");
              tail.setDaemon(true);
              tail.start();
              return caughtUp();
            });
  }

  /** The owner's record, null when none (call on the store's context). */
  public JsonObject get(String owner) {
    Held h = table.get(owner);
    return h == null ? null : h.record();
  }

  /** Owners held (for tests and health). */
  public int size() {
    return table.size();
  }

  /** Completes (on the store's context) once everything acknowledged before the call is held. */
  public Future<Void> caughtUp() {
    Promise<Void> p = Promise.promise();
    barriers.add(p);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    return p.future();
  }

  /** Writes the owner's record; completes after the ack with the table updated. */
  public Future<JsonObject> write(String owner, JsonObject record) {
    byte[] value = record.encode().getBytes(StandardCharsets.UTF_8);
    return vertx
        .executeBlocking(
            () -> {
              RecordMetadata md =
                  producer
                      .send(new ProducerRecord<>(Topics.PORTFOLIOS, 0, owner, value))
                      .get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
              return md.offset();
            },
            false)
        .map(
            offset -> {
              apply(owner, record, offset);
              return record;
            });
  }

  /** Stops following the topic and closes the clients (blocking: call on a worker). */
  public void closeBlocking() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (tail != null) {
        tail.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(String owner, JsonObject record, long offset) {
    Held h = table.get(owner);
    if (h != null && h.offset() >= offset) {
      return;
    }
    table.put(owner, new Held(record, offset)); // a null record: the owner's tombstone
  }

  /** The tail thread: polls, hands each batch to the context, completes barriers when caught up. */
  private void follow() {
    Tail t = new Tail();
    try {
      while (running) {
        try {
          t.step();
        } catch (WakeupException e) {
          // a new barrier (or closing): look again
        }
      }
    } catch (RuntimeException e) {
      LOG.error("{} reader failed: {}", Topics.PORTFOLIOS, e.toString());
      t.waiting.forEach(p -> context.runOnContext(v -> p.tryFail(e)));
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The tail's state between polls (tail thread only). */
  private final class Tail {
    final List<Promise<Void>> waiting = new ArrayList<>();
    long target = -1;
    boolean needTarget;

    void step() {
      Promise<Void> p;
      while ((p = barriers.poll()) != null) {
        waiting.add(p);
        needTarget = true;
      }
      if (needTarget) {
        target = consumer.endOffsets(List.of(TP)).get(TP);
        needTarget = false;
      }
      List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
      if (waiting.isEmpty() || consumer.position(TP) < target) {
        consumer.poll(POLL).forEach(batch::add);
      }
      List<Promise<Void>> done = new ArrayList<>();
      if (!waiting.isEmpty() && consumer.position(TP) >= target) {
        done.addAll(waiting);
        waiting.clear();
      }
      if (!batch.isEmpty() || !done.isEmpty()) {
        context.runOnContext(v -> deliver(batch, done));
      }
    }
  }

  private void deliver(List<ConsumerRecord<String, byte[]>> batch, List<Promise<Void>> done) {
    for (ConsumerRecord<String, byte[]> r : batch) {
      if (r.key() == null) {
        continue;
      }
      JsonObject record = null;
      if (r.value() != null) {
        try {
          record = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
          LOG.warn("{} record of {} unreadable: {}", Topics.PORTFOLIOS, r.key(), e.getMessage());
          continue;
        }
      }
      apply(r.key(), record, r.offset());
    }
    done.forEach(Promise::tryComplete);
  }
}
