package candlecast.aggregator.alerts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Read-your-writes for the {@link AlertDirectory}: the offsets applied so far, and the requests
 * waiting until they reach the end offsets taken when the request arrived. One thread (the
 * aggregator's context).
 */
final class DirectoryBarrier {
  private final Map<TopicPartition, Long> applied = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Map<TopicPartition, Long> target, Promise<Void> done) {}

  /** Completes once every partition of {@code target} is applied up to its offset. */
  Future<Void> await(Map<TopicPartition, Long> target) {
    if (reached(target)) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    waiters.add(new Waiter(target, p));
    return p.future();
  }

  /** The reader applied every record before these positions. */
  void advance(Map<TopicPartition, Long> positions) {
    positions.forEach((tp, off) -> applied.merge(tp, off, Math::max));
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.done().future().isComplete()) {
        it.remove(); // timed out meanwhile
      } else if (reached(w.target())) {
        it.remove();
        w.done().complete();
      }
    }
  }

  int waiting() {
    return waiters.size();
  }

  private boolean reached(Map<TopicPartition, Long> target) {
    for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
      if (e.getValue() > applied.getOrDefault(e.getKey(), 0L)) {
        return false;
      }
    }
    return true;
  }
}
