package candlecast.aggregator.alerts;

import candlecast.aggregator.HistoryStore;
import candlecast.common.Addresses;
import candlecast.common.Topics;
import candlecast.common.alerts.AlertCondition;
import candlecast.common.alerts.AlertDefinition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Answers {@code candlecast.alerts} (any instance): create, delete, get, list, fires and deliveries
 * (docs/PROTOCOL.md "Alerts: event bus"). Reads come from this instance's {@link AlertDirectory}
 * once it has read the topics up to their ends at the request's arrival (read-your-writes); creates
 * and deletes go to the symbol's owner ({@code alerts.create} / {@code alerts.delete} on its owner
 * address, {@link #answerOwner}), which seeds candle kinds from its history and hands the record to
 * its {@link AlertIntake}.
 */
public final class AlertService {
  /** How long a request waits for the directory to catch up. */
  static final long CATCH_UP_MS = 15_000;

  /** How old a fire may be for a new owner to resume its unfinished webhook delivery. */
  static final long RESUME_WINDOW_MS = 86_400_000L;

  /** Which symbols this instance owns, and whether any instance does. */
  public interface SymbolOwners {
    boolean owns(String symbol);

    Future<Boolean> known(String symbol);
  }

  private final Vertx vertx;
  private final HistoryStore history;
  private final SymbolOwners owners;
  private final int maxPerOwner;
  private final AlertDirectory directory;
  private final DirectoryBarrier barrier = new DirectoryBarrier();
  private final DirectoryReader reader;
  private AlertIntake intake;
  private Thread readerThread;
  LongSupplier clock = System::currentTimeMillis;

  /**
   * @param readerConfig group-less consumer settings for the directory's reader
   */
  public AlertService(
      Vertx vertx,
      Context context,
      HistoryStore history,
      SymbolOwners owners,
      Map<String, Object> readerConfig,
      int maxPerOwner,
      int fireHistory) {
    this.vertx = vertx;
    this.history = history;
    this.owners = owners;
    this.maxPerOwner = maxPerOwner;
    this.directory = new AlertDirectory(fireHistory);
    this.reader =
        new DirectoryReader(
            readerConfig,
            List.of(Topics.ALERTS, Topics.ALERT_FIRES, Topics.ALERT_WEBHOOKS),
            context,
            new DirectorySink(directory, barrier));
  }

  /** The owner's side of creates and deletes (null: this instance evaluates no alerts). */
  public void intake(AlertIntake intake) {
    this.intake = intake;
  }

  /** Starts the directory's reader and registers the {@code candlecast.alerts} responder. */
  public MessageConsumer<Object> start() {
    readerThread = new Thread(reader, "candlecast-alert-directory");
    readerThread.setDaemon(true);
    readerThread.start();
    return vertx.eventBus().consumer(Addresses.ALERTS, this::onRequest);
  }

  /** Stops the reader (it closes its consumer within a poll). */
  public void stop() {
    reader.stop();
  }

  private void onRequest(Message<Object> m) {
    if (!(m.body() instanceof JsonObject body)) {
      m.fail(400, AlertErrors.BAD_ALERT + ": request: must be a JSON object");
      return;
    }
    answer(body)
        .onSuccess(m::reply)
        .onFailure(
            e -> {
              ReplyException re = AlertErrors.normalize(e);
              m.fail(re.failureCode(), re.getMessage());
            });
  }

  /** Answers one request of {@code candlecast.alerts}. */
  public Future<JsonObject> answer(JsonObject body) {
    String op;
    String owner;
    try {
      op = AlertRequests.op(body);
      owner = AlertRequests.owner(body);
      return switch (op) {
        case "create" ->
            create(owner, AlertDefinition.parse(AlertRequests.definition(body), now()));
        case "delete" -> delete(owner, AlertRequests.id(body));
        case "get" -> get(owner, AlertRequests.id(body));
        case "list" ->
            list(owner, AlertRequests.symbolFilter(body), AlertRequests.stateFilter(body));
        case "fires" -> fires(owner, AlertRequests.since(body), AlertRequests.limit(body));
        default -> deliveries(owner, AlertRequests.id(body));
      };
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(AlertErrors.normalize(e));
    }
  }

  private long now() {
    return clock.getAsLong();
  }

  private Future<JsonObject> create(String owner, AlertDefinition def) {
    return caughtUp()
        .compose(
            d -> {
              int has = d.count(owner);
              if (has >= maxPerOwner) {
                return AlertErrors.fail(
                    AlertErrors.TOO_MANY,
                    "owner " + owner + " has " + has + " alerts (max " + maxPerOwner + ")");
              }
              JsonObject record =
                  new JsonObject()
                      .put("id", AlertRequests.newId())
                      .put("owner", owner)
                      .mergeIn(def.toJson())
                      .put("createdAt", now())
                      .put("state", "armed")
                      .put("fireCount", 0)
                      .put("lastFire", null);
              JsonObject req =
                  new JsonObject()
                      .put("op", "alerts.create")
                      .put("symbol", def.symbol())
                      .put("record", record);
              return toOwner(def.symbol(), req, false);
            });
  }

  private Future<JsonObject> delete(String owner, String id) {
    return caughtUp()
        .compose(
            d -> {
              JsonObject r = d.get(owner, id);
              if (r == null) {
                return notFound(id);
              }
              String symbol = r.getString("symbol");
              JsonObject req =
                  new JsonObject().put("op", "alerts.delete").put("symbol", symbol).put("id", id);
              return toOwner(symbol, req, true);
            });
  }

  private Future<JsonObject> get(String owner, String id) {
    return caughtUp()
        .compose(
            d -> {
              JsonObject r = d.get(owner, id);
              return r == null
                  ? notFound(id)
                  : Future.succeededFuture(
                      new JsonObject()
                          .put("alert", AlertViews.view(r, now()))
                          .put("fires", new JsonArray(d.firesOf(id))));
            });
  }

  private Future<JsonObject> list(String owner, String symbol, String state) {
    return caughtUp()
        .map(
            d -> {
              JsonArray out = new JsonArray();
              long now = now();
              for (JsonObject r : d.list(owner)) {
                JsonObject v = AlertViews.view(r, now);
                if ((symbol == null || symbol.equals(v.getString("symbol")))
                    && (state == null || state.equals(v.getString("state")))) {
                  out.add(v);
                }
              }
              return new JsonObject().put("alerts", out);
            });
  }

  private Future<JsonObject> fires(String owner, long since, int limit) {
    return caughtUp()
        .map(
            d -> {
              AlertDirectory.FirePage page = d.fires(owner, since, limit);
              return new JsonObject()
                  .put("fires", new JsonArray(page.fires()))
                  .put("more", page.more());
            });
  }

  private Future<JsonObject> deliveries(String owner, String id) {
    return caughtUp()
        .compose(
            d ->
                d.get(owner, id) == null
                    ? notFound(id)
                    : Future.succeededFuture(
                        new JsonObject().put("deliveries", new JsonArray(d.deliveriesOf(id)))));
  }

  /**
   * A partition was taken here at {@code gainedAt}: resumes the webhook deliveries of its fires
   * recorded in the day before that moment whose log has no final attempt (the previous owner died
   * while delivering them; fires recorded from then on are this instance's own). Completes with the
   * fire ids resumed.
   */
  public Future<List<String>> resumeWebhooks(int partition, long gainedAt, WebhookSender sender) {
    return caughtUp()
        .map(
            d -> {
              List<String> resumed = new java.util.ArrayList<>();
              for (AlertDirectory.Pending p :
                  d.undelivered(partition, gainedAt - RESUME_WINDOW_MS, gainedAt)) {
                sender.resume(p.fire(), p.alert(), p.attempts());
                resumed.add(p.fire().getString("fire"));
              }
              return resumed;
            });
  }

  private static Future<JsonObject> notFound(String id) {
    return AlertErrors.fail(AlertErrors.NOT_FOUND, "alert " + id);
  }

  /** The directory once it has read every topic up to its end offsets taken now. */
  private Future<AlertDirectory> caughtUp() {
    return reader
        .endOffsets()
        .compose(barrier::await)
        .timeout(CATCH_UP_MS, TimeUnit.MILLISECONDS)
        .recover(
            e ->
                AlertErrors.fail(
                    AlertErrors.UNAVAILABLE,
                    "the alert directory has not caught up with Kafka; retry shortly"))
        .map(v -> directory);
  }

  /**
   * A create or delete for the symbol's owner: answered here when this instance owns the symbol,
   * otherwise sent to its owner address. No owner: 404 unknown_symbol for a symbol nobody has seen
   * (a create), else 503 alerts_unavailable.
   */
  private Future<JsonObject> toOwner(String symbol, JsonObject req, boolean existing) {
    if (owners.owns(symbol)) {
      return answerOwner(req);
    }
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.owner(symbol), req)
        .map(Message::body)
        .recover(
            e -> {
              if (e instanceof ReplyException re
                  && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                return Future.failedFuture(AlertErrors.normalize(e));
              }
              Future<Boolean> known =
                  existing ? Future.succeededFuture(true) : owners.known(symbol);
              return known.compose(
                  k ->
                      k
                          ? AlertErrors.fail(
                              AlertErrors.UNAVAILABLE,
                              "symbol " + symbol + " is being taken over; retry shortly")
                          : AlertErrors.fail(AlertErrors.UNKNOWN_SYMBOL, symbol));
            });
  }

  /**
   * The owner's side ({@code alerts.create}, {@code alerts.delete} on the symbol's owner address):
   * seeds a candle-kind alert from this instance's history and hands it to the intake.
   */
  public Future<JsonObject> answerOwner(JsonObject req) {
    AlertIntake in = intake;
    if (in == null) {
      return AlertErrors.fail(AlertErrors.UNAVAILABLE, "alerts are not evaluated here");
    }
    String symbol = req.getString("symbol");
    if ("alerts.delete".equals(req.getString("op"))) {
      String id = req.getString("id");
      return in.delete(symbol, id)
          .map(v -> new JsonObject().put("id", id).put("deleted", true))
          .recover(e -> Future.failedFuture(AlertErrors.normalize(e)));
    }
    JsonObject record = req.getJsonObject("record").copy();
    try {
      AlertCondition c = AlertCondition.parse(record.getValue("condition"));
      JsonArray seed = AlertViews.seed(history, symbol, c);
      if (seed != null) {
        record.put("seed", seed);
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(AlertErrors.normalize(e));
    }
    return in.create(record)
        .map(r -> AlertViews.view(r, now()))
        .recover(e -> Future.failedFuture(AlertErrors.normalize(e)));
  }
}
