package candlecast.aggregator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.aggregator.HistoryStore;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link AnalysisEngine} with a fake clock, a recording publisher and real histories: leases, the
 * cap, re-emitted candles, snapshots, ranges, live updates equal to values from history (also of an
 * engine started later, as after a restart), pattern updates, dropped symbols, bad requests.
 */
class AnalysisEngineTest {
  private static final long T0 = 1_704_067_200_000L; // 2024-01-01T00:00Z, minute-aligned
  private static final long MIN = 60_000L;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final HistoryStore history = new HistoryStore(HistoryStore.defaultRetention());
  private final List<String> addresses = new ArrayList<>();
  private final List<JsonObject> published = new ArrayList<>();

  static Indicator factory(AnalysisSpec spec, Timeframe tf) {
    return spec.kind() == AnalysisSpec.Kind.PATTERNS
        ? PatternSet.create(spec, tf)
        : OrderedMix.create(spec, tf);
  }

  private AnalysisEngine engine(int max) {
    return engine(max, published);
  }

  private AnalysisEngine engine(int max, List<JsonObject> into) {
    return new AnalysisEngine(
        history,
        now::get,
        max,
        AnalysisEngineTest::factory,
        Detections.PATTERN_SET,
        (address, body) -> {
          addresses.add(address);
          into.add(body);
        });
  }

  private static JsonObject req(String name, Object... params) {
    JsonObject p = new JsonObject();
    for (int i = 0; i < params.length; i += 2) {
      p.put((String) params[i], params[i + 1]);
    }
    return new JsonObject()
        .put("symbol", "BTCUSD")
        .put("tf", "1m")
        .put("name", name)
        .put("params", p);
  }

  private static Candle candle(long t, double o, double h, double l, double c, boolean closed) {
    return new Candle("BTCUSD", Timeframe.M1, t, o, h, l, c, 1 + (t / MIN) % 7, 3, closed);
  }

  /** The aggregator's order: history first, then the engines; a batch of one candle. */
  private void feed(Candle c, AnalysisEngine... engines) {
    history.put(c);
    for (AnalysisEngine e : engines) {
      e.onCandle(c);
      e.flush();
    }
  }

