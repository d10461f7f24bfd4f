package candlecast.gateway;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's portfolio (issue 17): the JSON {@code portfolio} channel and commands on {@code
 * /ws}, the symbols of {@code /ws/portfolio}. The owner follows {@link OwnerIdentity}: the JWT's
 * {@code sub}; with auth off the upgrade URL's {@code owner}, else the command's, else {@code
 * default}. Each subscription is a lane of the connection's writer joined to the node's {@link
 * PortfolioHub} (counted against {@code gateway.max-subscriptions}); the ack waits until the
 * owner's record is read, then the current valuation follows.
 *
 * <p>Event-loop confined.
 */
final class PortfolioChannel {
  private final Subscriptions subs;
  private final PortfolioRequests requests;
  private Part json;
  private final Map<String, Part> symbols = new HashMap<>(4);

  /** One subscription: its lane in the connection's writer (keeps the newest frame). */
  static final class Part extends OutboundWriter.Lane implements PortfolioHub.Subscriber {
    final String owner;
    private final String spelling;
    private final String symbol;
    private final PortfolioHub hub;
    private final Context context;
    boolean live;
    private boolean cancelled;

    Part(OutboundWriter writer, String owner, String spelling, String symbol, PortfolioHub hub) {
      super(writer);
      this.owner = owner;
      this.spelling = spelling;
      this.symbol = symbol;
      this.hub = hub;
      this.context =
          ((io.vertx.core.internal.ContextInternal) hub.vertx.getOrCreateContext()).unwrap();
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public String spelling() {
      return spelling;
    }

    @Override
    public String symbol() {
      return symbol;
    }

    @Override
    public void write(Update u) {
      if (live && !cancelled) {
        writer.offer(this, u);
      }
    }

    void cancel() {
      if (!cancelled) {
        cancelled = true;
        writer.forget(this);
        hub.leave(owner, this);
      }
    }
  }

  PortfolioChannel(Subscriptions subs) {
    this.subs = subs;
    this.requests = new PortfolioRequests(subs.env.bus(), subs.env.options().historyTimeoutMs());
  }

  private String owner(String commandOwner) {
    return subs.owner(commandOwner);
  }

  void subscribe(Command.SubscribePortfolio c) {
    CommandFlow flow = subs.flow;
    String owner;
    try {
      owner = owner(c.owner());
    } catch (IllegalArgumentException e) {
      flow.reply(Frames.jsonError("bad_owner", e.getMessage().substring(11), c.id()));
      return;
    }
    if (json != null) {
      flow.reply(
          Frames.jsonError(
              ErrorCodes.ALREADY_SUBSCRIBED,
              "already subscribed to the portfolio of " + json.owner,
              c.id()));
      return;
    }
    PortfolioHub hub = PortfolioHub.current(subs.env.vertx());
    if (hub == null || !room()) {
      flow.reply(
          hub == null
              ? Frames.jsonError(
                  PortfolioRequests.UNAVAILABLE, "no portfolio hub runs on this node", c.id())
              : JsonDialect.INSTANCE.tooManySubscriptions(
                  null, c.id(), subs.env.options().maxSubscriptions()));
      return;
    }
    Part p = new Part(subs.writer, owner, null, null, hub);
    json = p;
    join(
        p,
        () -> flow.reply(ack("subscribed", owner, c.id())),
        e -> {
          if (json == p) {
            json = null;
          }
          flow.reply(PortfolioRequests.failure(e).frame(c.id()));
        });
  }

