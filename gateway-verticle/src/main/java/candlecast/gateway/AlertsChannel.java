package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The alert side of one JSON {@code /ws} connection (issue 17): the {@code alert_*} requests (one
 * at a time, like every command: {@link CommandFlow}) and the {@code alerts} channel. Subscribing
 * registers with the node's {@link AlertHub} first; live fires are held back while the fires
 * recorded after {@code since} are fetched ({@code op:"fires"}, paged) and written, then the held
 * ones follow except those already written (same fire id): no gap and no duplicate at the seam.
 * Fires are control frames: written whole, never dropped or coalesced.
 *
 * <p>Event-loop confined.
 */
final class AlertsChannel implements AlertHub.Listener {
  static final int PAGE = 500;

  private final Subscriptions subs;
  private final AlertHub hub;
  private final Context context;
  private final DeliveryOptions options;
  private String owner;
  private boolean joined;

  /** Bumped by every subscribe and drop: a callback of an earlier subscription does nothing. */
  private int generation;

  /** While missed fires are fetched: the live ones held back; null once live. */
  private List<Object[]> held;

  /** The fire ids written by the catch-up (the seam's dedupe), null once live. */
  private Set<String> caughtUp;

  /**
   * After going live: the catch-up's recent fire ids, whose live copy may still be on its way (a
   * fire is recorded before it is published, so the catch-up can hold it before it arrives live);
   * each is dropped when its copy arrives. Null when empty.
   */
  private Set<String> recent;

  /**
   * How far back (recordedAt) a caught-up fire may still arrive live: a minute of bus delay, or the
   * node's {@link AlertHub} repairing it from the log (its sweep window, {@link
   * FireRepair#LOOKBACK_MS}, plus two sweeps).
   */
  static final long SEAM_MS = FireRepair.LOOKBACK_MS + 2 * AlertHub.SWEEP_MS;

  AlertsChannel(Subscriptions subs, AlertHub hub) {
    this.subs = subs;
    this.hub = hub;
    this.context =
        ((io.vertx.core.internal.ContextInternal) subs.env.vertx().getOrCreateContext()).unwrap();
    this.options = new DeliveryOptions().setSendTimeout(subs.env.options().historyTimeoutMs());
  }

  @Override
  public Context context() {
    return context;
  }

  /** An {@code alert_*} request: asked of {@code candlecast.alerts}, answered in its reply type. */
  void request(Command.AlertRequest cmd) {
    CommandFlow flow = subs.flow;
    String who;
    try {
      who = subs.owner(cmd.owner());
    } catch (IllegalArgumentException e) {
      flow.reply(error(AlertErrors.of(e), cmd.id()));
      return;
    }
    flow.begin();
    ask(cmd.request().copy().put("owner", who))
        .onComplete(
            ar -> {
              flow.reply(
                  ar.succeeded()
                      ? reply(cmd, ar.result())
                      : error(AlertErrors.of(ar.cause()), cmd.id()));
              flow.end();
            });
  }

  private Future<JsonObject> ask(JsonObject request) {
    return subs.env
        .bus()
        .<Object>request(Addresses.ALERTS, request, options)
        .compose(
            m ->
                m.body() instanceof JsonObject j
                    ? Future.succeededFuture(AlertRecords.redact(j))
                    : Future.failedFuture(
                        new IllegalStateException("the alert service sent a malformed reply")));
  }

  static JsonObject reply(Command.AlertRequest cmd, JsonObject body) {
    JsonObject r =
        switch (cmd.type()) {
          case AlertCommands.CREATE ->
              new JsonObject().put("type", "alert_created").put("alert", body);
          case AlertCommands.DELETE ->
              new JsonObject()
                  .put("type", "alert_deleted")
                  .put("alertId", body.getValue("id", cmd.request().getValue("id")));
          case AlertCommands.GET ->
              new JsonObject()
                  .put("type", "alert_detail")
                  .put("alert", body.getValue("alert"))
                  .put("fires", body.getValue("fires", new JsonArray()));
          default ->
              new JsonObject()
                  .put("type", "alerts")
                  .put("alerts", body.getValue("alerts", new JsonArray()));
        };
    return cmd.id() == null ? r : r.put("id", cmd.id());
  }

  static JsonObject error(AlertErrors.AlertError e, Object id) {
    return Frames.jsonError(e.code(), e.message(), id);
  }

