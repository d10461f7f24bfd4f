package candlecast.gateway;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One analysis series of an {@link AnalysisHub}: its consumer, renewal timer, held points and
 * holders. Lives on the hub's context; holders are called on their own contexts, grouped so that an
 * update costs one task per context, not per holder.
 */
final class AnalysisSeries {
  private static final Group[] NONE = new Group[0];

  /** One acquirer. */
  static final class Holder {
    final Context ctx;
    final Handler<JsonObject> updates;
    final int limit;
    final AtomicBoolean closed = new AtomicBoolean();

    Holder(Context ctx, Handler<JsonObject> updates, int limit) {
      this.ctx = ctx;
      this.updates = updates;
      this.limit = limit;
    }
  }

  /** The holders on one context. */
  private static final class Group {
    final Context ctx;
    final Holder[] holders;

    Group(Context ctx, Holder[] holders) {
      this.ctx = ctx;
      this.holders = holders;
    }
  }

  private final AnalysisHub hub;
  final String address;
  final String symbol;
  final Timeframe tf;
  final AnalysisSpec spec;
  private final String channel;
  private MessageConsumer<Object> consumer;
  private long timer = -1;
  private boolean ready;
  private boolean shut;
  private JsonObject header;
  private AnalysisPoints points;
  private final List<JsonObject> early = new ArrayList<>();
  private final Map<Holder, Promise<AnalysisFeed.Lease>> waiting = new LinkedHashMap<>();
  private final List<Holder> holders = new ArrayList<>();
  private Group[] groups = NONE;

  /** Joins under way (waiting for a snapshot): the series stays open while there are any. */
  private int pending;

  AnalysisSeries(AnalysisHub hub, String address, String symbol, Timeframe tf, AnalysisSpec spec) {
    this.hub = hub;
    this.address = address;
    this.symbol = symbol;
    this.tf = tf;
    this.spec = spec;
    this.channel = AnalysisUpdate.channel(spec);
  }

  /** Registers the consumer and the renewal timer; the first join's limit is the first open's. */
  void start(long renewMs) {
    consumer = hub.vertx.eventBus().consumer(address);
    consumer.handler(this::onMessage);
    hub.consumers.incrementAndGet();
    timer = hub.vertx.setPeriodic(renewMs, id -> renew());
  }

  int holderCount() {
    return holders.size();
  }

  /** Adds a holder; completes with its lease once it has its snapshot. */
  Future<AnalysisFeed.Lease> join(Holder h) {
    Promise<AnalysisFeed.Lease> p = Promise.promise();
    pending++;
    if (ready) {
      admit(h, p);
      return p.future();
    }
    boolean first = waiting.isEmpty();
    waiting.put(h, p);
    if (first) {
      consumer
          .completion()
          .compose(v -> hub.open(this, h.limit))
          .onSuccess(reply -> firstSnapshot(reply, h.limit))
          .onFailure(this::firstFailed);
    }
    return p.future();
  }

  private void firstSnapshot(JsonObject reply, int limit) {
    if (shut) {
      return;
    }
    header = reply.copy();
    header.remove("points");
    points = new AnalysisPoints(spec.kind() == AnalysisSpec.Kind.PATTERNS, limit);
    points.load(pointsOf(reply));
    for (JsonObject u : early) {
      applyQuietly(u);
    }
    early.clear();
    ready = true;
    Map<Holder, Promise<AnalysisFeed.Lease>> w = new LinkedHashMap<>(waiting);
    waiting.clear();
    w.forEach(this::admit);
  }

  private void firstFailed(Throwable err) {
    List<Promise<AnalysisFeed.Lease>> w = new ArrayList<>(waiting.values());
    waiting.clear();
    pending = 0;
    shutDown();
    for (Promise<AnalysisFeed.Lease> p : w) {
      p.fail(err);
    }
  }

