package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway over real loopback sockets, alone on the event bus: each test registers the
 * history/symbols/health responders it needs and publishes candles itself. The event bus is the
 * tier contract, so this stands in for the aggregator, and a test can leave a responder out,
 * silence it or make it fail.
 */
@ExtendWith(VertxExtension.class)
abstract class StandInTierTestBase extends GatewayTestBase {
  static final long HISTORY_TIMEOUT_MS = 500;

  final BlockingQueue<JsonObject> historyRequests = new LinkedBlockingQueue<>();

  @BeforeEach
  void startGateway(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, HISTORY_TIMEOUT_MS));
    assertThat(port).isPositive();
  }

  /**
   * Answers {@code candlecast.history} with 3 closed candles from T0 a minute apart, except for the
   * symbols NOPE (404), REJECT (400) and GARBAGE (a malformed reply); records every request.
   */
  void historyResponder() {
    respond(
        Addresses.HISTORY,
        msg -> {
          JsonObject req = (JsonObject) msg.body();
          historyRequests.add(req);
          String symbol = req.getString("symbol");
          switch (symbol) {
            case "NOPE" -> msg.fail(404, "unknown symbol NOPE");
            case "REJECT" -> msg.fail(400, "history says no");
            case "GARBAGE" -> msg.reply(new JsonObject().put("nothing", true));
            default -> {
              Timeframe tf = Timeframe.parse(req.getString("tf"));
              JsonArray candles = new JsonArray();
              for (int i = 0; i < 3; i++) {
                candles.add(
                    CandleCodec.toJson(
                        new Candle(symbol, tf, T0 + i * 60_000L, 1, 2, 0.5, 1.5, 1, 1, true)));
              }
              msg.reply(
                  new JsonObject()
                      .put("symbol", symbol)
                      .put("tf", tf.label())
                      .put("candles", candles));
            }
          }
        });
  }

  /** Registers a responder and waits until it is registered. */
  MessageConsumer<?> respond(String address, Consumer<Message<Object>> handler) {
    MessageConsumer<Object> c = vertx.eventBus().consumer(address, handler::accept);
    try {
      Await.await(c.completion());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return c;
  }

  void publish(Candle c) {
    vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
  }

  WsProbe connect(String path) throws Exception {
    return open(new WebSocketConnectOptions().setURI(path));
  }

  static Candle candle(long openTime, double close) {
    return new Candle("BTCUSD", Timeframe.S1, openTime, close, close, close, close, 1, 1, false);
  }
}
