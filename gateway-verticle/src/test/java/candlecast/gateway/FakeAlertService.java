package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Symbols;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the aggregator's {@code candlecast.alerts} responder (the contract of issue 17):
 * alerts and fires in memory per owner, the contract's error codes, and {@link #fire} to record a
 * fire and publish it on {@code alerts.owner.<owner>} as the owner of the symbol does.
 */
final class FakeAlertService {
  final Vertx vertx;
  final Set<String> symbols;
  final int maxPerOwner;
  final Map<String, JsonObject> alerts = new LinkedHashMap<>();
  final List<JsonObject> fires = new CopyOnWriteArrayList<>();

  /** Every request as it arrived (owners as the gateway set them). */
  final List<JsonObject> requests = new CopyOnWriteArrayList<>();

  volatile boolean unavailable;
  private long nextId = 1;
  private long clock = System.currentTimeMillis(); // recordedAt is a wall-clock time, as a node's
  private final MessageConsumer<Object> consumer;

  FakeAlertService(Vertx vertx, int maxPerOwner, String... symbols) throws Exception {
    this.vertx = vertx;
    this.symbols = Set.of(symbols);
    this.maxPerOwner = maxPerOwner;
    this.consumer = vertx.eventBus().consumer(Addresses.ALERTS, this::handle);
    Await.await(consumer.completion());
  }

  void close() throws Exception {
    Await.await(consumer.unregister());
  }

  private synchronized void handle(Message<Object> m) {
    JsonObject req = (JsonObject) m.body();
    requests.add(req.copy());
    if (unavailable) {
      m.fail(503, "alerts_unavailable: BTCUSD's owner is taking over");
      return;
    }
    String owner = req.getString("owner");
    if (!OwnerIdentity.valid(owner)) {
      m.fail(400, "bad_owner: " + owner);
      return;
    }
    switch (req.getString("op", "")) {
      case "create" -> create(m, owner, req.getJsonObject("alert"));
      case "list" -> m.reply(new JsonObject().put("alerts", list(owner, req)));
      case "get" -> withAlert(m, owner, req.getString("id"), a -> m.reply(detail(a)));
      case "delete" ->
          withAlert(
              m,
              owner,
              req.getString("id"),
              a -> {
                alerts.remove(a.getString("id"));
                m.reply(new JsonObject().put("id", a.getString("id")).put("deleted", true));
              });
      case "deliveries" ->
          withAlert(
              m,
              owner,
              req.getString("id"),
              a -> m.reply(new JsonObject().put("deliveries", new JsonArray())));
      case "fires" -> m.reply(new JsonObject().put("fires", firesOf(owner, req)));
      default -> m.fail(400, "bad_alert: op: unknown op " + req.getValue("op"));
    }
  }

  private void create(Message<Object> m, String owner, JsonObject def) {
    if (def == null || !(def.getValue("symbol") instanceof String s)) {
      m.fail(400, "bad_alert: symbol: missing");
      return;
    }
    String symbol = Symbols.normalize(s);
    if (symbol == null || !symbols.contains(symbol)) {
      m.fail(404, "unknown_symbol: " + s);
      return;
    }
    if (!(def.getValue("condition") instanceof JsonObject cond)
        || !(cond.getValue("kind") instanceof String)) {
      m.fail(400, "bad_alert: condition: missing");
      return;
    }
    long mine = alerts.values().stream().filter(a -> owner.equals(a.getString("owner"))).count();
    if (mine >= maxPerOwner) {
      m.fail(429, "too_many_alerts: at most " + maxPerOwner + " per owner");
      return;
    }
    String id = "al-" + String.format("%010d", nextId++);
    JsonObject rec =
        new JsonObject()
            .put("id", id)
            .put("owner", owner)
            .put("symbol", symbol)
            .put("condition", cond)
            .put("mode", def.getString("mode", "once"))
            .put("cooldownMs", def.getLong("cooldownMs", 60_000L))
            .put("expiresAt", def.getValue("expiresAt"))
            .put("webhook", def.getValue("webhook"))
            // the stored record keeps the secret; the gateway must redact it
            .put("webhookSecret", def.getValue("webhookSecret", false))
            .put("note", def.getString("note", ""))
            .put("createdAt", clock++)
            .put("state", "armed")
            .put("fireCount", 0)
            .putNull("lastFire");
    alerts.put(id, rec);
    m.reply(rec.copy());
  }

  private JsonArray list(String owner, JsonObject req) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject a : alerts.values()) {
      if (owner.equals(a.getString("owner"))
          && (req.getString("symbol") == null
              || req.getString("symbol").equals(a.getString("symbol")))
          && (req.getString("state") == null
              || req.getString("state").equals(a.getString("state")))) {
        out.add(0, a.copy());
      }
    }
    return new JsonArray(out);
  }

  private JsonObject detail(JsonObject a) {
    JsonArray f = new JsonArray();
    for (JsonObject e : fires) {
      if (a.getString("id").equals(e.getString("alert"))) {
        f.add(e);
      }
    }
    return new JsonObject().put("alert", a.copy()).put("fires", f);
  }

  private JsonArray firesOf(String owner, JsonObject req) {
    long since = req.getLong("since", 0L);
    int limit = req.getInteger("limit", 500);
    JsonArray out = new JsonArray();
    for (JsonObject e : fires) {
      if (owner.equals(e.getString("owner"))
          && e.getLong("recordedAt") > since
          && out.size() < limit) {
        out.add(e);
      }
    }
    return out;
  }

  private void withAlert(
      Message<Object> m, String owner, String id, java.util.function.Consumer<JsonObject> then) {
    JsonObject a = id == null ? null : alerts.get(id);
    if (a == null || !owner.equals(a.getString("owner"))) {
      m.fail(404, "not_found: alert " + id);
      return;
    }
    then.accept(a);
  }

  /**
   * Records a fire of alert {@code id} on a trade at {@code price} and publishes it on the owner's
   * address (after recording, as the contract says); returns the event.
   */
  synchronized JsonObject fire(String id, double price) {
    JsonObject event = record(id, price);
    vertx.eventBus().publish(Addresses.alertsOwner(event.getString("owner")), event);
    return event;
  }

  /** Records a fire without publishing it (as when the publish was lost on the bus). */
  synchronized JsonObject record(String id, double price) {
    JsonObject a = alerts.get(id);
    long seq = a.getLong("fireCount") + 1;
    long offset = 1000L + fires.size();
    clock = Math.max(clock + 1, System.currentTimeMillis());
    long t = clock;
    JsonObject event =
        new JsonObject()
            .put("type", "alert")
            .put("fire", id + "|t:" + offset)
            .put("alert", id)
            .put("owner", a.getString("owner"))
            .put("symbol", a.getString("symbol"))
            .put("kind", a.getJsonObject("condition").getString("kind"))
            .put("condition", a.getJsonObject("condition"))
            .put("note", a.getString("note"))
            .put(
                "trade",
                new JsonObject()
                    .put("id", 5000 + offset)
                    .put("t", t)
                    .put("price", price)
                    .put("amount", 0.01)
                    .put("offset", offset))
            .putNull("candle")
            .put("value", price)
            .put("threshold", a.getJsonObject("condition").getValue("level"))
            .put("firedAt", t)
            .put("recordedAt", t + 3)
            .put("seq", seq)
            .put("final", "once".equals(a.getString("mode")));
    fires.add(event);
    a.put("fireCount", seq).put("lastFire", event);
    if ("once".equals(a.getString("mode"))) {
      a.put("state", "fired");
    }
    return event;
  }
}
