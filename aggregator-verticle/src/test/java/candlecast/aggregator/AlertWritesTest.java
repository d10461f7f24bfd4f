package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.aggregator.alerts.AlertEffect;
import candlecast.common.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fold loop's alert writes against a mock producer: creates, refusals, fires skipped as
 * recorded.
 */
class AlertWritesTest {
  private final PartitionFolds folds = new PartitionFolds(0, 64);
  private final List<String> published = new ArrayList<>();
  private final List<String> replies = new ArrayList<>();
  private MockProducer<String, byte[]> producer;
  private AlertWrites writes;

  @BeforeEach
  void setUp() {
    producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    FoldOutput output =
        new FoldOutput() {
          @Override
          public void candles(List<candlecast.common.Candle> batch) {}

          @Override
          public void tape(Map<String, List<candlecast.common.TapeTrade>> runs) {}

          @Override
          public void gaps(List<candlecast.common.GapRecord> gaps) {}

          @Override
          public void partitionLoaded(
              int partition, HistoryStore history, Map<String, TradeRing> rings, Set<String> s) {}

          @Override
          public void partitionDropped(int partition, Set<String> symbols) {}

          @Override
          public void assigned(Set<Integer> partitions) {}

          @Override
          public void alertFired(JsonObject fire, JsonObject alert) {
            published.add(fire.getString("fire"));
          }
        };
    writes = new AlertWrites(folds, output, 0, (md, e) -> {});
    writes.start(() -> producer, () -> 1);
  }

  private AlertWrites.Reply reply() {
    return new AlertWrites.Reply() {
      @Override
      public void ok(JsonObject result) {
        replies.add("ok " + result.getLong("fromOffset", -1L) + " " + result.getString("state"));
      }

      @Override
      public void fail(int code, String message) {
        replies.add(code + " " + message);
      }
    };
  }

  private static JsonObject alert(String id) {
    return new JsonObject()
        .put("id", id)
        .put("owner", "alice")
        .put("symbol", "btc-usd")
        .put("condition", new JsonObject().put("kind", "price_above").put("level", 10));
  }

  @Test
  void aCreateIsWrittenWithTheNextOffsetAndRefusalsSayWhy() {
    writes.create(alert("al-1"), reply()); // partition 0 not held yet
    writes.drain();
    folds.put(new PartitionState(0, 42));
    writes.create(alert("al-2"), reply());
    writes.create(alert("al-3").put("condition", new JsonObject().put("kind", "x")), reply());
    writes.delete("BTCUSD", "al-2", reply());
    writes.drain();
    assertThat(replies)
        .as("a written create or delete is answered when its transaction commits")
        .hasSize(2);
    writes.committed();
    assertThat(replies.get(0)).startsWith("503 alerts_unavailable: partition 0 of BTCUSD");
    assertThat(replies.get(1)).startsWith("400 bad_alert: condition.kind");
    assertThat(replies.get(2)).isEqualTo("ok 42 armed");
    assertThat(replies.get(3)).isEqualTo("ok -1 null");
    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).topic()).isEqualTo(Topics.ALERTS);
    JsonObject rec = new JsonObject(new String(sent.get(0).value(), StandardCharsets.UTF_8));
    assertThat(rec.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(rec.getInteger("partition")).isZero();
    assertThat(sent.get(1).value()).as("tombstone").isNull();
    assertThat(folds.get(0).book(0).holds("al-2")).isFalse();
  }

  @Test
  void aFireAlreadyRecordedIsNotWrittenAgainButTheRecordIs() {
    PartitionState st = new PartitionState(0, 0);
    folds.put(st);
    st.recordedFires.add("al-1|t:5");
    JsonObject rec = alert("al-1");
    List<AlertEffect> effects =
        List.of(
            new AlertEffect(0, "al-1", "al-1|t:5", new JsonObject().put("fire", "al-1|t:5"), rec),
            new AlertEffect(0, "al-1", "al-1|t:9", new JsonObject().put("fire", "al-1|t:9"), rec));
    writes.send(effects);
    assertThat(published).as("a fire goes out when its transaction commits").isEmpty();
    writes.committed();
    List<String> keys = producer.history().stream().map(r -> r.topic() + " " + r.key()).toList();
    assertThat(keys)
        .containsExactly(
            Topics.ALERTS + " al-1", Topics.ALERT_FIRES + " al-1|t:9", Topics.ALERTS + " al-1");
    assertThat(published).containsExactly("al-1|t:9");
    assertThat(st.recordedFires).isEmpty();
    assertThat(effects.get(1).event().getLong("recordedAt")).isPositive();
  }

  @Test
  void anAbortedTransactionRefusesItsCreatesAndDropsItsFires() {
    PartitionState st = new PartitionState(0, 7);
    folds.put(st);
    writes.create(alert("al-1"), reply());
    writes.drain();
    JsonObject rec = alert("al-1");
    writes.send(
        List.of(
            new AlertEffect(0, "al-1", "al-1|t:3", new JsonObject().put("fire", "al-1|t:3"), rec)));
    writes.aborted();
    writes.committed(); // nothing left for a later commit
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0)).startsWith("503 alerts_unavailable: the write was rolled back");
    assertThat(published).isEmpty();
  }
}
