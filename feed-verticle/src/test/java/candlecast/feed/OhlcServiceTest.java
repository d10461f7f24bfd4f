package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed's OHLC service against the fake exchange's OHLC endpoint over loopback HTTP. */
class OhlcServiceTest {
  private static final long MIN = 60_000L;
  private Vertx vertx;
  private FakeBitstamp fake;
  private OhlcService service;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = FakeBitstamp.start("btcusd");
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      await(service.stop());
    }
    await(vertx.close());
    fake.close();
  }

  private void serve(long retries, List<String> symbols) throws Exception {
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.BITSTAMP_REST_URL, fake.restUrl())
            .with(Settings.BITSTAMP_OHLC_PER_SECOND, 20L)
            .with(Settings.BITSTAMP_OHLC_RETRIES, retries)
            .with(Settings.BITSTAMP_OHLC_BACKOFF_MS, 20L);
    service = new OhlcService(vertx, config, symbols);
    await(service.start());
  }

  private JsonObject ask(JsonObject body) throws Exception {
    Future<Message<JsonObject>> f =
        vertx
            .eventBus()
            .request(Addresses.FEED_OHLC, body, new DeliveryOptions().setSendTimeout(30_000));
    return await(f).body();
  }

  private int failureCode(JsonObject body) throws Exception {
    try {
      ask(body);
      throw new AssertionError("expected a failure for " + body.encode());
    } catch (ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
  }

  private static JsonObject req(String tf, long from, long to) {
    return new JsonObject().put("symbol", "BTCUSD").put("tf", tf).put("from", from).put("to", to);
  }

  /** 2500 one-minute bars: three pages, every bar equal to what the exchange served. */
  @Test
  void pagesThroughMoreThanOneThousandBars() throws Exception {
    serve(3, List.of("BTCUSD"));
    long from = Math.floorDiv(System.currentTimeMillis(), MIN) * MIN - 3000 * MIN;
    long to = from + 2499 * MIN;
    JsonObject reply = ask(req("1m", from, to));
    List<Candle> got = new ArrayList<>();
    reply.getJsonArray("candles").forEach(o -> got.add(CandleCodec.fromJson((JsonObject) o)));
    assertThat(fake.ohlcCalls).hasSize(3);
    assertThat(got).hasSize(2500);
    for (int i = 0; i < got.size(); i++) {
      long t = from + i * MIN;
      double[] b = FakeBitstamp.ohlcBarServed("btcusd", 60, t / 1000);
      assertThat(got.get(i))
          .isEqualTo(
              new Candle(
                  "BTCUSD",
                  Timeframe.M1,
                  t,
                  b[0],
                  b[1],
                  b[2],
                  b[3],
                  b[4],
                  0,
                  true,
                  false,
                  CandleSource.EXCHANGE));
    }
    assertThat(reply.getJsonArray("candles").getJsonObject(0).getString("src"))
        .isEqualTo("exchange");
  }

  /** Refused pages (429) are asked again after the back-off, and nothing is lost or doubled. */
  @Test
  void backsOffOn429AndCompletes() throws Exception {
    serve(5, List.of("BTCUSD"));
    fake.ohlcFailNext.set(2);
    long from = Math.floorDiv(System.currentTimeMillis(), MIN) * MIN - 1500 * MIN;
    JsonObject reply = ask(req("1m", from, from + 1199 * MIN));
    assertThat(reply.getJsonArray("candles")).hasSize(1200);
    assertThat(fake.ohlcRefused.get()).isEqualTo(2);
    assertThat(fake.ohlcCalls).hasSize(4); // 2 pages + 2 refused
  }

  /** The exchange's rate limit: faster pages are refused, retried, and all arrive. */
  @Test
  void respectsTheExchangeRateLimit() throws Exception {
    serve(10, List.of("BTCUSD"));
    fake.ohlcPerSecond = 3;
    long step = 5 * MIN;
    long from = Math.floorDiv(System.currentTimeMillis(), step) * step - 9000 * step;
    JsonObject reply = ask(req("5m", from, from + 7999 * step));
    assertThat(reply.getJsonArray("candles")).hasSize(8000);
    assertThat(fake.ohlcRefused.get()).isPositive();
    assertThat(fake.ohlcCalls.size() - fake.ohlcRefused.get()).isEqualTo(8);
  }

  @Test
  void keepsFailingIsA502() throws Exception {
    serve(1, List.of("BTCUSD"));
    fake.ohlcFailNext.set(5);
    long from = Math.floorDiv(System.currentTimeMillis(), MIN) * MIN - 100 * MIN;
    assertThat(failureCode(req("1m", from, from + 10 * MIN))).isEqualTo(502);
    assertThat(fake.ohlcCalls).hasSize(2);
  }

  @Test
  void whatCannotBeServedIsRefused() throws Exception {
    serve(0, List.of("BTCUSD"));
    assertThat(failureCode(req("1s", 0, 1000))).isEqualTo(400);
    assertThat(failureCode(req("2m", 0, 1000))).isEqualTo(400);
    assertThat(failureCode(req("1m", 10, 0))).isEqualTo(400);
    assertThat(failureCode(new JsonObject().put("symbol", "BTCUSD").put("tf", "1m")))
        .isEqualTo(400);
    assertThat(failureCode(req("1m", 0, 1000).put("symbol", "x"))).isEqualTo(400);
    assertThat(failureCode(req("1m", 0, 1000).put("symbol", "ETHUSD"))).isEqualTo(501);
    assertThat(failureCode(req("1m", 0, 60_000L * 1000 * 100))).isEqualTo(400);
    assertThat(fake.ohlcCalls).isEmpty();
  }

  /** A source that cannot serve history (mock, replay) answers 501 for everything. */
  @Test
  void otherSourcesAnswer501() throws Exception {
    serve(0, List.of());
    assertThat(failureCode(req("1m", 0, 1000))).isEqualTo(501);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
