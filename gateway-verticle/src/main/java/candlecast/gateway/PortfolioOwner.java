package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One owner's valuation on a node ({@link PortfolioHub}): its record, its subscribers, and the
 * coalescing of changes into at most one frame per interval. On the hub's home context.
 */
final class PortfolioOwner {
  private static final Logger LOG = LoggerFactory.getLogger(PortfolioOwner.class);

  final String owner;
  private final PortfolioHub hub;
  private final Set<PortfolioHub.Subscriber> subscribers = new LinkedHashSet<>();
  private final Set<String> held = new HashSet<>();
  private JsonObject record;
  private Future<Void> loading;
  private long lastSentMs = Long.MIN_VALUE / 2;
  private long timer = -1;
  private final long refresher;
  private boolean ended;

  PortfolioOwner(PortfolioHub hub, String owner) {
    this.hub = hub;
    this.owner = owner;
    this.refresher = hub.vertx.setPeriodic(hub.refreshMs, id -> load());
  }

  /** Adds {@code s}; completes with its current frame once the record is read. */
  Future<Update> join(PortfolioHub.Subscriber s) {
    subscribers.add(s);
    if (record != null) {
      follow();
    }
    Future<Void> ready = record != null ? Future.succeededFuture() : load();
    return ready
        .map(
            v -> {
              JsonObject valuation =
                  PortfolioValuation.valuation(owner, hub.clock.getAsLong(), record, tickers());
              return encode(s, valuation, IsoTime.format(valuation.getLong("time")));
            })
        .onFailure(e -> leave(s));
  }

  void leave(PortfolioHub.Subscriber s) {
    if (subscribers.remove(s) && subscribers.isEmpty()) {
      end();
    } else if (record != null) {
      follow();
    }
  }

  void end() {
    if (ended) {
      return;
    }
    ended = true;
    subscribers.clear();
    hub.vertx.cancelTimer(refresher);
    if (timer >= 0) {
      hub.vertx.cancelTimer(timer);
    }
    for (String sym : held) {
      hub.unfollow(sym, this);
    }
    held.clear();
    hub.ended(this);
  }

  /** Reads the record of {@code candlecast.portfolio}. */
  private Future<Void> load() {
    if (loading != null) {
      return loading;
    }
    Promise<Void> p = Promise.promise();
    loading = p.future();
    hub.vertx
        .eventBus()
        .<Object>request(Addresses.PORTFOLIO, new JsonObject().put("op", "get").put("owner", owner))
        .onComplete(
            ar -> {
              loading = null;
              if (ar.succeeded() && ar.result().body() instanceof JsonObject r) {
                record(r);
                p.complete();
              } else {
                Throwable e = ar.failed() ? ar.cause() : new IllegalStateException("not a record");
                LOG.debug("portfolio of {} unavailable: {}", owner, e.getMessage());
                p.fail(e);
              }
            });
    return p.future();
  }

  /** A new record: follow its symbols, recompute. */
  void record(JsonObject r) {
    if (ended) {
      return;
    }
    boolean first = record == null;
    if (!first && r.equals(record)) {
      return;
    }
    record = r;
    follow();
    if (!first) {
      changed();
    }
  }

  /** Follows the tickers of the record's symbols and of the subscribed ones, no others. */
  private void follow() {
    Set<String> now = new HashSet<>();
    JsonArray positions = record.getJsonArray("positions", new JsonArray());
    for (int i = 0; i < positions.size(); i++) {
      now.add(positions.getJsonObject(i).getString("symbol"));
    }
    for (PortfolioHub.Subscriber s : subscribers) {
      if (s.symbol() != null) {
        now.add(s.symbol());
      }
    }
    for (String sym : new ArrayList<>(held)) {
      if (!now.contains(sym)) {
        held.remove(sym);
        hub.unfollow(sym, this);
      }
    }
    for (String sym : now) {
      if (held.add(sym)) {
        hub.follow(sym, this);
      }
    }
  }

  /** Something the valuation depends on changed: send now or when the interval allows. */
  void changed() {
    if (ended || record == null || timer >= 0) {
      return;
    }
    long wait = lastSentMs + hub.intervalMs - hub.clock.getAsLong();
    if (wait <= 0) {
      flush();
    } else {
      timer =
          hub.vertx.setTimer(
              wait,
              id -> {
                timer = -1;
                flush();
              });
    }
  }

  private void flush() {
    if (ended || subscribers.isEmpty()) {
      return;
    }
    long now = hub.clock.getAsLong();
    lastSentMs = now;
    Map<Context, List<PortfolioHub.Subscriber>> byContext = new LinkedHashMap<>();
    for (PortfolioHub.Subscriber s : subscribers) {
      byContext.computeIfAbsent(s.context(), c -> new ArrayList<>()).add(s);
    }
    send(byContext, PortfolioValuation.valuation(owner, now, record, tickers()));
  }

  /** Encodes each distinct frame once and hands it to the subscribers, one task per context. */
  private void send(Map<Context, List<PortfolioHub.Subscriber>> byContext, JsonObject valuation) {
    hub.frames++;
    Map<String, Update> frames = new HashMap<>();
    String timestamp = IsoTime.format(valuation.getLong("time"));
    for (Map.Entry<Context, List<PortfolioHub.Subscriber>> e : byContext.entrySet()) {
      List<PortfolioHub.Subscriber> list = e.getValue();
      List<Update> updates = new ArrayList<>(list.size());
      for (PortfolioHub.Subscriber s : list) {
        String k = s.spelling() == null ? "" : s.spelling();
        updates.add(frames.computeIfAbsent(k, x -> encode(s, valuation, timestamp)));
      }
      e.getKey()
          .runOnContext(
              v -> {
                for (int i = 0; i < list.size(); i++) {
                  list.get(i).write(updates.get(i));
                }
              });
    }
  }

  private Update encode(PortfolioHub.Subscriber s, JsonObject valuation, String timestamp) {
    JsonObject j;
    if (s.spelling() == null) {
      j = valuation;
    } else {
      JsonObject t = hub.ticker(s.symbol());
      Double price =
          t == null || !(t.getValue("last") instanceof Number n) ? null : n.doubleValue();
      j = PortfolioValuation.seedData(s.spelling(), s.symbol(), timestamp, valuation, price);
    }
    Buffer b = Buffer.buffer(j.encode());
    return new Update(b, valuation.getLong("time"), 0, false);
  }

  private Map<String, JsonObject> tickers() {
    Map<String, JsonObject> m = new HashMap<>();
    for (String sym : held) {
      JsonObject t = hub.ticker(sym);
      if (t != null) {
        m.put(sym, t);
      }
    }
    return m;
  }
}
