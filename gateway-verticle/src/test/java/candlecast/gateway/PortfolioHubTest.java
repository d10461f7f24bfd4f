package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's portfolio hub on a real event bus, with stand-ins for {@code candlecast.portfolio} and
 * {@code candlecast.tickers}: a burst of ticker updates gives at most one frame per interval per
 * owner and the newest price wins; each frame is encoded once per owner and the same one reaches
 * every subscriber; one ticker consumer per symbol however many owners hold it.
 */
class PortfolioHubTest {
  private static final long INTERVAL = 150;

  private Vertx vertx;
  private PortfolioHub hub;
  private final AtomicInteger gets = new AtomicInteger();

  /** A subscriber recording what it gets. */
  private static final class Sub implements PortfolioHub.Subscriber {
    final Context context;
    final List<Update> got = new CopyOnWriteArrayList<>();

    Sub(Context context) {
      this.context = context;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public String spelling() {
      return null;
    }

    @Override
    public String symbol() {
      return null;
    }

    @Override
    public void write(Update u) {
      got.add(u);
    }

    JsonObject last() {
      return new JsonObject(got.get(got.size() - 1).frame());
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Map<String, JsonObject> records =
        Map.of(
            "alice", record("alice", 1, 100),
            "bob", record("bob", 2, 50));
    Await.await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.PORTFOLIO,
                m -> {
                  gets.incrementAndGet();
                  m.reply(records.get(m.body().getString("owner")));
                })
            .completion());
    Await.await(
        vertx
            .eventBus()
            .consumer(
                Addresses.TICKERS, m -> m.reply(new JsonObject().put("tickers", new JsonArray())))
            .completion());
    hub = new PortfolioHub(vertx, INTERVAL, 60_000, System::currentTimeMillis);
  }

  @AfterEach
  void tearDown() throws Exception {
    Await.await(vertx.close());
  }

  private static JsonObject record(String owner, double q, double cost) {
    return new JsonObject()
        .put("owner", owner)
        .put(
            "positions",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("symbol", "BTCUSD")
                        .put("quantity", q)
                        .put("avgCost", cost)));
  }

  private static double price(JsonObject valuation) {
    return valuation.getJsonArray("positions").getJsonObject(0).getDouble("price");
  }

  @Test
  void coalescesABurstAndFansTheSameFrameOut() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    Sub a1 = new Sub(ctx);
    Sub a2 = new Sub(ctx);
    Sub b = new Sub(vertx.getOrCreateContext());
    Update first = Await.await(hub.join("alice", a1));
    assertThat(
            new JsonObject(first.frame())
                .getJsonArray("positions")
                .getJsonObject(0)
                .getValue("price"))
        .isNull();
    Await.await(hub.join("alice", a2));
    Await.await(hub.join("bob", b));
    assertThat(gets).hasValue(2); // one record read per owner
    assertThat(Await.onContext(hub.home, hub::followed)).isEqualTo(1);

    // a burst: 400 ticker updates about 2 ms apart
    AtomicInteger sent = new AtomicInteger();
    long start = System.currentTimeMillis();
    long timer =
        vertx.setPeriodic(
            2,
            id -> {
              int i = sent.incrementAndGet();
              if (i <= 400) {
                vertx
                    .eventBus()
                    .publish(
                        Addresses.ticker("BTCUSD"),
                        new JsonObject()
                            .put("symbol", "BTCUSD")
                            .put("last", 1000.0 + i)
                            .put("changePct", 0.5));
              }
            });
    await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() > 400);
    vertx.cancelTimer(timer);
    long burstMs = System.currentTimeMillis() - start;
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !a1.got.isEmpty() && price(a1.last()) == 1400.0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !b.got.isEmpty() && price(b.last()) == 1400.0);

    // at most one frame per interval per owner
    List<Update> frames = a1.got;
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i).time() - frames.get(i - 1).time())
          .as("frames %d and %d", i - 1, i)
          .isGreaterThanOrEqualTo(INTERVAL);
    }
    assertThat(frames.size()).isLessThanOrEqualTo((int) (burstMs / INTERVAL) + 2).isGreaterThan(1);
    // the newest value wins: the frame after the burst holds the last price, and the values of
    // the frames grow with the burst
    for (int i = 1; i < frames.size(); i++) {
      assertThat(price(new JsonObject(frames.get(i).frame())))
          .isGreaterThan(price(new JsonObject(frames.get(i - 1).frame())));
    }
    // fan-out: the same encoded frame for every subscriber of the owner
    assertThat(a2.got).hasSameSizeAs(a1.got);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(a2.got.get(i)).isSameAs(a1.got.get(i));
    }
    JsonObject bob = b.last();
    assertThat(bob.getString("owner")).isEqualTo("bob");
    assertThat(bob.getJsonObject("totals").getDouble("pnl")).isEqualTo(2 * 1400.0 - 100);
    // one valuation per owner per frame
    long encoded = Await.onContext(hub.home, () -> hub.frames);
    assertThat(encoded).isEqualTo(a1.got.size() + b.got.size());

    hub.leave("alice", a1);
    hub.leave("alice", a2);
    hub.leave("bob", b);
    await().atMost(Duration.ofSeconds(5)).until(() -> Await.onContext(hub.home, hub::owners) == 0);
    assertThat(Await.onContext(hub.home, hub::followed)).isZero();
  }

  @Test
  void aChangedRecordIsValuedAtOnceAndFollowsItsSymbols() throws Exception {
    Sub a = new Sub(vertx.getOrCreateContext());
    Await.await(hub.join("alice", a));
    JsonObject changed =
        new JsonObject()
            .put("owner", "alice")
            .put(
                "positions",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("symbol", "ETHUSD")
                            .put("quantity", 3.0)
                            .put("avgCost", 10.0)));
    vertx
        .eventBus()
        .publish(
            Addresses.PORTFOLIO_CHANGED,
            new JsonObject().put("owner", "alice").put("record", changed));
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.got.isEmpty());
    assertThat(a.last().getJsonArray("positions").getJsonObject(0).getString("symbol"))
        .isEqualTo("ETHUSD");
    vertx
        .eventBus()
        .publish(
            Addresses.ticker("ETHUSD"),
            new JsonObject().put("symbol", "ETHUSD").put("last", 12.0).put("changePct", 1.0));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> a.last().getJsonObject("totals").getDouble("pnl") == 6.0);
    // BTCUSD is no longer followed, ETHUSD is
    assertThat(Await.onContext(hub.home, hub::followed)).isEqualTo(1);
    assertThat(Await.onContext(hub.home, () -> hub.ticker("ETHUSD"))).isNotNull();
  }
}
