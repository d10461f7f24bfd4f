package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AnalysisHub} against {@link FakeAnalysisOwner} over a real (local) event bus. */
class AnalysisHubTest {
  private static final long T0 = GatewayTestBase.T0;
  private static final Timeframe TF = Timeframe.M1;
  private static final AnalysisSpec SMA3 = AnalysisSpec.parse("sma", Map.of("period", 3));

  private Vertx vertx;
  private FakeAggregator agg;
  private FakeAnalysisOwner owner;
  private AnalysisHub hub;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    agg = new FakeAggregator(vertx, "BTCUSD", "ETHUSD");
    owner = new FakeAnalysisOwner(agg);
    for (int i = 0; i < 10; i++) {
      owner.candle(candle(i, true));
    }
    agg.sync();
  }

  @AfterEach
  void tearDown() throws Exception {
    Await.await(vertx.close());
  }

  private AnalysisHub hub(int max, long renewMs) throws Exception {
    hub =
        Await.onContext(
            vertx.getOrCreateContext(), () -> new AnalysisHub(vertx, max, renewMs, 1_000));
    return hub;
  }

  private static Candle candle(int i, boolean closed) {
    return GatewayTestBase.candle("BTCUSD", TF, T0 + i * TF.millis(), 5 + i, closed);
  }

  /** Whether anything consumes {@code address} (a request fails NO_HANDLERS when nothing does). */
  private boolean hasConsumer(String address) throws Exception {
    io.vertx.core.Future<Object> f =
        vertx
            .eventBus()
            .request(address, "ping", new DeliveryOptions().setSendTimeout(200))
            .map(m -> m.body());
    Throwable t = Await.await(f.transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
    return !(t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS);
  }

  @Test
  void twoHoldersShareOneConsumerAndOneOpen() throws Exception {
    hub(10, 60_000);
    String address = Addresses.analysis("BTCUSD", TF, SMA3.key());
    List<JsonObject> a = new CopyOnWriteArrayList<>();
    List<JsonObject> b = new CopyOnWriteArrayList<>();
    AnalysisFeed.Lease la = Await.await(hub.acquire("BTCUSD", TF, SMA3, 5, a::add));
    AnalysisFeed.Lease lb = Await.await(hub.acquire("BTCUSD", TF, SMA3, 3, b::add));
    assertThat(owner.opens(SMA3.key())).isEqualTo(1);
    assertThat(hub.consumersRegistered()).isEqualTo(1);
    assertThat(hub.activeSeries()).isEqualTo(1);
    List<JsonObject> oracle = FakeAnalysisOwner.points(owner.candles("BTCUSD", TF), SMA3);
    assertThat(la.snapshot().getJsonArray("points").getList())
        .isEqualTo(
            new JsonArray(new ArrayList<>(oracle.subList(oracle.size() - 5, oracle.size())))
                .getList());
    assertThat(lb.snapshot().getJsonArray("points").size()).isEqualTo(3);
    assertThat(la.snapshot().getString("key")).isEqualTo("sma:3");

    owner.candle(candle(10, false));
    await().untilAsserted(() -> assertThat(a).hasSize(1));
    await().untilAsserted(() -> assertThat(b).hasSize(1));
    // one update object per node: its frame is encoded once and shared by every holder
    assertThat(a.get(0)).isSameAs(b.get(0));
    assertThat(((AnalysisUpdate) a.get(0)).update()).isSameAs(((AnalysisUpdate) b.get(0)).update());
    assertThat(a.get(0).getDouble("value"))
        .isEqualTo(
            last(FakeAnalysisOwner.points(owner.candles("BTCUSD", TF), SMA3)).getDouble("value"));

    la.close();
    la.close(); // idempotent
    owner.candle(candle(10, true));
    await().untilAsserted(() -> assertThat(b).hasSize(2));
    assertThat(a).hasSize(1);
    assertThat(hasConsumer(address)).isTrue();
    lb.close();
    await().until(() -> hub.activeSeries() == 0);
    await().until(() -> !hasConsumer(address));
  }

  @Test
  void aHolderWantingMorePointsThanHeldWidensThemWithOneOpen() throws Exception {
    hub(10, 60_000);
    AnalysisFeed.Lease first = Await.await(hub.acquire("BTCUSD", TF, SMA3, 0, u -> {}));
    assertThat(first.snapshot().getJsonArray("points")).isEmpty();
    owner.candle(candle(10, false)); // held as the open window's point
    AnalysisFeed.Lease wide = Await.await(hub.acquire("BTCUSD", TF, SMA3, 6, u -> {}));
    List<JsonObject> oracle = FakeAnalysisOwner.points(owner.candles("BTCUSD", TF), SMA3);
    assertThat(wide.snapshot().getJsonArray("points").getList())
        .isEqualTo(
            new JsonArray(new ArrayList<>(oracle.subList(oracle.size() - 6, oracle.size())))
                .getList());
    assertThat(owner.opens(SMA3.key())).isEqualTo(1); // plus the first one with limit 0
    AnalysisFeed.Lease again = Await.await(hub.acquire("BTCUSD", TF, SMA3, 4, u -> {}));
    assertThat(again.snapshot().getJsonArray("points").size()).isEqualTo(4);
    assertThat(owner.opens(SMA3.key())).isEqualTo(1);
  }

  @Test
  void renewsEveryPeriodWhileHeldAndStopsAfterTheLastClose() throws Exception {
    hub(10, 100);
    AnalysisFeed.Lease l = Await.await(hub.acquire("BTCUSD", TF, SMA3, 1, u -> {}));
    await().atMost(Duration.ofSeconds(5)).until(() -> owner.renewals(SMA3.key()) >= 3);
    l.close();
    await().until(() -> hub.activeSeries() == 0);
    long n = owner.renewals(SMA3.key());
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> owner.renewals(SMA3.key()) == n);
  }

  @Test
  void capFailsWith429OnlyForNewSeries() throws Exception {
    hub(2, 60_000);
    Await.await(hub.acquire("BTCUSD", TF, SMA3, 1, u -> {}));
    Await.await(
        hub.acquire("BTCUSD", TF, AnalysisSpec.parse("sma", Map.of("period", 4)), 1, u -> {}));
    Throwable t =
        Await.awaitFailure(
            hub.acquire("BTCUSD", TF, AnalysisSpec.parse("sma", Map.of("period", 5)), 1, u -> {}));
    assertThat(t).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) t).failureCode()).isEqualTo(429);
    assertThat(t.getMessage()).contains("max 2");
    Await.await(hub.acquire("BTCUSD", TF, SMA3, 1, u -> {})); // an active series is still fine
  }

  @Test
  void ownerFailuresReachTheAcquirerAndLeaveNothingBehind() throws Exception {
    hub(10, 60_000);
    Throwable t = Await.awaitFailure(hub.acquire("XRPUSD", TF, SMA3, 1, u -> {}));
    assertThat(((ReplyException) t).failureCode()).isEqualTo(404);
    owner.maxSeries = 0;
    t = Await.awaitFailure(hub.acquire("BTCUSD", TF, SMA3, 1, u -> {}));
    assertThat(((ReplyException) t).failureCode()).isEqualTo(429);
    await().until(() -> hub.activeSeries() == 0);
  }

  @Test
  void updatesTheSnapshotShowsAreDropped() throws Exception {
    hub(10, 60_000);
    // published after the owner took the open and before it replied: the snapshot shows it
    owner.beforeReply.add(candle(10, true));
    List<JsonObject> got = new CopyOnWriteArrayList<>();
    AnalysisFeed.Lease l = Await.await(hub.acquire("BTCUSD", TF, SMA3, 50, got::add));
    JsonArray snap = l.snapshot().getJsonArray("points");
    assertThat(snap.getJsonObject(snap.size() - 1).getLong("t")).isEqualTo(T0 + 10 * TF.millis());
    owner.candle(candle(11, false));
    owner.candle(candle(11, true));
    owner.candle(candle(12, false));
    await().untilAsserted(() -> assertThat(got).hasSize(3));
    // snapshot + updates (the open window's last version replacing its earlier) = the oracle
    List<JsonObject> merged = new ArrayList<>();
    for (Object o : snap) {
      merged.add((JsonObject) o);
    }
    for (JsonObject u : got) {
      JsonObject p = u.copy();
      p.remove("symbol");
      p.remove("tf");
      p.remove("key");
      if (merged.get(merged.size() - 1).getLong("t").equals(p.getLong("t"))) {
        merged.remove(merged.size() - 1);
      }
      merged.add(p);
    }
    assertThat(merged).isEqualTo(FakeAnalysisOwner.points(owner.candles("BTCUSD", TF), SMA3));
    // a second holder's snapshot comes from the held points and equals the oracle too
    AnalysisFeed.Lease l2 = Await.await(hub.acquire("BTCUSD", TF, SMA3, 50, u -> {}));
    assertThat(l2.snapshot().getJsonArray("points").getList())
        .isEqualTo(new JsonArray(new ArrayList<>(merged)).getList());
    assertThat(owner.opens(SMA3.key())).isEqualTo(1);
  }

  @Test
  void aRenewalAfterAFailoverReactivatesTheSeriesOnTheNewOwner() throws Exception {
    hub(10, 100);
    Await.await(hub.acquire("BTCUSD", TF, SMA3, 1, u -> {}));
    String address = Addresses.analysis("BTCUSD", TF, SMA3.key());
    owner.failWith = 503; // the owner died; the new one is taking over
    owner.active.clear();
    long before = owner.renewals(SMA3.key());
    await().until(() -> owner.renewals(SMA3.key()) >= before + 2);
    assertThat(owner.active).doesNotContainKey(address);
    owner.failWith = null;
    await().until(() -> owner.active.containsKey(address));
  }

  private static JsonObject last(List<JsonObject> l) {
    return l.get(l.size() - 1);
  }
}
