package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import org.junit.jupiter.api.Test;

class FoldOptionsTest {
  @Test
  void resolvesTheAggregatorSettings() {
    CandlecastConfig c =
        CandlecastConfig.defaults()
            .with(Settings.AGGREGATOR_GRACE_MS, 400L)
            .with(Settings.AGGREGATOR_DEDUP_SIZE, 64)
            .with(Settings.AGGREGATOR_CHECKPOINT_MS, 750L)
            .with(Settings.AGGREGATOR_COMMIT_MS, 40L)
            .with(Settings.AGGREGATOR_MAX_POLL, 300)
            .with(Settings.AGGREGATOR_RETENTION, "1s=1000ms");
    FoldOptions o = FoldOptions.from(c, "k:9092", "group-a");
    assertThat(o.bootstrap()).isEqualTo("k:9092");
    assertThat(o.groupId()).isEqualTo("group-a");
    assertThat(o.graceMs()).isEqualTo(400L);
    assertThat(o.dedupSize()).isEqualTo(64);
    assertThat(o.checkpointMs()).isEqualTo(750L);
    assertThat(o.commitMs()).isEqualTo(40L);
    assertThat(o.maxPollRecords()).isEqualTo(300);
    assertThat(o.instanceId()).isEmpty();
    assertThat(o.sessionTimeoutMs()).isEqualTo(6_000);
    assertThat(o.retentionMs()[Timeframe.S1.index()]).isEqualTo(1_000L);
    assertThat(o.retentionMs()[Timeframe.M1.index()]).isZero();
  }

  @Test
  void kafkaClientSettingsFollowTheOptions() {
    FoldOptions dynamic =
        FoldOptions.from(
            CandlecastConfig.defaults().with(Settings.AGGREGATOR_SESSION_TIMEOUT_MS, 10_000),
            "k:9092",
            "group-a");
    assertThat(dynamic.consumerConfig())
        .containsEntry("bootstrap.servers", "k:9092")
        .containsEntry("group.id", "group-a")
        .containsEntry("max.poll.records", 2_000)
        .containsEntry("session.timeout.ms", 10_000)
        .containsEntry("heartbeat.interval.ms", 2_500)
        .containsEntry("isolation.level", "read_committed")
        .doesNotContainKey("group.instance.id");
    FoldOptions fixed =
        FoldOptions.from(
            CandlecastConfig.defaults().with(Settings.AGGREGATOR_INSTANCE_ID, "pod-1"),
            "k:9092",
            "group-a");
    assertThat(fixed.consumerConfig())
        .containsEntry("group.instance.id", "pod-1")
        .containsEntry("heartbeat.interval.ms", 1_500);
    assertThat(fixed.producerConfig())
        .containsEntry("max.request.size", KafkaTopics.CHECKPOINT_MAX_BYTES)
        .containsEntry("linger.ms", 2)
        .containsEntry("enable.idempotence", "true")
        .doesNotContainKey("transactional.id");
    // the fold loop's producer: transactional, a new id per producer (the group fences, KIP-447)
    assertThat(fixed.foldProducerConfig())
        .containsEntry("transaction.timeout.ms", FoldOptions.TXN_TIMEOUT_MS)
        .containsEntry("max.request.size", KafkaTopics.CHECKPOINT_MAX_BYTES);
    assertThat((String) fixed.foldProducerConfig().get("transactional.id"))
        .startsWith("group-a-fold-")
        .isNotEqualTo(fixed.foldProducerConfig().get("transactional.id"));
    assertThat(fixed.readerConfig())
        .doesNotContainKey("group.id")
        .containsEntry("max.poll.records", 10_000)
        .containsEntry("max.partition.fetch.bytes", KafkaTopics.CHECKPOINT_MAX_BYTES);
  }
}
