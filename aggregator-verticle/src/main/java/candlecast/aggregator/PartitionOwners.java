package candlecast.aggregator;

import candlecast.common.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One consumer per {@code trades} partition this instance holds, on {@link
 * Addresses#ownerPartition}: requests for a symbol nobody owns yet (an import for a symbol without
 * trades) reach the instance that will own it. Remembers which partition each such symbol came
 * through, so it is dropped with its partition.
 */
final class PartitionOwners {
  private final Vertx vertx;
  private final Handler<Message<Object>> ownerHandler;
  private final Map<Integer, MessageConsumer<Object>> consumers = new HashMap<>();
  private final Map<String, Integer> adopted = new HashMap<>();

  PartitionOwners(Vertx vertx, Handler<Message<Object>> ownerHandler) {
    this.vertx = vertx;
    this.ownerHandler = ownerHandler;
  }

  /** Registers the consumers of newly held partitions and removes those of partitions let go. */
  void follow(Set<Integer> partitions) {
    for (Iterator<Map.Entry<Integer, MessageConsumer<Object>>> it = consumers.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Integer, MessageConsumer<Object>> e = it.next();
      if (!partitions.contains(e.getKey())) {
        e.getValue().unregister();
        it.remove();
      }
    }
    for (int p : partitions) {
      consumers.computeIfAbsent(
          p,
          k ->
              vertx
                  .eventBus()
                  .consumer(
                      Addresses.ownerPartition(k),
                      m -> {
                        if (m.body() instanceof JsonObject j
                            && j.getValue("symbol") instanceof String s) {
                          adopted.put(s, k);
                        }
                        ownerHandler.handle(m);
                      }));
    }
  }

  /** Records that a symbol read from {@code candles} partition p belongs to p. */
  void adopt(String symbol, int partition) {
    adopted.put(symbol, partition);
  }

  /** The symbols adopted through partition p, forgotten now. */
  Set<String> drop(int partition) {
    Set<String> out = new java.util.TreeSet<>();
    adopted.entrySet().removeIf(e -> e.getValue() == partition && out.add(e.getKey()));
    return out;
  }

  void close() {
    consumers.values().forEach(MessageConsumer::unregister);
    consumers.clear();
  }
}
