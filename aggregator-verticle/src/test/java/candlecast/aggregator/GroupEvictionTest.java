package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.config.CandlecastConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

class GroupEvictionTest {
  @Test
  void aConfiguredInstanceIdWins() {
    assertThat(GroupEviction.instanceId("pod-1", "n1", true)).isEqualTo("pod-1");
    assertThat(GroupEviction.instanceId("pod-1", null, false)).isEqualTo("pod-1");
  }

  @Test
  void aClusteredNodeWithFastTakeoverIsAStaticMemberNamedAfterItsNode() {
    assertThat(GroupEviction.instanceId("", "7f3a", true)).isEqualTo("aggregator-7f3a");
    assertThat(GroupEviction.instanceId(" ", "7f3a", true)).isEqualTo("aggregator-7f3a");
  }

  @Test
  void otherwiseMembershipStaysDynamic() {
    assertThat(GroupEviction.instanceId("", null, true)).isEmpty();
    assertThat(GroupEviction.instanceId("", "7f3a", false)).isEmpty();
  }

  @Test
  void theGroupRebalancesIncrementallyAndTheInstanceIdGoesToTheConsumer() {
    FoldOptions o =
        FoldOptions.from(CandlecastConfig.defaults(), "k:9092", "g").withInstanceId("agg-x");
    assertThat(o.instanceId()).isEqualTo("agg-x");
    assertThat(o.consumerConfig())
        .containsEntry("group.instance.id", "agg-x")
        .containsEntry("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())
        .containsEntry("fetch.max.wait.ms", 100);
    assertThat(o.withInstanceId("").consumerConfig()).doesNotContainKey("group.instance.id");
    // a restore's reader never waits for data that is not there (was 500 ms per read, twice)
    assertThat(o.readerConfig()).containsEntry("fetch.max.wait.ms", 10);
  }
}
