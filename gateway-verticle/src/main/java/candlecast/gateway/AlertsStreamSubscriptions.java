package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols a {@code /ws/alerts} connection subscribed to (issue 17). The connection listens to
 * its owner's fires ({@link AlertHub}) while it holds a symbol. Subscribing asks {@code
 * candlecast.alerts} for the owner's alerts of the symbol ({@code op:"list"}), acks, then sends the
 * {@code data} message; a fire of one of them updates its record ({@link
 * AlertsStreamFrames#afterFire}) and the message is sent again; a fire of an alert it does not know
 * (created since) lists the symbol again. Fires that arrive while a list is under way are applied
 * after it, when newer than the listed record ({@code seq} &gt; {@code fireCount}).
 *
 * <p>Event-loop confined.
 */
final class AlertsStreamSubscriptions implements AlertHub.Listener {
  private final Subscriptions subs;
  private final AlertsStreamDialect dialect;
  private final Context context;
  private final DeliveryOptions options;
  private final Map<String, Part> parts = new HashMap<>(4);
  private String owner;

  private static final class Part {
    final String spelling;
    List<JsonObject> records;

    /** Fires that came while the records were being listed; null when none is under way. */
    List<JsonObject> pending = new ArrayList<>(0);

    Part(String spelling) {
      this.spelling = spelling;
    }
  }

  AlertsStreamSubscriptions(Subscriptions subs, AlertsStreamDialect dialect) {
    this.subs = subs;
    this.dialect = dialect;
    this.context =
        ((io.vertx.core.internal.ContextInternal) subs.env.vertx().getOrCreateContext()).unwrap();
    this.options = new DeliveryOptions().setSendTimeout(subs.env.options().historyTimeoutMs());
  }

  @Override
  public Context context() {
    return context;
  }

  void subscribe(Command.AlertsStreamSubscribe cmd) {
    CommandFlow flow = subs.flow;
    if (parts.containsKey(cmd.symbol())) {
      flow.reply(dialect.subscription("subscribed", cmd.spelling()));
      return;
    }
    int max = subs.env.options().maxSubscriptions();
    if (parts.size() + subs.count() >= max) {
      flow.reply(dialect.tooManySubscriptions(null, null, max));
      return;
    }
    if (owner == null) {
      try {
        owner = subs.owner(null);
      } catch (IllegalArgumentException e) {
        AlertErrors.AlertError err = AlertErrors.of(e);
        flow.reply(dialect.error(err.code(), err.message(), null, null));
        return;
      }
    }
    Part p = new Part(cmd.spelling());
    boolean first = parts.isEmpty();
    parts.put(cmd.symbol(), p);
    flow.begin();
    Future<Void> listening = first ? dialect.hub().join(owner, this) : Future.succeededFuture();
    listening
        .compose(v -> list(cmd.symbol()))
        .onComplete(
            ar -> {
              if (parts.get(cmd.symbol()) != p) {
                flow.end();
                return;
              }
              if (ar.failed()) {
                drop(cmd.symbol());
                AlertErrors.AlertError err = AlertErrors.of(ar.cause());
                flow.reply(
                    dialect.error(
                        err.code(),
                        "alerts of " + cmd.spelling() + ": " + err.message(),
                        null,
                        null));
                flow.end();
                return;
              }
              flow.reply(dialect.subscription("subscribed", cmd.spelling()));
              listed(p, ar.result());
              flow.end();
            });
  }

  private Future<List<JsonObject>> list(String symbol) {
    JsonObject req = new JsonObject().put("op", "list").put("owner", owner).put("symbol", symbol);
    return subs.env
        .bus()
        .<Object>request(Addresses.ALERTS, req, options)
        .compose(
            m -> {
              JsonArray all =
                  m.body() instanceof JsonObject j ? j.getJsonArray("alerts", null) : null;
              if (all == null) {
                return Future.failedFuture(
                    new IllegalStateException("the alert service sent a malformed reply"));
              }
              List<JsonObject> records = new ArrayList<>(all.size());
              for (Object o : all) {
                if (o instanceof JsonObject r) {
                  records.add(r);
                }
              }
              return Future.succeededFuture(records);
            });
  }

  /** The records are in: apply the fires that came meanwhile, send the message. */
  private void listed(Part p, List<JsonObject> records) {
    List<JsonObject> fires = p.pending;
    p.records = records;
    p.pending = null;
    for (JsonObject f : fires) {
      apply(p, f);
    }
    send(p);
  }

  private void send(Part p) {
    subs.flow.reply(AlertsStreamFrames.data(p.spelling, dialect.now(), p.records));
  }

  /** Applies a fire to the part's records; false when the alert is not among them. */
  private static boolean apply(Part p, JsonObject fire) {
    String id = fire.getString("alert");
    for (int i = 0; i < p.records.size(); i++) {
      JsonObject r = p.records.get(i);
      if (r.getString("id", "").equals(id)) {
        if (fire.getLong("seq", 1L) > r.getLong("fireCount", 0L)) {
          p.records.set(i, AlertsStreamFrames.afterFire(r, fire));
        }
        return true;
      }
    }
    return false;
  }

  @Override
  public void fire(JsonObject event, Buffer frame) {
    String symbol = event.getString("symbol");
    Part p = symbol == null ? null : parts.get(symbol);
    if (p == null) {
      return;
    }
    if (p.pending != null) {
      p.pending.add(event);
      return;
    }
    if (apply(p, event)) {
      send(p);
      return;
    }
    p.pending = new ArrayList<>(List.of(event));
    list(symbol)
        .onComplete(
            ar -> {
              if (parts.get(symbol) != p) {
                return;
              }
              if (ar.succeeded()) {
                listed(p, ar.result());
              } else {
                p.pending = null; // the next fire lists again
              }
            });
  }

  void unsubscribe(Command.AlertsStreamUnsubscribe cmd) {
    if (!parts.containsKey(cmd.symbol())) {
      subs.flow.reply(
          dialect.error(
              ErrorCodes.NOT_SUBSCRIBED, "not subscribed to " + cmd.spelling(), null, null));
      return;
    }
    drop(cmd.symbol());
    subs.flow.reply(dialect.subscription("unsubscribed", cmd.spelling()));
  }

  private void drop(String symbol) {
    parts.remove(symbol);
    if (parts.isEmpty() && owner != null) {
      dialect.hub().leave(owner, this);
    }
  }

  /** Whether the connection holds {@code symbol}. */
  boolean holds(String symbol) {
    return parts.containsKey(symbol);
  }

  int count() {
    return parts.size();
  }

  /** Ends every subscription (the connection closes); returns how many there were. */
  int dropAll() {
    int n = parts.size();
    parts.clear();
    if (n > 0 && owner != null) {
      dialect.hub().leave(owner, this);
    }
    return n;
  }
}