  /** {@code subscribe} of the {@code alerts} channel. */
  void subscribe(Command.SubscribeAlerts cmd) {
    CommandFlow flow = subs.flow;
    if (owner != null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.ALREADY_SUBSCRIBED,
              "already subscribed to the alerts of " + owner + "; unsubscribe first",
              cmd.id()));
      return;
    }
    String who;
    try {
      who = subs.owner(cmd.owner());
    } catch (IllegalArgumentException e) {
      flow.reply(error(AlertErrors.of(e), cmd.id()));
      return;
    }
    owner = who;
    int gen = ++generation;
    held = cmd.since() == null ? null : new ArrayList<>();
    caughtUp = cmd.since() == null ? null : new HashSet<>();
    flow.begin();
    hub.join(who, this)
        .onComplete(
            ar -> {
              if (gen != generation) { // unsubscribed or closed meanwhile
                flow.end();
                return;
              }
              if (ar.failed()) {
                drop();
                flow.reply(
                    error(
                        new AlertErrors.AlertError(
                            503,
                            AlertErrors.UNAVAILABLE,
                            "cannot listen to the alerts of "
                                + who
                                + ": "
                                + ar.cause().getMessage()),
                        cmd.id()));
                flow.end();
                return;
              }
              joined = true;
              flow.reply(ack("subscribed", cmd.id()));
              if (cmd.since() == null) {
                flow.end();
                return;
              }
              catchUp(who, gen, cmd.since(), cmd.id()).onComplete(done -> flow.end());
            });
  }

  /** Writes the fires recorded after {@code since}, page by page, then goes live. */
  private Future<Void> catchUp(String who, int gen, long since, Object id) {
    JsonObject req =
        new JsonObject()
            .put("op", "fires")
            .put("owner", who)
            .put("since", since)
            .put("limit", PAGE);
    return ask(req)
        .compose(
            body -> {
              if (gen != generation) {
                return Future.succeededFuture();
              }
              JsonArray fires = body.getJsonArray("fires", new JsonArray());
              long last = since;
              for (Object o : fires) {
                if (o instanceof JsonObject f) {
                  caughtUp.add(f.getString("fire", ""));
                  if (recent == null) {
                    recent = new HashSet<>();
                  }
                  recent.add(f.getString("fire", "") + "\n" + f.getLong("recordedAt", 0L));
                  subs.flow.reply(asFrame(f).toBuffer());
                  last = Math.max(last, f.getLong("recordedAt", last));
                }
              }
              if (fires.size() >= PAGE && last > since) {
                return catchUp(who, gen, last, id);
              }
              goLive();
              return Future.succeededFuture();
            })
        .recover(
            err -> {
              if (gen == generation) {
                subs.flow.reply(error(AlertErrors.of(err), id));
                goLive();
              }
              return Future.succeededFuture();
            });
  }

  private void goLive() {
    List<Object[]> pending = held;
    Set<String> seen = caughtUp;
    held = null;
    caughtUp = null;
    if (pending != null) {
      for (Object[] p : pending) {
        JsonObject event = (JsonObject) p[0];
        if (!seen.contains(event.getString("fire", ""))) {
          subs.flow.reply((Buffer) p[1]);
        } else if (recent != null) {
          recent.remove(event.getString("fire", "") + "\n" + event.getLong("recordedAt", 0L));
        }
      }
    }
    keepRecent();
  }

  @Override
  public void fire(JsonObject event, Buffer frame) {
    if (!joined || owner == null) {
      return;
    }
    if (held != null) {
      held.add(new Object[] {event, frame});
      return;
    }
    if (recent != null
        && recent.remove(event.getString("fire", "") + "\n" + event.getLong("recordedAt", 0L))) {
      if (recent.isEmpty()) {
        recent = null;
      }
      return; // the catch-up wrote it
    }
    subs.flow.reply(frame);
  }

  /**
   * Keeps, of the catch-up's fire ids, those recorded within {@link #SEAM_MS} of its newest: older
   * ones were published long before and cannot arrive live any more.
   */
  private void keepRecent() {
    if (recent == null) {
      return;
    }
    long newest = 0;
    for (String r : recent) {
      newest = Math.max(newest, Long.parseLong(r.substring(r.lastIndexOf('\n') + 1)));
    }
    long floor = newest - SEAM_MS;
    recent.removeIf(r -> Long.parseLong(r.substring(r.lastIndexOf('\n') + 1)) < floor);
    if (recent.isEmpty()) {
      recent = null;
    }
  }

  /** The event as the {@code alert} frame (fires from the log carry {@code type} already). */
  static JsonObject asFrame(JsonObject event) {
    return "alert".equals(event.getString("type")) ? event : event.copy().put("type", "alert");
  }

  /** {@code unsubscribe} of the {@code alerts} channel. */
  void unsubscribe(Command.UnsubscribeAlerts cmd) {
    if (owner == null) {
      subs.flow.reply(
          Frames.jsonError(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to alerts", cmd.id()));
      return;
    }
    JsonObject ack = ack("unsubscribed", cmd.id());
    drop();
    subs.flow.reply(ack);
  }

  private JsonObject ack(String status, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", status)
            .put("channel", AlertCommands.CHANNEL)
            .put("owner", owner);
    return id == null ? j : j.put("id", id);
  }

  /** Whether the connection listens to its owner's fires. */
  boolean subscribed() {
    return owner != null;
  }

  /** Ends the subscription (unsubscribe, unsubscribe all, close); returns 1 if there was one. */
  int drop() {
    if (owner == null) {
      return 0;
    }
    hub.leave(owner, this);
    generation++;
    owner = null;
    joined = false;
    held = null;
    caughtUp = null;
    recent = null;
    return 1;
  }
}
