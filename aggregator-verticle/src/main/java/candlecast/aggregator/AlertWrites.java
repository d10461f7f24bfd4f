package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertBookCodec;
import candlecast.aggregator.alerts.AlertEffect;
import candlecast.common.Topics;
import candlecast.common.alerts.AlertDefinition;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The fold loop's alert writes (issue 17): takes creates and deletes from any thread and applies
 * them on the loop thread between batches ({@link #drain}), writes each batch's fires to {@code
 * alerts.fires} and the updated records to {@code alerts} (skipping fire ids a previous owner
 * recorded already), and hands each fire to the loop's output once the loop's transaction that
 * wrote it committed ({@link #committed}).
 */
final class AlertWrites {
  /** The outcome of a create or delete; called on a Kafka or loop thread. */
  interface Reply {
    void ok(JsonObject result);

    void fail(int code, String message);
  }

  private record Command(Consumer<AlertWrites> apply, Reply reply) {}

  /** What an acknowledged write does once its transaction commits, or aborts. */
  private record Pending(Runnable committed, Runnable aborted) {}

  private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Long> firesAcked = new ConcurrentHashMap<>();
  private final Queue<Pending> uncommitted = new ConcurrentLinkedQueue<>();
  private final PartitionFolds folds;
  private final FoldOutput output;
  private final long graceMs;
  private final Callback onSent;
  private Supplier<Producer<String, byte[]>> producer;
  private IntSupplier partitionCount;

  AlertWrites(PartitionFolds folds, FoldOutput output, long graceMs, Callback onSent) {
    this.folds = folds;
    this.output = output;
    this.graceMs = graceMs;
    this.onSent = onSent;
  }

  /**
   * The loop's producer (the current one: a fatal error replaces it) and the number of {@code
   * trades} partitions (loop thread). Every send happens inside the loop's open transaction.
   */
  void start(Supplier<Producer<String, byte[]>> producer, IntSupplier partitionCount) {
    this.producer = producer;
    this.partitionCount = partitionCount;
  }

  /** Queues a create (any thread). */
  void create(JsonObject record, Reply reply) {
    commands.add(new Command(w -> w.applyCreate(record, reply), reply));
  }

  /** Queues a delete (any thread). */
  void delete(String symbol, String id, Reply reply) {
    commands.add(new Command(w -> w.applyDelete(symbol, id, reply), reply));
  }

  /** True when creates or deletes wait to be applied (any thread). */
  boolean pending() {
    return !commands.isEmpty();
  }

  /**
   * The loop's transaction committed: answers the creates and deletes written in it and hands its
   * fires to the output (loop thread, after the commit; every write of it was acknowledged).
   */
  void committed() {
    Pending p;
    while ((p = uncommitted.poll()) != null) {
      p.committed().run();
    }
  }

  /**
   * The loop's transaction was aborted: its creates and deletes are refused (nothing of them is in
   * the log) and its fires dropped (the rewound fold derives them again).
   */
  void aborted() {
    Pending p;
    while ((p = uncommitted.poll()) != null) {
      p.aborted().run();
    }
  }

  /** Applies the queued commands (loop thread, between batches). */
  void drain() {
    Command c;
    while ((c = commands.poll()) != null) {
      c.apply().accept(this);
    }
  }

  /** Fails the queued commands (the loop stopped). */
  void abandon() {
    Command c;
    while ((c = commands.poll()) != null) {
      if (c.reply() != null) {
        c.reply().fail(503, "alerts_unavailable: the aggregator is stopping");
      }
    }
  }

  private void applyCreate(JsonObject record, Reply reply) {
    AlertDefinition def;
    try {
      def = AlertDefinition.fromRecord(record);
    } catch (IllegalArgumentException e) {
      reply.fail(400, e.getMessage());
      return;
    }
    int p = DeepStore.partitionOf(def.symbol(), partitionCount.getAsInt());
    PartitionState st = folds.get(p);
    if (st == null) {
      reply.fail(
          503, "alerts_unavailable: partition " + p + " of " + def.symbol() + " is not held here");
      return;
    }
    JsonObject rec =
        record
            .copy()
            .put("symbol", def.symbol())
            .put("partition", p)
            .put("fromOffset", st.nextOffset)
            .put("state", "armed")
            .put("fireCount", 0)
            .put("lastFire", null);
    String id = rec.getString("id");
    try {
      st.book(graceMs).add(rec);
    } catch (IllegalArgumentException e) {
      reply.fail(400, e.getMessage());
      return;
    }
    var unused =
        producer
            .get()
            .send(
                new ProducerRecord<>(Topics.ALERTS, p, id, bytes(rec)),
                (md, e) -> {
                  if (e != null) {
                    commands.add(new Command(w -> w.forget(p, id), null));
                    reply.fail(503, "alerts_unavailable: write failed: " + e.getMessage());
                  } else {
                    uncommitted.add(new Pending(() -> reply.ok(rec), () -> rolledBack(reply)));
                  }
                });
  }

  private void forget(int p, String id) {
    PartitionState st = folds.get(p);
    if (st != null) {
      st.book(graceMs).remove(id);
    }
  }

  private void applyDelete(String symbol, String id, Reply reply) {
    int p = DeepStore.partitionOf(symbol, partitionCount.getAsInt());
    forget(p, id);
    JsonObject deleted = new JsonObject().put("id", id).put("deleted", true);
    var unused =
        producer
            .get()
            .send(
                new ProducerRecord<>(Topics.ALERTS, p, id, null),
                (md, e) -> {
                  if (e != null) {
                    reply.fail(503, "alerts_unavailable: write failed: " + e.getMessage());
                  } else {
                    uncommitted.add(new Pending(() -> reply.ok(deleted), () -> rolledBack(reply)));
                  }
                });
  }

  /** An aborted fire: the rewound fold derives it again. */
  private static void dropped() {}

  private static void rolledBack(Reply reply) {
    reply.fail(503, "alerts_unavailable: the write was rolled back (ownership moved); try again");
  }

  /** Writes a batch's fires and record updates (loop thread). */
  void send(List<AlertEffect> effects) {
    for (AlertEffect e : effects) {
      int p = e.partition();
      PartitionState st = folds.get(p);
      if (e.fireId() != null && (st == null || !st.recordedFires.remove(e.fireId()))) {
        fire(e);
      }
      var unused =
          producer
              .get()
              .send(new ProducerRecord<>(Topics.ALERTS, p, e.alertId(), bytes(e.record())), onSent);
    }
  }

  private void fire(AlertEffect e) {
    JsonObject event = e.event();
    event.put("recordedAt", System.currentTimeMillis());
    JsonObject record = e.record();
    int p = e.partition();
    var unused =
        producer
            .get()
            .send(
                new ProducerRecord<>(Topics.ALERT_FIRES, p, e.fireId(), bytes(event)),
                (md, err) -> {
                  onSent.onCompletion(md, err);
                  if (err == null) {
                    firesAcked.merge(p, md.offset() + 1, Math::max);
                    uncommitted.add(
                        new Pending(() -> output.alertFired(event, record), AlertWrites::dropped));
                  }
                });
  }

  /**
   * The alert section of partition {@code st}'s checkpoint (loop thread, after the producer was
   * flushed). Its fires offset is where a restore must read fire ids from: the end of {@code
   * alerts.fires}, or, while fires a previous owner recorded are still to be re-derived, where
   * those were read from.
   */
  byte[] state(PartitionState st) {
    long end = Math.max(st.firesEnd, firesAcked.getOrDefault(st.partition, -1L));
    long from = st.recordedFires.isEmpty() ? end : st.firesFrom;
    if (st.recordedFires.isEmpty()) {
      st.firesFrom = end;
    }
    return AlertBookCodec.encode(st.book(graceMs), from);
  }

  private static byte[] bytes(JsonObject o) {
    return o.encode().getBytes(StandardCharsets.UTF_8);
  }
}
