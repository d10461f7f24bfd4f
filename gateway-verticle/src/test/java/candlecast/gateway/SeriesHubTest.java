package candlecast.gateway;

import static candlecast.gateway.Await.await;
import static candlecast.gateway.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fan-out against a real (local) event bus, with fake subscribers. */
@ExtendWith(VertxExtension.class)
class SeriesHubTest {
  private static final SeriesKey BTC_1S = new SeriesKey("BTCUSD", Timeframe.S1);
  private Vertx vertx;
  private Context ctx;
  private SeriesHub hub;

  static final class FakeSubscriber implements SeriesHub.Subscriber {
    final BlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Update> updates = new LinkedBlockingQueue<>();

    @Override
    public void deliver(Update update) {
      updates.add(update);
      received.add(update.frame());
    }

    Buffer next() throws InterruptedException {
      Buffer b = received.poll(5, TimeUnit.SECONDS);
      assertThat(b).as("update within 5 s").isNotNull();
      return b;
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.hub = onContext(() -> new SeriesHub(vertx.eventBus()));
  }

  @Test
  void oneConsumerPerSeriesAndOneBufferForAllSubscribers() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    FakeSubscriber b = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    await(onContext(() -> hub.subscribe(BTC_1S, b)));
    assertThat(hub.consumersRegistered()).isEqualTo(1);
    assertThat(hub.activeSeries()).isEqualTo(1);
    assertThat(onContext(() -> hub.subscribers(BTC_1S))).isEqualTo(2);

    publish(candle("BTCUSD", Timeframe.S1, 1_700_000_001_000L, 100.5));
    Buffer fromA = a.next();
    Buffer fromB = b.next();
    assertThat(fromA).isSameAs(fromB);
    assertThat(fromA.toJsonObject().getDouble("close")).isEqualTo(100.5);
    assertThat(fromA.toJsonObject().getLong("unix_timestamp")).isEqualTo(1_700_000_001L);
    assertThat(hub.deliveredUpdates()).isEqualTo(2);
  }