  /** The points of update messages, in order. */
  private static List<JsonObject> pointsOf(List<JsonObject> updates) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject u : updates) {
      u.getJsonArray("points").forEach(o -> out.add((JsonObject) o));
    }
    return out;
  }

  private static Candle randomCandle(Random rnd, long t, double prev, boolean closed) {
    double c = Math.max(1, prev + rnd.nextGaussian());
    return candle(
        t,
        prev,
        Math.max(prev, c) + rnd.nextDouble(),
        Math.min(prev, c) - rnd.nextDouble(),
        c,
        closed);
  }

  @Test
  void leasesExpireTwentySecondsAfterTheLastOpen() {
    feed(candle(T0, 1, 2, 0.5, 1.5, true));
    AnalysisEngine e = engine(10);
    e.open(req("sma", "period", 2).put("limit", 0));
    assertThat(e.liveCount()).isOne();
    now.addAndGet(10_000);
    e.open(req("sma", "period", 2).put("limit", 0)); // renews: expires at +30 s
    now.addAndGet(19_999);
    assertThat(e.expire()).isZero();
    feed(candle(T0 + MIN, 1.5, 2, 1, 1.7, true), e);
    feed(candle(T0 + 2 * MIN, 1.7, 2, 1, 1.9, true), e);
    assertThat(published).hasSize(1); // OrderedMix: defined from the third window on
    now.addAndGet(1);
    assertThat(e.expire()).isOne();
    assertThat(e.liveCount()).isZero();
    feed(candle(T0 + 3 * MIN, 1.9, 2, 1, 1.8, true), e);
    assertThat(published).hasSize(1);
  }

  @Test
  void theCapRefusesNewSeriesWith429ButRenewsLiveOnes() {
    feed(candle(T0, 1, 2, 0.5, 1.5, true));
    AnalysisEngine e = engine(2);
    e.open(req("sma", "period", 2));
    e.open(req("ema", "period", 2));
    assertThatThrownBy(() -> e.open(req("rsi")))
        .isInstanceOfSatisfying(
            AnalysisException.class,
            x -> {
              assertThat(x.code()).isEqualTo(429);
              assertThat(x.getMessage()).isEqualTo("too many analysis series on this node (max 2)");
            });
    e.open(req("sma", "period", 2)); // same key: a renewal, not a new series
    e.open(
        new JsonObject()
            .put("symbol", "btcusd")
            .put("tf", "1m")
            .put("name", "ema")
            .put("params", new JsonObject().put("period", 2.0)));
    assertThat(e.liveCount()).isEqualTo(2);
    now.addAndGet(AnalysisEngine.LEASE_MS);
    assertThat(e.expire()).isEqualTo(2);
    e.open(req("rsi"));
    assertThat(e.liveCount()).isOne();
    e.dropSymbol("BTCUSD");
    assertThat(e.liveCount()).isZero();
    feed(candle(T0 + MIN, 1.5, 2, 1, 1.7, true), e);
    assertThat(published).isEmpty();
  }

  @Test
  void reEmittedClosedCandlesAreIgnoredAndSnapshotsEndWithTheProvisionalPoint() {
    AnalysisEngine e = engine(10);
    Random rnd = new Random(5);
    double p = 100;
    Candle last = null;
    for (int i = 0; i < 30; i++) {
      last = randomCandle(rnd, T0 + i * MIN, p, true);
      p = last.close();
      feed(last, e);
    }
    JsonObject snap = e.open(req("sma", "period", 3).put("limit", 5));
    JsonArray points = snap.getJsonArray("points");
    assertThat(points).hasSize(5);
    assertThat(points.getJsonObject(4).getLong("t")).isEqualTo(T0 + 29 * MIN);
    assertThat(snap.getString("key")).isEqualTo("sma:3");
    assertThat(snap.getJsonObject("params")).isEqualTo(new JsonObject().put("period", 3L));
    assertThat(snap.getJsonArray("fields")).containsExactly("value");

    Candle partial = // the same window re-emitted (marked partial by a gap record): ignored
        new Candle(
            "BTCUSD",
            Timeframe.M1,
            last.openTime(),
            last.open(),
            last.high(),
            last.low(),
            last.close(),
            last.volume(),
            last.trades(),
            true,
            true);
    feed(partial, e);
    assertThat(published).isEmpty();
    Candle open = randomCandle(rnd, T0 + 30 * MIN, p, false);
    feed(open, e);
    assertThat(published).hasSize(1);
    JsonObject upd = published.get(0);
    assertThat(upd.fieldNames()).containsExactlyInAnyOrder("symbol", "tf", "key", "points");
    assertThat(upd.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(upd.getString("tf")).isEqualTo("1m");
    assertThat(upd.getString("key")).isEqualTo("sma:3");
    assertThat(upd.getJsonArray("points")).hasSize(1);
    JsonObject updPoint = upd.getJsonArray("points").getJsonObject(0);
    assertThat(updPoint.getBoolean("closed")).isFalse();
    assertThat(addresses).containsExactly("analysis.BTCUSD.1m.sma:3");
    JsonArray again = e.open(req("sma", "period", 3).put("limit", 2)).getJsonArray("points");
    assertThat(again.getJsonObject(0)).isEqualTo(points.getJsonObject(4));
    assertThat(again.getJsonObject(1)).isEqualTo(updPoint);
  }

  @Test
  void liveUpdatesEqualValuesFromHistoryAlsoOfAnEngineStartedLater() {
    AnalysisEngine first = engine(10);
    List<JsonObject> laterOut = new ArrayList<>();
    AnalysisEngine later = engine(10, laterOut);
    Random rnd = new Random(42);
    JsonObject spec = req("macd", "fast", 3, "slow", 7, "signal", 4); // W = 1000
    double p = 100;
    long t = T0;
    for (int i = 0; i < 3_500; i++) {
      int r = rnd.nextInt(200);
      t += r == 0 ? (2_000L + rnd.nextInt(800)) * MIN : (r < 20 ? 2L + rnd.nextInt(30) : 1L) * MIN;
      if (rnd.nextInt(3) == 0) {
        feed(randomCandle(rnd, t, p, false), first, later);
      }
      Candle c = randomCandle(rnd, t, p, true);
      p = c.close();
      feed(c, first, later);
      if (i == 20) {
        first.open(spec.copy().put("limit", 0));
      }
      if (i == 2_222) {
        later.open(spec.copy().put("limit", 0)); // mid-block: warmed from history
        published.clear();
      }
    }
    assertThat(published).hasSizeGreaterThan(1_000).isEqualTo(laterOut);
    List<JsonObject> livePoints = pointsOf(published);
    JsonObject q =
        first.query(spec.copy().put("limit", 5_000).put("from", livePoints.get(0).getLong("t")));
    List<JsonObject> fromHistory = new ArrayList<>();
    q.getJsonArray("points").forEach(o -> fromHistory.add((JsonObject) o));
    List<JsonObject> live = new ArrayList<>();
    for (JsonObject pt : livePoints) {
      if (pt.getBoolean("closed")) {
        live.add(pt);
      }
    }
    // history holds every window (flats too); live updates came for the candles
    long oldest = fromHistory.get(0).getLong("t");
    live.removeIf(pt -> pt.getLong("t") < oldest);
    assertThat(live).hasSizeGreaterThan(100);
    assertThat(fromHistory).containsAll(live);
    assertThat(fromHistory.get(fromHistory.size() - 1)).isEqualTo(live.get(live.size() - 1));
  }

  @Test
  void queriesGiveTheNewestLimitPointsOfTheirRangeEqualToTheFullSeries() {
    AnalysisEngine e = engine(10);
    Random rnd = new Random(9);
    double p = 50;
    for (int i = 0; i < 2_500; i++) {
      Candle c = randomCandle(rnd, T0 + (i + (i > 1_200 ? 40 : 0)) * MIN, p, true);
      p = c.close();
      feed(c, e);
    }
    JsonObject spec = req("bb", "period", 10, "mult", 2.5);
    JsonArray all = e.query(spec.copy().put("limit", 5_000)).getJsonArray("points");
    assertThat(all).hasSize(2_540 - 2); // every window (40 flats) but the first two (undefined)
    long from = T0 + 1_000 * MIN + 1; // not aligned: the next window is the first
    long to = T0 + 1_500 * MIN;
    JsonArray some =
        e.query(spec.copy().put("from", from).put("to", to).put("limit", 300))
            .getJsonArray("points");
    List<Object> expected = new ArrayList<>();
    for (Object o : all) {
      long pt = ((JsonObject) o).getLong("t");
      if (pt >= from && pt <= to) {
        expected.add(o);
      }
    }
    assertThat(some.getList()).isEqualTo(expected.subList(expected.size() - 300, expected.size()));
    assertThat(e.liveCount()).isZero();
    assertThat(e.query(spec.copy().put("to", T0 - 1)).getJsonArray("points")).isEmpty();
  }

  @Test
  void patternsArePublishedOnlyWhenDetectedAndQueriedAsDetections() {
    AnalysisEngine e = engine(10);
    feed(candle(T0, 10, 10.5, 9.5, 10.4, true)); // history before activation (no pattern)
    e.open(req("patterns", "lookback", 3));
    Random rnd = new Random(3);
    double p = 10;
    int closedCandles = 0;
    for (int i = 1; i < 400; i++) {
      Candle c = randomCandle(rnd, T0 + i * MIN, p, true);
      if (i % 17 == 0) { // a doji
        c = candle(c.openTime(), p, p + 1, p - 1, p + 0.05, true);
      }
      p = c.close();
      feed(c, e);
      closedCandles++;
    }
    assertThat(published).isNotEmpty().hasSizeLessThan(closedCandles);
    JsonArray points =
        e.query(req("patterns", "lookback", 3).put("limit", 5_000)).getJsonArray("points");
    List<JsonObject> fromLive = new ArrayList<>();
    for (JsonObject u : published) {
      assertThat(u.getString("key")).isEqualTo("patterns:3");
      assertThat(u.fieldNames()).containsExactlyInAnyOrder("symbol", "tf", "key", "patterns");
      JsonArray found = u.getJsonArray("patterns");
      assertThat(found).isNotEmpty();
      for (Object d : found) {
        fromLive.add(((JsonObject) d).copy().put("closed", true));
      }
    }
    assertThat(points.getList()).isEqualTo(fromLive);
    assertThat(fromLive).anyMatch(d -> d.getString("pattern").equals("doji"));
  }

  /**
   * Feeds {@code candles} into history and both engines: {@code batched} flushes once at the end
   * (one fold batch), {@code single} after every candle (the oracle).
   */
  private void feedBatch(List<Candle> candles, AnalysisEngine batched, AnalysisEngine single) {
    for (Candle c : candles) {
      history.put(c);
      batched.onCandle(c);
      single.onCandle(c);
      single.flush();
    }
    batched.flush();
  }

  @Test
  void aBatchGivesOneMessagePerSeriesWithItsClosedPointsThenOnlyTheNewestProvisional() {
    List<JsonObject> batchedOut = new ArrayList<>();
    List<JsonObject> singleOut = new ArrayList<>();
    AnalysisEngine batched = engine(10, batchedOut);
    AnalysisEngine single = engine(10, singleOut);
    Random rnd = new Random(17);
    double p = 100;
    for (int i = 0; i < 30; i++) {
      Candle c = randomCandle(rnd, T0 + i * MIN, p, true);
      p = c.close();
      history.put(c);
    }
    for (AnalysisEngine e : List.of(batched, single)) {
      e.open(req("sma", "period", 3).put("limit", 0));
      e.open(req("ema", "period", 4).put("limit", 0));
    }
    List<Candle> batch = new ArrayList<>();
    for (int w = 30; w < 33; w++) { // windows 30 and 31 open then close, 32 stays open
      for (int k = 0; k < 3; k++) {
        batch.add(randomCandle(rnd, T0 + w * MIN, p, false));
      }
      if (w < 32) {
        Candle c = randomCandle(rnd, T0 + w * MIN, p, true);
        p = c.close();
        batch.add(c);
      }
    }
    addresses.clear();
    feedBatch(batch, batched, single);
    assertThat(addresses.subList(0, 2))
        .containsExactly("analysis.BTCUSD.1m.sma:3", "analysis.BTCUSD.1m.ema:4");
    assertThat(batchedOut).hasSize(2);
    for (JsonObject u : batchedOut) {
      List<JsonObject> expected = expectedOfBatch(singleOut, u.getString("key"));
      assertThat(pointsOf(List.of(u))).isEqualTo(expected);
      assertThat(expected)
          .extracting(pt -> pt.getLong("t"), pt -> pt.getBoolean("closed"))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(T0 + 30 * MIN, true),
              org.assertj.core.groups.Tuple.tuple(T0 + 31 * MIN, true),
              org.assertj.core.groups.Tuple.tuple(T0 + 32 * MIN, false));
    }

    // a batch ending with the close of the open window: its provisionals are superseded
    batchedOut.clear();
    singleOut.clear();
    List<Candle> closing =
        List.of(
            randomCandle(rnd, T0 + 32 * MIN, p, false), randomCandle(rnd, T0 + 32 * MIN, p, true));
    feedBatch(closing, batched, single);
    assertThat(batchedOut).hasSize(2);
    for (JsonObject u : batchedOut) {
      List<JsonObject> pts = pointsOf(List.of(u));
      assertThat(pts).hasSize(1).isEqualTo(expectedOfBatch(singleOut, u.getString("key")));
      assertThat(pts.get(0).getBoolean("closed")).isTrue();
      assertThat(pts.get(0).getLong("t")).isEqualTo(T0 + 32 * MIN);
    }
    batchedOut.clear();
    batched.flush(); // nothing new: nothing published
    assertThat(batchedOut).isEmpty();
  }

  /**
   * The oracle of a batch from the one-candle batches of one series: every closed point, then the
   * newest provisional point when it is newer than the last closed one.
   */
  private static List<JsonObject> expectedOfBatch(List<JsonObject> singles, String key) {
    List<JsonObject> closed = new ArrayList<>();
    JsonObject provisional = null;
    for (JsonObject u : singles) {
      if (!u.getString("key").equals(key)) {
        continue;
      }
      for (JsonObject pt : pointsOf(List.of(u))) {
        if (pt.getBoolean("closed")) {
          closed.add(pt);
        } else {
          provisional = pt;
        }
      }
    }
    long lastClosed =
        closed.isEmpty() ? Long.MIN_VALUE : closed.get(closed.size() - 1).getLong("t");
    if (provisional != null && provisional.getLong("t") > lastClosed) {
      closed.add(provisional);
    }
    return closed;
  }

  @Test
  void aBatchGivesOnePatternMessageWithAllItsDetectionsAndNoneWithoutDetections() {
    List<JsonObject> batchedOut = new ArrayList<>();
    List<JsonObject> singleOut = new ArrayList<>();
    AnalysisEngine batched = engine(10, batchedOut);
    AnalysisEngine single = engine(10, singleOut);
    history.put(candle(T0, 10, 10.5, 9.5, 10.4, true));
    batched.open(req("patterns", "lookback", 3));
    single.open(req("patterns", "lookback", 3));
    Random rnd = new Random(3);
    double p = 10;
    List<Candle> batch = new ArrayList<>();
    for (int i = 1; i < 200; i++) {
      Candle c = randomCandle(rnd, T0 + i * MIN, p, true);
      if (i % 17 == 0) { // a doji
        c = candle(c.openTime(), p, p + 1, p - 1, p + 0.05, true);
      }
      p = c.close();
      batch.add(c);
    }
    feedBatch(batch, batched, single);
    assertThat(singleOut).hasSizeGreaterThan(1);
    assertThat(batchedOut).hasSize(1);
    List<Object> all = new ArrayList<>();
    singleOut.forEach(u -> all.addAll(u.getJsonArray("patterns").getList()));
    assertThat(batchedOut.get(0).getJsonArray("patterns").getList()).isEqualTo(all);

    batchedOut.clear();
    Candle plain = candle(T0 + 200 * MIN, p, p + 0.01, p - 0.01, p, false); // an open window
    feedBatch(List.of(plain), batched, single);
    assertThat(batchedOut).isEmpty();
  }

  @Test
  void badRequestsSayWhatIsWrong() {
    feed(candle(T0, 1, 2, 0.5, 1.5, true));
    AnalysisEngine e = engine(10);
    assertFails(e, req("sma").put("symbol", "B"), 400, "symbol must be");
    assertFails(e, req("sma").put("tf", "7m"), 400, "unknown timeframe 7m");
    assertFails(e, req("nope"), 400, "unknown indicator 'nope'");
    assertFails(e, req("sma").put("name", 3), 400, "name must be a string");
    assertFails(
        e, req("sma", "period", 0), 400, "sma parameter 'period' must be an integer from 1 to 500");
    assertFails(e, req("sma", "span", 3), 400, "unknown parameter 'span'");
    assertFails(e, req("sma").put("params", "x"), 400, "params must be a JSON object");
    assertFails(e, req("sma").put("limit", 5_001), 400, "limit must be 0..5000");
    assertFails(e, req("sma").put("limit", "many"), 400, "limit must be an integer");
    assertFails(e, req("sma").put("symbol", "NOPE"), 404, "unknown symbol NOPE");
    assertThatThrownBy(() -> e.query(req("sma").put("limit", 0)))
        .hasMessageContaining("limit must be 1..5000");
    assertThatThrownBy(() -> e.query(req("sma").put("from", 5).put("to", 4)))
        .hasMessageContaining("from must not be after to");
    assertThat(e.liveCount()).isZero();
    assertThat(AnalysisSpec.parse("sma", Map.of()).key()).isEqualTo("sma:20");
  }

  private static void assertFails(AnalysisEngine e, JsonObject body, int code, String message) {
    assertThatThrownBy(() -> e.open(body))
        .isInstanceOfSatisfying(
            AnalysisException.class,
            x -> {
              assertThat(x.code()).isEqualTo(code);
              assertThat(x.getMessage()).contains(message);
            });
  }
}
