package candlecast.bench;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The analysis side of {@link AnalysisThroughput}: which series are opened, opening them over
 * {@code candlecast.analysis} (the bus contract a gateway uses), renewing their leases every 5 s,
 * and counting the update messages published on their {@code analysis.<SYMBOL>.<tf>.<key>}
 * addresses (one per series per fold batch) and the points (or detections) they carry.
 */
final class AnalysisLoad {
  /** Leases expire after 20 s without an open; gateways renew every 5 s. */
  static final long RENEW_MS = 5_000;

  /**
   * Specs to pick from: all twelve kinds, usual and less usual parameters (38; coprime with the
   * stride below so every (symbol, tf) gets distinct ones).
   */
  static final List<AnalysisSpec> CATALOGUE = catalogue();

  private static final int STRIDE = 3;

  private final Vertx vertx;
  private final List<Series> series;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLongArray updatesByTf = new AtomicLongArray(Timeframe.COUNT);
  private final AtomicLong points = new AtomicLong();
  private final AtomicLongArray pointsByTf = new AtomicLongArray(Timeframe.COUNT);
  private final AtomicLong lastUpdateNanos = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong renewFailures = new AtomicLong();
  private final boolean consume;
  private long timer = -1;

  record Series(String symbol, Timeframe tf, AnalysisSpec spec) {
    String address() {
      return Addresses.analysis(symbol, tf, spec.key());
    }

    JsonObject open(int limit) {
      return new JsonObject()
          .put("op", "open")
          .put("symbol", symbol)
          .put("tf", tf.label())
          .put("name", spec.kind().wire())
          .put("params", new JsonObject(Map.copyOf(spec.params())))
          .put("limit", limit);
    }
  }

  /**
   * @param consume whether to register a counting consumer on each series' update address
   */
  AnalysisLoad(Vertx vertx, int symbols, int count, boolean consume) {
    this.vertx = vertx;
    this.consume = consume;
    this.series = plan(symbols, count);
  }