  @Test
  void subscribingTwiceIsOneSubscription() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    assertThat(onContext(() -> hub.subscribers(BTC_1S))).isEqualTo(1);
    publish(candle("BTCUSD", Timeframe.S1, 1_000L, 1));
    a.next();
    publish(candle("BTCUSD", Timeframe.S1, 2_000L, 2));
    assertThat(a.next().toJsonObject().getLong("unix_timestamp")).isEqualTo(2L);
    assertThat(a.received).isEmpty();
  }

  @Test
  void updatesCarryTheCandlesOrderingFields() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    publish(new Candle("BTCUSD", Timeframe.S1, 7_000L, 1, 2, 0.5, 1.5, 3, 42, true));
    a.next();
    Update u = a.updates.poll(5, TimeUnit.SECONDS);
    assertThat(u.time()).isEqualTo(7_000L);
    assertThat(u.version()).isEqualTo(42L);
    assertThat(u.closed()).isTrue();
    assertThat(u.frame().toJsonObject().getLong("t")).isEqualTo(7_000L);
  }

  @Test
  void tickersFanOutLikeSeries() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    TickerKey btc = new TickerKey("BTCUSD");
    await(onContext(() -> hub.subscribe(btc, a)));
    JsonObject t =
        new JsonObject()
            .put("symbol", "BTCUSD")
            .put("last", 37000.5)
            .put("open24h", 36000.0)
            .put("change", 1000.5)
            .put("changePct", 2.78)
            .put("high", 37100.0)
            .put("low", 35900.0)
            .put("volume", 12.5)
            .put("time", 1_700_000_000_000L);
    vertx
        .eventBus()
        .publish(
            "ticker.BTCUSD",
            new JsonObject().put("symbol", "ETHUSD").put("last", 1).put("time", 1));
    vertx.eventBus().publish("ticker.BTCUSD", t);
    JsonObject frame = a.next().toJsonObject();
    assertThat(frame.getString("type")).isEqualTo("ticker");
    assertThat(frame.copy().put("type", (Object) null)).isNotNull();
    assertThat(frame.getDouble("last")).isEqualTo(37000.5);
    assertThat(frame.getLong("time")).isEqualTo(1_700_000_000_000L);
    assertThat(frame.fieldNames()).containsAll(t.fieldNames());
    assertThat(hub.malformedUpdates()).isEqualTo(1);
  }

  @Test
  void unsubscribedSubscriberGetsNothingAndTheLastOneUnregisters() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    FakeSubscriber b = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    await(onContext(() -> hub.subscribe(BTC_1S, b)));
    assertThat(onContext(() -> hub.unsubscribe(BTC_1S, a))).isTrue();
    assertThat(onContext(() -> hub.unsubscribe(BTC_1S, a))).isFalse();
    assertThat(hub.activeSeries()).isEqualTo(1);

    publish(candle("BTCUSD", Timeframe.S1, 1_000L, 1));
    b.next();
    assertThat(a.received).isEmpty();

    assertThat(onContext(() -> hub.unsubscribe(BTC_1S, b))).isTrue();
    assertThat(hub.activeSeries()).isZero();
    assertThat(onContext(() -> hub.subscribers(BTC_1S))).isZero();

    // a new first subscriber registers a new consumer
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    assertThat(hub.consumersRegistered()).isEqualTo(2);
    publish(candle("BTCUSD", Timeframe.S1, 2_000L, 2));
    assertThat(a.next().toJsonObject().getDouble("close")).isEqualTo(2.0);
    assertThat(b.received).isEmpty();
  }

  @Test
  void seriesAreIndependent() throws Exception {
    SeriesKey eth1m = new SeriesKey("ETHUSD", Timeframe.M1);
    FakeSubscriber a = new FakeSubscriber();
    FakeSubscriber b = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    await(onContext(() -> hub.subscribe(eth1m, b)));
    assertThat(hub.consumersRegistered()).isEqualTo(2);
    publish(candle("ETHUSD", Timeframe.M1, 60_000L, 7));
    assertThat(b.next().toJsonObject().getString("symbol")).isEqualTo("ETHUSD");
    publish(candle("BTCUSD", Timeframe.S1, 1_000L, 1));
    assertThat(a.next().toJsonObject().getString("symbol")).isEqualTo("BTCUSD");
    assertThat(a.received).isEmpty();
    assertThat(b.received).isEmpty();
  }

  @Test
  void malformedUpdatesAreCountedAndDropped() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    vertx.eventBus().publish(BTC_1S.address(), "not json");
    vertx
        .eventBus()
        .publish(BTC_1S.address(), new JsonObject().put("symbol", "BTCUSD").put("tf", "1s"));
    vertx
        .eventBus()
        .publish(BTC_1S.address(), CandleCodec.toJson(candle("ETHUSD", Timeframe.S1, 1_000L, 1)));
    vertx
        .eventBus()
        .publish(BTC_1S.address(), CandleCodec.toJson(candle("BTCUSD", Timeframe.M1, 0L, 1)));
    publish(candle("BTCUSD", Timeframe.S1, 5_000L, 5));
    assertThat(a.next().toJsonObject().getDouble("close")).isEqualTo(5.0);
    assertThat(hub.malformedUpdates()).isEqualTo(4);
    assertThat(hub.deliveredUpdates()).isEqualTo(1);
  }

  @Test
  void closeAllUnregistersEverything() throws Exception {
    FakeSubscriber a = new FakeSubscriber();
    await(onContext(() -> hub.subscribe(BTC_1S, a)));
    await(onContext(() -> hub.subscribe(new SeriesKey("ETHUSD", Timeframe.D1), a)));
    assertThat(hub.activeSeries()).isEqualTo(2);
    await(onContext(() -> hub.closeAll()));
    assertThat(hub.activeSeries()).isZero();
    // nobody listens any more: a request finds no handler
    Throwable err = awaitFailure(vertx.eventBus().request(BTC_1S.address(), new JsonObject()));
    assertThat(err).hasMessageContaining("No handlers");
  }

  private void publish(Candle c) {
    vertx.eventBus().publish(Addresses(c), CandleCodec.toJson(c));
  }

  private static String Addresses(Candle c) {
    return candlecast.common.Addresses.candles(c.symbol(), c.tf());
  }

  static Candle candle(String symbol, Timeframe tf, long openTime, double close) {
    return new Candle(symbol, tf, openTime, close, close, close, close, 1.0, 1, false);
  }

  private <T> T onContext(java.util.concurrent.Callable<T> action) throws Exception {
    return Await.onContext(ctx, action);
  }
}
