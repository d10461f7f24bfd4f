package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * The node's one consumer of {@code candlecast.notices} (issue 17), shared by its gateway instances
 * and ref-counted. Each notice is re-published on this node only: on {@link #LOCAL} for the
 * instances (each writes it to its connections), on the bridge address {@code notices} and, with a
 * symbol, {@code notices.<SYMBOL>} (outbound-only bridge addresses).
 */
final class NoticeRelay implements Shareable {
  /** Where the node's instances take notices from (local only). */
  static final String LOCAL = "candlecast.gateway.notices";

  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "notice-relay";
  private static final DeliveryOptions LOCAL_ONLY = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final MessageConsumer<Object> consumer;
  private int users;

  private NoticeRelay(Vertx vertx) {
    this.vertx = vertx;
    EventBus bus = vertx.eventBus();
    this.consumer = bus.consumer(Addresses.NOTICES, m -> relay(bus, m.body()));
  }

  /** The node's relay (its consumer registered on the first caller's context). */
  static NoticeRelay of(Vertx vertx) {
    LocalMap<String, NoticeRelay> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (NoticeRelay.class) {
      NoticeRelay r = map.get(KEY);
      if (r == null) {
        r = new NoticeRelay(vertx);
        map.put(KEY, r);
      }
      r.users++;
      return r;
    }
  }

  /** Completes once the consumer is registered. */
  Future<Void> ready() {
    return consumer.completion();
  }

  /** Gives back an {@link #of} reference; the last one unregisters the consumer. */
  Future<Void> release() {
    synchronized (NoticeRelay.class) {
      if (--users > 0) {
        return Future.succeededFuture();
      }
      vertx.sharedData().<String, NoticeRelay>getLocalMap(MAP).remove(KEY, this);
    }
    return consumer.unregister();
  }

  private static void relay(EventBus bus, Object body) {
    if (!Notices.deliverable(body)) {
      return;
    }
    JsonObject notice = (JsonObject) body;
    bus.publish(LOCAL, notice, LOCAL_ONLY);
    bus.publish(Notices.BRIDGE_ADDRESS, notice, LOCAL_ONLY);
    String symbol = notice.getString("symbol");
    if (symbol != null) {
      bus.publish(Notices.bridgeAddress(symbol), notice, LOCAL_ONLY);
    }
  }
}