  /**
   * {@code count} distinct series spread round-robin over every (symbol, timeframe) pair; pair
   * {@code p}'s j-th series takes spec {@code (p + 3j) mod 38} of the catalogue.
   */
  static List<Series> plan(int symbols, int count) {
    int pairs = symbols * Timeframe.COUNT;
    if (count > pairs * CATALOGUE.size()) {
      throw new IllegalArgumentException("at most " + pairs * CATALOGUE.size() + " series");
    }
    List<Series> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int p = k % pairs;
      int j = k / pairs;
      AnalysisSpec spec = CATALOGUE.get((p + STRIDE * j) % CATALOGUE.size());
      out.add(
          new Series(ReplayTrades.symbol(p % symbols), Timeframe.byIndex(p / symbols), spec));
    }
    return out;
  }

  private static List<AnalysisSpec> catalogue() {
    List<AnalysisSpec> c = new ArrayList<>();
    for (int p : new int[] {5, 10, 20, 50, 100, 200}) {
      c.add(AnalysisSpec.parse("sma", Map.of("period", p)));
      c.add(AnalysisSpec.parse("ema", Map.of("period", p == 5 ? 9 : p == 10 ? 12 : p)));
    }
    for (int p : new int[] {10, 20, 30}) {
      c.add(AnalysisSpec.parse("wma", Map.of("period", p)));
    }
    for (int p : new int[] {7, 14, 21}) {
      c.add(AnalysisSpec.parse("rsi", Map.of("period", p)));
      c.add(AnalysisSpec.parse("atr", Map.of("period", p)));
    }
    c.add(AnalysisSpec.parse("macd", Map.of()));
    c.add(AnalysisSpec.parse("macd", Map.of("fast", 5, "slow", 35, "signal", 5)));
    c.add(AnalysisSpec.parse("macd", Map.of("fast", 8, "slow", 17, "signal", 9)));
    c.add(AnalysisSpec.parse("bb", Map.of()));
    c.add(AnalysisSpec.parse("bb", Map.of("period", 20, "mult", 2.5)));
    c.add(AnalysisSpec.parse("bb", Map.of("period", 10, "mult", 1.5)));
    c.add(AnalysisSpec.parse("stoch", Map.of()));
    c.add(AnalysisSpec.parse("stoch", Map.of("k", 5, "d", 3)));
    c.add(AnalysisSpec.parse("stoch", Map.of("k", 21, "d", 5)));
    c.add(AnalysisSpec.parse("vwap", Map.of()));
    c.add(AnalysisSpec.parse("obv", Map.of()));
    for (int n : new int[] {10, 20, 50}) {
      c.add(AnalysisSpec.parse("patterns", Map.of("lookback", n)));
    }
    for (int n : new int[] {20, 30, 60}) {
      c.add(AnalysisSpec.parse("risk", Map.of("window", n)));
    }
    return List.copyOf(c);
  }

  List<Series> series() {
    return series;
  }

  /**
   * Registers one counting consumer per series' update address (unless told not to), then opens every series (retrying
   * 404 and 503 while the owner is still loading, for up to a minute) and checks each reply's key.
   */
  void open() throws Exception {
    for (Series s : consume ? series : List.<Series>of()) {
      consumers.add(
          vertx
              .eventBus()
              .<JsonObject>localConsumer(
                  s.address(),
                  m -> {
                    updates.incrementAndGet();
                    updatesByTf.incrementAndGet(s.tf().index());
                    int n = carried(m.body());
                    points.addAndGet(n);
                    pointsByTf.addAndGet(s.tf().index(), n);
                    lastUpdateNanos.set(System.nanoTime());
                  }));
    }
    List<Future<JsonObject>> opened = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    for (Series s : series) {
      opened.add(openOne(s, deadline));
    }
    Future.all(opened).await(2, TimeUnit.MINUTES);
    for (int i = 0; i < series.size(); i++) {
      String key = opened.get(i).result().getString("key");
      if (!series.get(i).spec().key().equals(key)) {
        throw new IllegalStateException("open " + series.get(i) + " answered key " + key);
      }
    }
    timer = vertx.setPeriodic(RENEW_MS, id -> renewAll());
  }

  private Future<JsonObject> openOne(Series s, long deadline) {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.ANALYSIS, s.open(0), new DeliveryOptions().setSendTimeout(60_000))
        .map(m -> m.body())
        .recover(
            e -> {
              boolean retry =
                  e instanceof ReplyException re
                      && (re.failureCode() == 404 || re.failureCode() == 503)
                      && System.nanoTime() < deadline;
              if (!retry) {
                return Future.failedFuture(
                    new IllegalStateException("open " + s + " failed: " + e.getMessage(), e));
              }
              return vertx.timer(200).compose(v -> openOne(s, deadline));
            });
  }

  private void renewAll() {
    for (Series s : series) {
      vertx
          .eventBus()
          .request(Addresses.ANALYSIS, s.open(0))
          .onSuccess(m -> renewals.incrementAndGet())
          .onFailure(e -> renewFailures.incrementAndGet());
    }
  }

  /** Stops renewing and unregisters the consumers. */
  void close() throws Exception {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> done = new ArrayList<>();
    for (MessageConsumer<JsonObject> c : consumers) {
      done.add(c.unregister());
    }
    Future.all(done).await(30, TimeUnit.SECONDS);
  }

  /** The points (or detections) of an update message. */
  private static int carried(JsonObject body) {
    JsonArray list = body.getJsonArray("points", body.getJsonArray("patterns"));
    return list == null ? 0 : list.size();
  }

  /** Update messages received. */
  long updates() {
    return updates.get();
  }

  /** Points (and detections) the update messages carried. */
  long points() {
    return points.get();
  }

  /** Update messages received per timeframe, e.g. {@code 1s=2,001,234 1m=…}. */
  String updatesByTf() {
    return byTf(updatesByTf);
  }

  /** Points received per timeframe. */
  String pointsByTf() {
    return byTf(pointsByTf);
  }

  private static String byTf(AtomicLongArray counts) {
    StringBuilder b = new StringBuilder();
    for (Timeframe tf : Timeframe.LIST) {
      b.append(b.length() == 0 ? "" : " ")
          .append(tf.label())
          .append('=')
          .append(String.format(Locale.ROOT, "%,d", counts.get(tf.index())));
    }
    return b.toString();
  }

  /** {@link System#nanoTime()} of the last update received (0: none yet). */
  long lastUpdateNanos() {
    return lastUpdateNanos.get();
  }

  long renewals() {
    return renewals.get();
  }

  long renewFailures() {
    return renewFailures.get();
  }
}
