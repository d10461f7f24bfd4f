package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** A gateway on a loopback port with a {@link FakeAggregator}; real sockets, real event bus. */
abstract class GatewayTestBase {
  static final long T0 = 1_700_000_000_000L;

  Vertx vertx;
  GatewayVerticle gateway;
  String deploymentId;
  FakeAggregator agg;
  int port;
  WebClient http;
  WebSocketClient wsClient;
  CandlecastConfig config;

  void start(Vertx vertx, UnaryOperator<CandlecastConfig> tweak) throws Exception {
    start(vertx, tweak, 1);
  }

  /**
   * With {@code instances} > 1 the gateway is deployed as the nodes deploy it: several event loops,
   * one port.
   */
  void start(Vertx vertx, UnaryOperator<CandlecastConfig> tweak, int instances) throws Exception {
    this.vertx = vertx;
    config = config(tweak);
    agg = new FakeAggregator(vertx, "BTCUSD", "ETHUSD");
    deploy(instances);
  }

  /**
   * Without the {@link FakeAggregator}: the test stands in for the other tiers on the event bus
   * itself.
   */
  void startAlone(Vertx vertx, UnaryOperator<CandlecastConfig> tweak) throws Exception {
    this.vertx = vertx;
    config = config(tweak);
    deploy(1);
  }

  private static CandlecastConfig config(UnaryOperator<CandlecastConfig> tweak) {
    return tweak.apply(
        CandlecastConfig.defaults()
            .with(Settings.HTTP_HOST, "127.0.0.1")
            .with(Settings.HTTP_PORT, 0)
            .with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 1_000L));
  }

  private void deploy(int instances) throws Exception {
    if (instances > 1) {
      GatewayDeployment d =
          Await.await(
              GatewayDeployment.deploy(
                  vertx, config.with(Settings.GATEWAY_INSTANCES, instances), g -> g));
      gateway = d.first();
    } else {
      gateway = new GatewayVerticle(config);
      deploymentId = Await.await(vertx.deployVerticle(gateway));
    }
    port = gateway.actualPort();
    http = WebClient.create(vertx);
    wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
  }

  @AfterEach
  void closeClients() throws Exception {
    if (wsClient != null) {
      Await.await(wsClient.close());
    }
    if (http != null) {
      http.close();
    }
  }

  /** Undeploys the gateway (every client is cut off) and deploys a new one on the same port. */
  void restartGateway() throws Exception {
    Await.await(vertx.undeploy(deploymentId));
    gateway = new GatewayVerticle(config.with(Settings.HTTP_PORT, port));
    deploymentId = Await.await(vertx.deployVerticle(gateway));
  }

  WsProbe connect() throws Exception {
    return WsProbe.connect(wsClient, port);
  }

  WsProbe open(WebSocketConnectOptions o) throws Exception {
    return WsProbe.open(wsClient, o.setHost("127.0.0.1").setPort(port));
  }

  HttpResponse<Buffer> get(String uri) throws Exception {
    return Await.await(http.get(port, "127.0.0.1", uri).send());
  }

  static Candle candle(String symbol, Timeframe tf, long t, long trades, boolean closed) {
    double p = 100 + (t / tf.millis()) % 50 + trades * 0.01;
    return new Candle(symbol, tf, t, p, p + 1, p - 1, p + 0.5, trades * 0.5, trades, closed);
  }

  static void assertCode(io.vertx.core.json.JsonObject e, String code) {
    assertThat(e.getString("type")).as(e.encode()).isEqualTo("error");
    assertThat(e.getString("code")).as(e.encode()).isEqualTo(code);
    assertThat(e.getString("message")).isNotBlank();
  }
}
