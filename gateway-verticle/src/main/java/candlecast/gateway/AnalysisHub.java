package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's analysis series (issue 16): one bus consumer and one lease-renewal timer per distinct
 * (symbol, tf, key), shared by every holder on every event loop of the node and ref-counted.
 *
 * <p>The first acquire registers the consumer, then sends {@code open} to {@code
 * candlecast.analysis}; its reply seeds the series' {@link AnalysisPoints} and live updates are
 * applied to them (the seam rule). Later holders get their snapshot from those points without a bus
 * request (a request only when they ask for more points than are held). While the series has
 * holders an {@code open} with {@code limit:0} renews the owner's lease every {@code renewMs}; a
 * failed renewal (503 while a new owner takes over) is simply retried on the next tick, and the
 * first one the new owner answers re-activates the series there. The last lease's close cancels the
 * timer and unregisters the consumer.
 *
 * <p>All state lives on one context (the one that created the hub); holders get their lease and
 * updates on their own context, one task per context and update (not per holder).
 */
public final class AnalysisHub implements AnalysisFeed, Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisHub.class);
  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "analysis-hub";

  /** How often an active series' lease is renewed on its owner. */
  public static final long RENEW_MS = 5_000;

  /** Points of an open reply when the caller names no limit (the owner's default). */
  public static final int DEFAULT_LIMIT = 500;

  /** Largest limit of an open request. */
  public static final int MAX_LIMIT = 5_000;

  final Vertx vertx;
  final Context home;
  private final int maxSeries;
  private final long renewMs;
  private final DeliveryOptions requestOptions;
  private final Map<String, AnalysisSeries> series = new HashMap<>();
  final AtomicLong opens = new AtomicLong();
  final AtomicLong renewals = new AtomicLong();
  final AtomicLong consumers = new AtomicLong();
  private volatile int active;
  private int users;

  /**
   * A hub whose state lives on the current context.
   *
   * @param maxSeries the node cap ({@code gateway.analysis-max-series})
   * @param renewMs lease renewal period ({@link #RENEW_MS})
   * @param timeoutMs how long an open request may take
   */
  public AnalysisHub(Vertx vertx, int maxSeries, long renewMs, long timeoutMs) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.maxSeries = maxSeries;
    this.renewMs = renewMs;
    this.requestOptions = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /**
   * The node's hub, shared by its gateway instances (created on the first caller's context); each
   * caller {@link #release()}s it when it stops, and the last release closes it.
   */
  static AnalysisHub of(Vertx vertx, GatewayOptions o) {
    LocalMap<String, AnalysisHub> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (AnalysisHub.class) {
      AnalysisHub hub = map.get(KEY);
      if (hub == null) {
        hub =
            new AnalysisHub(
                vertx, o.analysis().maxSeries(), o.analysis().renewMs(), o.historyTimeoutMs());
        map.put(KEY, hub);
      }
      hub.users++;
      return hub;
    }
  }

  /** The node's hub (null when no gateway instance runs), without taking a reference. */
  static AnalysisHub current(Vertx vertx) {
    LocalMap<String, AnalysisHub> map = vertx.sharedData().getLocalMap(MAP);
    return map.get(KEY);
  }

  /** Gives back an {@link #of} reference; the last one closes every series. */
  Future<Void> release() {
    LocalMap<String, AnalysisHub> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (AnalysisHub.class) {
      if (--users > 0) {
        return Future.succeededFuture();
      }
      map.remove(KEY, this);
    }
    Promise<Void> done = Promise.promise();
    home.runOnContext(
        v -> {
          for (AnalysisSeries s : series.values().toArray(new AnalysisSeries[0])) {
            s.shutDown();
          }
          done.complete();
        });
    return done.future();
  }

  @Override
  public Future<Lease> acquire(
      String symbol, Timeframe tf, AnalysisSpec spec, int limit, Handler<JsonObject> updates) {
    Context caller = vertx.getOrCreateContext();
    Promise<Lease> result = Promise.promise();
    int lim = Math.max(0, Math.min(MAX_LIMIT, limit));
    home.runOnContext(
        v -> {
          String address = Addresses.analysis(symbol, tf, spec.key());
          AnalysisSeries s = series.get(address);
          if (s == null) {
            if (series.size() >= maxSeries) {
              reply(
                  caller,
                  result,
                  Future.failedFuture(
                      new ReplyException(
                          ReplyFailure.RECIPIENT_FAILURE,
                          429,
                          "too many analysis series on this gateway node (max "
                              + maxSeries
                              + ")")));
              return;
            }
            s = new AnalysisSeries(this, address, symbol, tf, spec);
            series.put(address, s);
            active = series.size();
            s.start(renewMs);
          }
          s.join(new AnalysisSeries.Holder(caller, updates, lim))
              .onComplete(ar -> reply(caller, result, ar));
        });
    return result.future();
  }

  private static void reply(Context caller, Promise<Lease> p, io.vertx.core.AsyncResult<Lease> r) {
    caller.runOnContext(v -> p.handle(r));
  }

  /** An open request (on the home context). */
  Future<JsonObject> open(AnalysisSeries s, int limit) {
    JsonObject req =
        new JsonObject()
            .put("op", "open")
            .put("symbol", s.symbol)
            .put("tf", s.tf.label())
            .put("name", s.spec.kind().wire())
            .put("params", paramsJson(s.spec))
            .put("limit", limit);
    (limit == 0 ? renewals : opens).incrementAndGet();
    return vertx
        .eventBus()
        .request(Addresses.ANALYSIS, req, requestOptions)
        .map(Message::body)
        .map(b -> (JsonObject) b);
  }

  /** A spec's parameters as JSON ({@code {"period":14}}, integers without a fraction). */
  static JsonObject paramsJson(AnalysisSpec spec) {
    JsonObject p = new JsonObject();
    for (Map.Entry<String, Double> e : spec.params().entrySet()) {
      double d = e.getValue();
      p.put(e.getKey(), d == Math.rint(d) ? (Object) (long) d : (Object) d);
    }
    return p;
  }

  /** Called by a series when its last holder left or its first open failed. */
  void closed(AnalysisSeries s) {
    if (series.get(s.address) == s) {
      series.remove(s.address);
      active = series.size();
    }
  }

  void logRenewFailure(AnalysisSeries s, Throwable err) {
    LOG.debug("renewing analysis series {} failed (retried in {} ms): {}", s.address, renewMs, err);
  }

  /** Series with a registered consumer (any thread). */
  public int activeSeries() {
    return active;
  }

  /** Open requests with a limit (first acquires and snapshot widenings). */
  public long opensSent() {
    return opens.get();
  }

  /** Renewals sent (open with limit 0). */
  public long renewalsSent() {
    return renewals.get();
  }

  /** Bus consumers registered since creation. */
  public long consumersRegistered() {
    return consumers.get();
  }

  /** Holders of one series (0 when inactive); call on the home context. */
  int holders(String symbol, Timeframe tf, AnalysisSpec spec) {
    AnalysisSeries s = series.get(Addresses.analysis(symbol, tf, spec.key()));
    return s == null ? 0 : s.holderCount();
  }
}
