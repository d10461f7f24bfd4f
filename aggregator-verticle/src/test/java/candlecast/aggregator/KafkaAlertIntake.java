package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertIntake;
import candlecast.common.Topics;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The owner's side of alerts for the service tests, writing the real topics with a real producer: a
 * create is written to {@code alerts} (partition of the symbol's trades, {@code fromOffset} 0), a
 * delete as a tombstone, and {@link #fire} records a fire event in {@code alerts.fires} and the
 * updated alert, then calls the listeners as the fold loop's evaluation does. {@link #down} makes
 * creates fail like an owner that lost the partition.
 */
final class KafkaAlertIntake implements AlertIntake, AutoCloseable {
  private final Vertx vertx;
  private final Context context;
  private final int partitions;
  private final KafkaProducer<String, byte[]> producer;
  private final List<FireListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, JsonObject> records = new ConcurrentHashMap<>();
  volatile boolean down;

  KafkaAlertIntake(Vertx vertx, Context context, String bootstrap, int partitions) {
    this.vertx = vertx;
    this.context = context;
    this.partitions = partitions;
    this.producer =
        new KafkaProducer<>(
            new HashMap<>(KafkaTopics.producerProps(bootstrap)),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @Override
  public Future<JsonObject> create(JsonObject record) {
    if (down) {
      return Future.failedFuture(
          new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "partition not held here"));
    }
    int p = DeepStore.partitionOf(record.getString("symbol"), partitions);
    JsonObject r = record.copy().put("partition", p).put("fromOffset", 0L);
    return write(Topics.ALERTS, p, r.getString("id"), r)
        .map(
            v -> {
              records.put(r.getString("id"), r);
              return r;
            });
  }

  @Override
  public Future<Void> delete(String symbol, String id) {
    return write(Topics.ALERTS, DeepStore.partitionOf(symbol, partitions), id, null);
  }

  @Override
  public void onFire(FireListener listener) {
    listeners.add(listener);
  }

  /** Records the alert's next fire (as a price alert crossing at trade {@code offset}). */
  Future<JsonObject> fire(String id, long offset, long recordedAt) {
    return fire(id, offset, recordedAt, true);
  }

  /**
   * Records the alert's next fire; {@code notify} false: the listeners are not called (the owner
   * died right after the fire was durable).
   */
  Future<JsonObject> fire(String id, long offset, long recordedAt, boolean notify) {
    JsonObject alert = records.get(id);
    int seq = alert.getInteger("fireCount", 0) + 1;
    JsonObject fire =
        new JsonObject()
            .put("type", "alert")
            .put("fire", id + "|t:" + offset)
            .put("alert", id)
            .put("owner", alert.getString("owner"))
            .put("symbol", alert.getString("symbol"))
            .put("kind", alert.getJsonObject("condition").getString("kind"))
            .put("condition", alert.getJsonObject("condition"))
            .put("note", alert.getString("note"))
            .put("trade", new JsonObject().put("id", offset).put("offset", offset))
            .put("firedAt", recordedAt - 5)
            .put("recordedAt", recordedAt)
            .put("seq", seq)
            .put("final", false);
    JsonObject after = alert.copy().put("fireCount", seq).put("lastFire", fire);
    records.put(id, after);
    int p = alert.getInteger("partition");
    return write(Topics.ALERT_FIRES, p, fire.getString("fire"), fire)
        .compose(v -> write(Topics.ALERTS, p, id, after))
        .compose(
            v -> {
              if (notify) {
                context.runOnContext(x -> listeners.forEach(l -> l.fired(fire, after)));
              }
              return Future.succeededFuture(fire);
            });
  }

  /** Logs a webhook attempt of a fire in {@code alerts.webhooks}, as a previous owner did. */
  Future<Void> logDelivery(JsonObject fire, int attempt, int status, boolean last) {
    JsonObject entry =
        new JsonObject()
            .put("fire", fire.getString("fire"))
            .put("alert", fire.getString("alert"))
            .put("owner", fire.getString("owner"))
            .put("attempt", attempt)
            .put("status", status)
            .put("error", last ? null : "HTTP " + status)
            .put("at", System.currentTimeMillis())
            .put("final", last);
    int p = records.get(fire.getString("alert")).getInteger("partition");
    return write(Topics.ALERT_WEBHOOKS, p, fire.getString("fire"), entry);
  }

  private Future<Void> write(String topic, int partition, String key, JsonObject value) {
    byte[] bytes = value == null ? null : value.encode().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(
        () -> {
          producer
              .send(new ProducerRecord<>(topic, partition, key, bytes))
              .get(10, TimeUnit.SECONDS);
          return null;
        },
        false);
  }

  @Override
  public void close() {
    producer.close();
  }
}
