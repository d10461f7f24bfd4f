package candlecast.feed;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which feed instance writes: the member of a Kafka consumer group that is assigned the single
 * partition of the lease topic ({@code feed.lease}). Every feed instance of one {@code feed.group}
 * joins the group; Kafka's group coordinator gives the partition to exactly one live member and
 * moves it when that member stops heart-beating for the session timeout (kill -9, SIGSTOP, a lost
 * network). The cooperative sticky assignor keeps it where it is when a standby joins.
 *
 * <p>Election alone is not safety: a deposed leader (paused, then resumed) may still try to write
 * before it learns it lost the lease. Fencing is done by the transactional producer ({@link
 * KafkaTradeLog}): every leader uses the same {@code transactional.id}, and a new leader's {@code
 * initTransactions} fences the old producer's epoch, so its late writes are refused by the broker
 * and readers ({@code read_committed}) never see them.
 *
 * <p>One thread polls the group; the callbacks run on the feed's context, in order.
 */
final class LeaderLease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** What the feed does when the lease comes and goes (on its context). */
  interface Listener {
    void elected();

    void deposed();
  }

  private final Context context;
  private final Map<String, Object> props;
  private final String topic;
  private final Listener listener;
  private final Thread thread;
  private final Promise<Void> joined = Promise.promise();
  private volatile boolean leader;
  private volatile boolean stopping;
  private volatile boolean rejoin;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /**
   * @param consumerProps base consumer settings (bootstrap, group id)
   * @param sessionTimeoutMs how long the group waits for a silent leader before it moves the lease
   */
  LeaderLease(
      Context context,
      Map<String, String> consumerProps,
      String topic,
      long sessionTimeoutMs,
      String clientId,
      Listener listener) {
    this.context = context;
    this.topic = topic;
    this.listener = listener;
    this.props = new HashMap<>(consumerProps);
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeoutMs);
    props.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, sessionTimeoutMs / 6));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.thread = new Thread(this::run, "candlecast-feed-lease");
    thread.setDaemon(true);
  }

  /**
   * Joins the group; completes once the first assignment is known: after {@link Listener#elected}
   * was queued when this member got the lease, else as a standby.
   */
  Future<Void> start() {
    thread.start();
    return joined.future();
  }

  boolean leader() {
    return leader;
  }

  /**
   * Leaves the group and joins it again: after this instance's producer was fenced, the group (not
   * this instance's possibly stale view) decides who leads; the lease stays with a live newer
   * leader (sticky assignment).
   */
  void rejoin() {
    rejoin = true;
  }

  /**
   * Leaves the group (the lease moves at once to a standby, without waiting for the session
   * timeout).
   */
  Future<Void> stop() {
    stopping = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Promise<Void> done = Promise.promise();
    Thread joiner =
        new Thread(
            () -> {
              try {
                thread.join(10_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              done.complete();
            },
            "candlecast-feed-lease-stop");
    joiner.setDaemon(true);
    joiner.start();
    return done.future();
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      c.subscribe(List.of(topic), new Rebalance());
      while (!stopping) {
        if (rejoin) {
          rejoin = false;
          c.unsubscribe(); // gives the lease back (revoked: deposed), so the group decides anew
          change(false, "rejoining");
          c.subscribe(List.of(topic), new Rebalance());
        }
        c.poll(POLL);
      }
    } catch (WakeupException | InterruptException e) {
      // stopping
    } catch (RuntimeException e) {
      joined.tryFail(e);
      LOG.error("feed: the leader lease stopped: {}", e.toString());
    } finally {
      change(false, "left the group");
    }
  }

  private void change(boolean nowLeader, String why) {
    if (leader == nowLeader) {
      return;
    }
    leader = nowLeader;
    LOG.info("feed: {} the lease ({})", nowLeader ? "holds" : "lost", why);
    Consumer<Listener> call = nowLeader ? Listener::elected : Listener::deposed;
    context.runOnContext(v -> call.accept(listener));
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        change(true, "assigned " + partitions);
      }
      joined.tryComplete();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        change(false, "revoked");
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        change(false, "lost: this member was removed from the group");
      }
    }
  }
}