  void unsubscribe(Command.UnsubscribePortfolio c) {
    Part p = json;
    if (p == null) {
      subs.flow.reply(
          Frames.jsonError(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to a portfolio", c.id()));
      return;
    }
    json = null;
    p.cancel();
    subs.flow.reply(ack("unsubscribed", p.owner, c.id()));
  }

  /** portfolio_get / _set / _upsert / _remove. */
  void request(Command.PortfolioRequest c) {
    CommandFlow flow = subs.flow;
    String owner;
    try {
      owner = owner(c.owner());
    } catch (IllegalArgumentException e) {
      flow.reply(Frames.jsonError("bad_owner", e.getMessage().substring(11), c.id()));
      return;
    }
    boolean get = "get".equals(c.request().getString("op"));
    flow.begin();
    requests
        .ask(c.request().copy().put("owner", owner))
        .compose(
            record -> {
              if (!get) {
                PortfolioHub hub = PortfolioHub.current(subs.env.vertx());
                if (hub != null) {
                  hub.recordChanged(owner, record);
                }
                return io.vertx.core.Future.succeededFuture(
                    reply("portfolio_saved", c.id())
                        .put("op", c.request().getString("op"))
                        .put("portfolio", record));
              }
              return requests
                  .value(record, System.currentTimeMillis())
                  .map(
                      v ->
                          reply("portfolio_record", c.id())
                              .put("portfolio", record)
                              .put("valuation", v));
            })
        .onComplete(
            ar -> {
              flow.reply(
                  ar.succeeded()
                      ? ar.result()
                      : PortfolioRequests.failure(ar.cause()).frame(c.id()));
              flow.end();
            });
  }

  /** {@code /ws/portfolio}: a symbol's position in the owner's portfolio. */
  void subscribeStream(PortfolioStreamDialect d, Command.PortfolioStreamSubscribe c) {
    CommandFlow flow = subs.flow;
    if (symbols.containsKey(c.symbol())) {
      flow.reply(d.subscription("subscribed", c.spelling()));
      return;
    }
    String owner;
    try {
      owner = owner(null);
    } catch (IllegalArgumentException e) {
      flow.reply(d.error("bad_owner", e.getMessage().substring(11), null, null));
      return;
    }
    PortfolioHub hub = PortfolioHub.current(subs.env.vertx());
    if (hub == null || !room()) {
      flow.reply(
          hub == null
              ? d.error(
                  PortfolioRequests.UNAVAILABLE, "no portfolio hub runs on this node", null, null)
              : d.tooManySubscriptions(null, null, subs.env.options().maxSubscriptions()));
      return;
    }
    Part p = new Part(subs.writer, owner, c.spelling(), c.symbol(), hub);
    symbols.put(c.symbol(), p);
    join(
        p,
        () -> flow.reply(d.subscription("subscribed", c.spelling())),
        e -> {
          if (symbols.get(c.symbol()) == p) {
            symbols.remove(c.symbol());
          }
          PortfolioRequests.Failure f = PortfolioRequests.failure(e);
          flow.reply(d.error(f.code(), f.message(), null, null));
        });
  }

  void unsubscribeStream(PortfolioStreamDialect d, Command.PortfolioStreamUnsubscribe c) {
    Part p = symbols.remove(c.symbol());
    if (p == null) {
      subs.flow.reply(
          d.error(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to " + c.spelling(), null, null));
      return;
    }
    p.cancel();
    subs.flow.reply(d.subscription("unsubscribed", c.spelling()));
  }

  /** Ends every subscription; returns how many there were. */
  int dropAll() {
    List<Part> all = new ArrayList<>(symbols.values());
    symbols.clear();
    if (json != null) {
      all.add(json);
      json = null;
    }
    all.forEach(Part::cancel);
    return all.size();
  }

  int count() {
    return symbols.size() + (json == null ? 0 : 1);
  }

  private boolean room() {
    return count() + subs.count() < subs.env.options().maxSubscriptions();
  }

  /** Joins the hub: the ack, then the live frames (the current one first). */
  private void join(Part p, Runnable ack, java.util.function.Consumer<Throwable> failed) {
    CommandFlow flow = subs.flow;
    flow.begin();
    p.hub
        .join(p.owner, p)
        .onComplete(
            ar -> {
              if (p.cancelled) {
                flow.end();
                return;
              }
              if (ar.failed()) {
                p.cancel();
                failed.accept(ar.cause());
              } else {
                ack.run();
                p.live = true;
                p.write(ar.result());
              }
              flow.end();
            });
  }

  private static JsonObject ack(String status, String owner, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscription")
            .put("status", status)
            .put("channel", PortfolioCommands.CHANNEL)
            .put("owner", owner);
    if (id != null) {
      j.put("id", id);
    }
    return j;
  }

  private static JsonObject reply(String type, Object id) {
    JsonObject j = new JsonObject().put("type", type);
    if (id != null) {
      j.put("id", id);
    }
    return j;
  }
}
