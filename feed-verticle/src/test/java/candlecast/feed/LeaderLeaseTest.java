package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Topics;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Election over the lease topic against a real broker: one leader at a time, and the lease moves
 * when it leaves.
 */
class LeaderLeaseTest {
  private static final AtomicInteger GROUPS = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.shared();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  /** Records what a lease told its feed, in order. */
  private static final class Events implements LeaderLease.Listener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void elected() {
      seen.add("elected");
    }

    @Override
    public void deposed() {
      seen.add("deposed");
    }
  }

  private static LeaderLease lease(String group, String name, Events events) {
    Context ctx = vertx.getOrCreateContext();
    Map<String, String> props = KafkaTopics.consumerProps(kafka.bootstrapServers(), group);
    return new LeaderLease(ctx, props, Topics.FEED_LEASE, 1_500, name, events);
  }

  @Test
  void exactlyOneOfTwoMembersLeadsAndTheLeaseMovesWhenTheLeaderLeaves() throws Exception {
    String group = "lease-test-" + GROUPS.incrementAndGet();
    Events a = new Events();
    Events b = new Events();
    LeaderLease first = lease(group, "a", a);
    await(first.start());
    await().atMost(Duration.ofSeconds(20)).until(first::leader);
    LeaderLease second = lease(group, "b", b);
    await(second.start());
    // the standby joined: the sticky assignment keeps the lease with the first member
    await().atMost(Duration.ofSeconds(20)).until(() -> groupStable(group));
    assertThat(first.leader()).isTrue();
    assertThat(second.leader()).isFalse();
    assertThat(b.seen).isEmpty();

    await(first.stop());
    await().atMost(Duration.ofSeconds(20)).until(second::leader);
    assertThat(first.leader()).isFalse();
    assertThat(a.seen).containsExactly("elected", "deposed");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.seen.equals(List.of("elected")));
    await(second.stop());
  }

  private static boolean groupStable(String group) throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      var d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      return d.members().size() == 2
          && d.state() == org.apache.kafka.common.ConsumerGroupState.STABLE;
    }
  }
}