  /** Grants a snapshot from the held points, widening them first when the holder wants more. */
  private void admit(Holder h, Promise<AnalysisFeed.Lease> p) {
    if (h.limit <= points.capacity()) {
      grant(h, p);
      return;
    }
    hub.open(this, h.limit)
        .onSuccess(
            reply -> {
              if (!shut) {
                points.widen(pointsOf(reply), h.limit);
              }
              grant(h, p);
            })
        .onFailure(
            err -> {
              pending--;
              p.fail(err);
              closeIfIdle();
            });
  }

  private void grant(Holder h, Promise<AnalysisFeed.Lease> p) {
    pending--;
    if (shut) {
      p.fail(new IllegalStateException("the gateway is stopping"));
      return;
    }
    JsonObject snapshot = header.copy().put("points", points.newest(h.limit));
    holders.add(h);
    regroup();
    p.complete(new HubLease(h, snapshot));
  }

  private void leave(Holder h) {
    if (holders.remove(h)) {
      regroup();
    }
    closeIfIdle();
  }

  private void closeIfIdle() {
    if (holders.isEmpty() && pending == 0) {
      shutDown();
    }
  }

  /** Cancels the timer and unregisters the consumer. */
  void shutDown() {
    if (shut) {
      return;
    }
    shut = true;
    for (Promise<AnalysisFeed.Lease> p : waiting.values()) {
      p.tryFail("the analysis series was closed (the gateway is stopping)");
    }
    waiting.clear();
    hub.vertx.cancelTimer(timer);
    consumer.unregister();
    holders.clear();
    groups = NONE;
    hub.closed(this);
  }

  private void renew() {
    if (!ready || shut) {
      return;
    }
    hub.open(this, 0).onFailure(err -> hub.logRenewFailure(this, err));
  }

  /** An owner's message: its points applied in order, the news handed to the holders. */
  private void onMessage(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body)) {
      return;
    }
    List<JsonObject> updates = AnalysisUpdate.split(body);
    if (!ready) {
      early.addAll(updates);
      return;
    }
    Group[] gs = groups;
    List<AnalysisUpdate> news = new ArrayList<>(updates.size());
    for (JsonObject u : updates) {
      if (applyQuietly(u) && gs.length > 0) {
        news.add(new AnalysisUpdate(u, channel));
      }
    }
    if (news.isEmpty()) {
      return;
    }
    for (Group g : gs) {
      g.ctx.runOnContext(
          v -> {
            for (AnalysisUpdate u : news) {
              for (Holder h : g.holders) {
                if (!h.closed.get()) {
                  h.updates.handle(u);
                }
              }
            }
          });
    }
  }

  /** Applies an update to the held points; false when the seam drops it or it is malformed. */
  private boolean applyQuietly(JsonObject body) {
    try {
      return points.apply(body);
    } catch (IllegalArgumentException | ClassCastException e) {
      return false;
    }
  }

  private void regroup() {
    Map<Context, List<Holder>> by = new LinkedHashMap<>();
    for (Holder h : holders) {
      by.computeIfAbsent(h.ctx, c -> new ArrayList<>()).add(h);
    }
    Group[] next = new Group[by.size()];
    int i = 0;
    for (Map.Entry<Context, List<Holder>> e : by.entrySet()) {
      next[i++] = new Group(e.getKey(), e.getValue().toArray(new Holder[0]));
    }
    groups = next;
  }

  private static JsonArray pointsOf(JsonObject reply) {
    JsonArray a = reply.getJsonArray("points");
    return a == null ? new JsonArray() : a;
  }

  private final class HubLease implements AnalysisFeed.Lease {
    private final Holder holder;
    private final JsonObject snapshot;

    HubLease(Holder holder, JsonObject snapshot) {
      this.holder = holder;
      this.snapshot = snapshot;
    }

    @Override
    public JsonObject snapshot() {
      return snapshot;
    }

    @Override
    public void close() {
      if (holder.closed.compareAndSet(false, true)) {
        hub.home.runOnContext(v -> leave(holder));
      }
    }
  }
}
