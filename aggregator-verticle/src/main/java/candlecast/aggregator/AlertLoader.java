package candlecast.aggregator;

import candlecast.aggregator.alerts.AlertBookCodec;
import candlecast.common.Topics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the alert book of each restored partition (issue 17): the checkpoint's alert section,
 * the partition's records in the compacted {@code alerts} topic (tombstones remove), and the fire
 * ids in {@code alerts.fires} after the checkpoint's fires offset, which the replay must not record
 * again. Blocking; runs on the fold loop's thread with the loader's reader consumer.
 */
final class AlertLoader {
  private static final Logger LOG = LoggerFactory.getLogger(AlertLoader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final long graceMs;

  AlertLoader(long graceMs) {
    this.graceMs = graceMs;
  }

  void load(KafkaConsumer<String, byte[]> r, Map<Integer, PartitionState> states) {
    for (PartitionState st : states.values()) {
      AlertBookCodec.Snapshot snap = snapshot(st);
      Map<String, JsonObject> records = readAlerts(r, st.partition);
      int bad = st.book(graceMs).restore(snap, records.values(), st.nextOffset - 1);
      readFires(r, st, snap.firesOffset());
      LOG.info(
          "alerts of trades partition {}: {} held ({} unreadable records), {} fires after the checkpoint",
          st.partition,
          st.book(graceMs).size(),
          bad,
          st.recordedFires.size());
    }
  }

  private static AlertBookCodec.Snapshot snapshot(PartitionState st) {
    byte[] b = st.checkpointAlerts;
    st.checkpointAlerts = null;
    if (b == null) {
      return AlertBookCodec.Snapshot.EMPTY;
    }
    try {
      return AlertBookCodec.decode(b);
    } catch (IOException e) {
      LOG.warn(
          "alert state of trades partition {} unreadable ({}); alerts start over",
          st.partition,
          e.getMessage());
      return AlertBookCodec.Snapshot.EMPTY;
    }
  }

  /** The live records of one {@code alerts} partition, by id. */
  private static Map<String, JsonObject> readAlerts(KafkaConsumer<String, byte[]> r, int p) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> rec :
        readAll(r, new TopicPartition(Topics.ALERTS, p), -1)) {
      if (rec.key() == null) {
        continue;
      }
      if (rec.value() == null) {
        out.remove(rec.key());
        continue;
      }
      JsonObject o = json(rec.value());
      if (o != null) {
        out.put(rec.key(), o);
      }
    }
    return out;
  }

  private static void readFires(KafkaConsumer<String, byte[]> r, PartitionState st, long from) {
    TopicPartition tp = new TopicPartition(Topics.ALERT_FIRES, st.partition);
    st.recordedFires.clear();
    for (ConsumerRecord<String, byte[]> rec : readAll(r, tp, from)) {
      if (rec.key() != null) {
        st.recordedFires.add(rec.key());
      }
    }
    st.firesEnd = r.endOffsets(List.of(tp)).get(tp);
    st.firesFrom = from;
  }

  /** Every record of {@code tp} from {@code from} (-1: its beginning) to its current end. */
  private static List<ConsumerRecord<String, byte[]>> readAll(
      KafkaConsumer<String, byte[]> r, TopicPartition tp, long from) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    r.assign(List.of(tp));
    long begin = r.beginningOffsets(List.of(tp)).get(tp);
    long end = r.endOffsets(List.of(tp)).get(tp);
    r.seek(tp, Math.max(begin, from));
    while (r.position(tp) < end) {
      for (ConsumerRecord<String, byte[]> rec : r.poll(POLL)) {
        if (rec.offset() < end) {
          out.add(rec);
        }
      }
    }
    return out;
  }

  private static JsonObject json(byte[] value) {
    try {
      return new JsonObject(new String(value, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
