package candlecast.deploy;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.partition.Partition;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vertx-hazelcast's cluster manager, made to survive a member that is dropped while paused.
 *
 * <p>On a member's removal vertx-hazelcast scans the whole subscription map at once. Right after
 * the removal the partition table still names the dropped member as the owner of its partitions, so
 * part of that scan is sent to it and waits for an answer that never comes, until Hazelcast's
 * operation-heartbeat timeout; meanwhile the cluster manager holds its monitor, and the failure
 * skips the rest of the clean-up (the node never hears that the member left). Seen in the first
 * 60-minute chaos run (docs/RELIABILITY.md): two minutes without event-bus registrations on a
 * gateway. This manager first waits (bounded) until the dropped member owns no partition (its
 * backups were promoted), then lets vertx-hazelcast clean up.
 */
final class SafeClusterManager extends HazelcastClusterManager {
  private static final Logger LOG = LoggerFactory.getLogger(SafeClusterManager.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final int MERGE_ATTEMPTS = 5;
  private static final long MERGE_RETRY_MS = 1_000;

  private final long handoverWaitMs;

  /**
   * @param handoverWaitMs the longest wait for a dropped member's partitions to move before the
   *     clean-up runs anyway
   */
  SafeClusterManager(Config config, long handoverWaitMs) {
    super(config);
    this.handoverWaitMs = handoverWaitMs;
  }

  // waits outside the monitor on purpose: holding it while the partitions move is the stall
  @SuppressWarnings("UnsynchronizedOverridesSynchronized")
  @Override
  public void memberRemoved(MembershipEvent event) {
    awaitPartitionsLeave(event.getMember());
    super.memberRemoved(event);
  }

  /**
   * After a merge vertx-hazelcast re-checks the members and cleans up after the ones that left; a
   * failure there (an operation timing out while the partitions settle) would skip putting this
   * node's info and registrations back, and is not retried by anyone else: retry it here.
   */
  // retries outside the monitor on purpose, like memberRemoved
  @SuppressWarnings("UnsynchronizedOverridesSynchronized")
  @Override
  public void stateChanged(LifecycleEvent event) {
    for (int attempt = 1; ; attempt++) {
      try {
        super.stateChanged(event);
        return;
      } catch (RuntimeException e) {
        HazelcastInstance hz = getHazelcastInstance();
        boolean running = hz != null && hz.getLifecycleService().isRunning();
        if (attempt >= MERGE_ATTEMPTS || !running) {
          LOG.warn(
              "handling {} failed {} time(s), giving up: {}",
              event.getState(),
              attempt,
              e.toString());
          return;
        }
        LOG.warn("handling {} failed, retrying: {}", event.getState(), e.toString());
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(MERGE_RETRY_MS));
      }
    }
  }

  private void awaitPartitionsLeave(Member gone) {
    HazelcastInstance hz = getHazelcastInstance();
    if (hz == null) {
      return;
    }
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(handoverWaitMs);
    int owned = ownedBy(hz, gone.getUuid());
    while (owned > 0 && System.nanoTime() < deadline && hz.getLifecycleService().isRunning()) {
      LockSupport.parkNanos(POLL_NANOS);
      owned = ownedBy(hz, gone.getUuid());
    }
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (owned > 0) {
      LOG.warn(
          "member {} still owns {} partition(s) after {} ms; cleaning up its subscriptions anyway",
          gone.getAddress(),
          owned,
          waitedMs);
    } else if (waitedMs > 0) {
      LOG.info("member {}'s partitions moved in {} ms", gone.getAddress(), waitedMs);
    }
  }

  /** Partitions the partition table still gives to the member {@code uuid}. */
  static int ownedBy(HazelcastInstance hz, UUID uuid) {
    int n = 0;
    try {
      for (Partition p : hz.getPartitionService().getPartitions()) {
        Member owner = p.getOwner();
        if (owner != null && owner.getUuid().equals(uuid)) {
          n++;
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("reading the partition table: {}", e.toString());
      return 0;
    }
    return n;
  }
}
