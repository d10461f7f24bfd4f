package candlecast.aggregator.portfolio;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers {@code candlecast.portfolio} (issue 17, docs/PROTOCOL.md "Portfolio"), on any aggregator
 * instance, from its {@link PortfolioStore}:
 *
 * <ul>
 *   <li>{@code {"op":"get","owner"}} → the record ({@code positions} empty, {@code updatedAt} null
 *       when none), after the store caught up with the writes acknowledged before the request;
 *   <li>{@code {"op":"put","owner","positions":[…]}} replaces all positions;
 *   <li>{@code {"op":"upsert","owner","position":{…}}} adds or replaces one symbol's position;
 *   <li>{@code {"op":"remove","owner","symbol"}} removes it (404 {@code not_found} without one).
 * </ul>
 *
 * Writes reply with the new record once Kafka acknowledged it, and publish it on {@code
 * candlecast.portfolio.changed} ({@code {owner, record}}) for the gateways valuing it. Writes of
 * one owner through one instance run one after the other (an upsert reads the record the previous
 * one wrote); between instances the last write wins. Failures: {@code fail(400, "bad_position:
 * <field>: <why>")}, {@code fail(400, "bad_owner: …")}, {@code fail(400, "bad_request: …")}, {@code
 * fail(404, "unknown_symbol: …")}, {@code fail(404, "not_found: …")}, {@code fail(503,
 * "portfolio_unavailable: …")}.
 */
public final class PortfolioService {
  private final Vertx vertx;
  private final PortfolioStore store;
  private final Supplier<Future<Set<String>>> symbols;
  private final LongSupplier clock;
  private final Map<String, Future<?>> writing = new HashMap<>();
  private MessageConsumer<Object> consumer;

  /**
   * @param symbols the known symbols (a position's symbol must be one)
   */
  public PortfolioService(
      Vertx vertx,
      PortfolioStore store,
      Supplier<Future<Set<String>>> symbols,
      LongSupplier clock) {
    this.vertx = vertx;
    this.store = store;
    this.symbols = symbols;
    this.clock = clock;
  }

  /** Registers on {@code candlecast.portfolio}; completes when the registration is known. */
  public Future<Void> register() {
    consumer = vertx.eventBus().consumer(Addresses.PORTFOLIO, this::handle);
    return consumer.completion();
  }

  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The empty record of an owner. */
  public static JsonObject empty(String owner) {
    return new JsonObject()
        .put("owner", owner)
        .put("positions", new JsonArray())
        .putNull("updatedAt");
  }

  void handle(Message<Object> m) {
    if (!(m.body() instanceof JsonObject body)) {
      m.fail(400, "bad_request: the body is a JSON object {op, owner, ...}");
      return;
    }
    Object owner = body.getValue("owner");
    if (!Positions.validOwner(owner)) {
      m.fail(400, "bad_owner: an owner is 1 to 64 characters of A-Z a-z 0-9 . _ @ : -");
      return;
    }
    Future<JsonObject> reply;
    try {
      reply = dispatch(body, (String) owner);
    } catch (IllegalArgumentException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            fail(m, ar.cause());
          }
        });
  }

  private Future<JsonObject> dispatch(JsonObject body, String owner) {
    Object op = body.getValue("op");
    if ("get".equals(op)) {
      return store.caughtUp().map(v -> current(owner));
    }
    if ("put".equals(op)) {
      Object positions = body.getValue("positions");
      return serial(
          owner, () -> known().compose(k -> save(owner, Positions.all(positions, k::contains))));
    }
    if ("upsert".equals(op)) {
      Object position = body.getValue("position");
      return serial(
          owner,
          () ->
              known()
                  .compose(
                      k -> {
                        JsonObject p = Positions.one(position, k::contains);
                        return store
                            .caughtUp()
                            .compose(v -> save(owner, Positions.upsert(positions(owner), p)));
                      }));
    }
    if ("remove".equals(op)) {
      String symbol = Positions.symbol(body.getValue("symbol"), "symbol");
      return serial(
          owner,
          () ->
              store
                  .caughtUp()
                  .compose(
                      v -> {
                        JsonArray left = Positions.remove(positions(owner), symbol);
                        if (left == null) {
                          return Future.failedFuture(
                              new NotFound("not_found: no position in " + symbol));
                        }
                        return save(owner, left);
                      }));
    }
    throw new IllegalArgumentException(
        "bad_request: 'op' must be get, put, upsert or remove, was " + op);
  }

  /** Runs the owner's writes through this instance one after the other. */
  private Future<JsonObject> serial(String owner, Supplier<Future<JsonObject>> write) {
    Future<?> before = writing.getOrDefault(owner, Future.succeededFuture());
    Future<JsonObject> mine =
        before.transform(
            x -> {
              try {
                return write.get();
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
              }
            });
    writing.put(owner, mine);
    mine.onComplete(
        x -> {
          if (writing.get(owner) == mine) {
            writing.remove(owner);
          }
        });
    return mine;
  }

  private Future<Set<String>> known() {
    return symbols.get();
  }

  private JsonObject current(String owner) {
    JsonObject r = store.get(owner);
    return r == null ? empty(owner) : r.copy();
  }

  private JsonArray positions(String owner) {
    JsonObject r = store.get(owner);
    return r == null ? new JsonArray() : r.getJsonArray("positions", new JsonArray());
  }

  private Future<JsonObject> save(String owner, JsonArray positions) {
    JsonObject record =
        new JsonObject()
            .put("owner", owner)
            .put("positions", positions)
            .put("updatedAt", clock.getAsLong());
    return store
        .write(owner, record)
        .map(
            r -> {
              vertx
                  .eventBus()
                  .publish(
                      Addresses.PORTFOLIO_CHANGED,
                      new JsonObject().put("owner", owner).put("record", r.copy()));
              return r.copy();
            });
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  private static void fail(Message<Object> m, Throwable e) {
    if (e instanceof Positions.UnknownSymbol || e instanceof NotFound) {
      m.fail(404, e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      m.fail(400, e.getMessage());
    } else {
      m.fail(503, "portfolio_unavailable: " + e.getMessage());
    }
  }
}
