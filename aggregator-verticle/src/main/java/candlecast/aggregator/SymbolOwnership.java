package candlecast.aggregator;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The symbols this aggregator instance owns (its trades partitions hold them): one per-symbol owner
 * consumer each, and their entries in the cluster-wide symbol directory ({@link
 * AggregatorVerticle#DIRECTORY_MAP}).
 */
final class SymbolOwnership {
  private static final Logger LOG = LoggerFactory.getLogger(SymbolOwnership.class);

  /**
   * The directory's value for a symbol whose owner let it go (revoked or lost partition): the
   * symbol stays known while its next owner restores it (issue 19).
   */
  static final String MOVING = "moving";

  private final Vertx vertx;
  private final String deploymentId;
  private final Handler<Message<Object>> ownerHandler;

  /** Owned symbols with their per-symbol owner consumer. */
  private final Map<String, MessageConsumer<Object>> owned = new HashMap<>();

  private AsyncMap<String, String> directory;

  SymbolOwnership(Vertx vertx, String deploymentId, Handler<Message<Object>> ownerHandler) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.ownerHandler = ownerHandler;
  }

  /** Opens the symbol directory; until then ownership is local only. */
  Future<Void> openDirectory() {
    return vertx
        .sharedData()
        .<String, String>getAsyncMap(AggregatorVerticle.DIRECTORY_MAP)
        .map(
            m -> {
              directory = m;
              return null;
            });
  }

  void own(String symbol) {
    if (owned.containsKey(symbol)) {
      return;
    }
    MessageConsumer<Object> c = vertx.eventBus().consumer(Addresses.owner(symbol), ownerHandler);
    owned.put(symbol, c);
    if (directory != null) {
      directory
          .put(symbol, deploymentId)
          .onFailure(e -> LOG.warn("symbol directory: {}", e.toString()));
    }
  }

  void disown(String symbol) {
    MessageConsumer<Object> c = owned.remove(symbol);
    if (c != null) {
      c.unregister();
    }
    if (directory != null) {
      // kept, marked moving: removing it would make the symbol unknown until its next owner has it
      directory
          .replaceIfPresent(symbol, deploymentId, MOVING)
          .onFailure(e -> LOG.warn("symbol directory: {}", e.toString()));
    }
  }

  boolean owns(String symbol) {
    return owned.containsKey(symbol);
  }

  int count() {
    return owned.size();
  }

  /** The owned symbols and every symbol in the directory, sorted. */
  Future<Set<String>> allSymbols() {
    Set<String> all = new TreeSet<>(owned.keySet());
    if (directory == null) {
      return Future.succeededFuture(all);
    }
    return directory
        .keys()
        .map(
            keys -> {
              all.addAll(keys);
              return all;
            });
  }

  /**
   * Whether the symbol exists: owned here, or in the directory (with an owner, moving, or announced
   * by a feed). Fails when the directory cannot be read: then nobody can say it is unknown.
   */
  Future<Boolean> known(String symbol) {
    if (owned.containsKey(symbol)) {
      return Future.succeededFuture(true);
    }
    if (directory == null) {
      return Future.failedFuture(new IllegalStateException("the symbol directory is not open"));
    }
    return directory.get(symbol).map(v -> v != null);
  }
}
