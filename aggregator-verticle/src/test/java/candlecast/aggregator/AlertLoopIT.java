package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Side;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert service with the fold loop's real evaluation (no stand-in): an alert created on {@code
 * candlecast.alerts} fires on the trade that crosses its level; the fire is listed by {@code fires}
 * and {@code get}, POSTed (signed) to its webhook on loopback, logged in the delivery log; the
 * delete removes it.
 */
class AlertLoopIT {
  private static final long T0 = 1_699_999_980_000L;

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  private JsonObject ask(JsonObject body) throws Exception {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.ALERTS, body)
        .await(30, TimeUnit.SECONDS)
        .body();
  }

  private static byte[] trade(long id, long t, double price) {
    return TradeCodec.encode(new Trade("BTCUSD", id, T0 + t, price, 0.25, Side.BUY));
  }

  @Test
  void anAlertFiresOnTheCrossingTradeAndItsWebhookGetsTheSignedEvent() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    KafkaFixture.produce(bootstrap, List.of(trade(1, 0, 100), trade(2, 1_000, 110)), 0);
    vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            new AggregatorVerticle(
                CandlecastConfig.defaults().with(Settings.AGGREGATOR_GRACE_MS, 0L), bootstrap))
        .await(60, TimeUnit.SECONDS);
    List<JsonObject> hits = new CopyOnWriteArrayList<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              hits.add(
                                  new JsonObject()
                                      .put("ts", req.getHeader("X-Candlecast-Timestamp"))
                                      .put("sig", req.getHeader("X-Candlecast-Signature"))
                                      .put("fire", req.getHeader("X-Candlecast-Fire"))
                                      .put("body", b.toString()));
                              req.response().setStatusCode(200).end();
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    JsonObject def =
        new JsonObject()
            .put("symbol", "BTCUSD")
            .put("condition", new JsonObject().put("kind", "price_above").put("level", 150.0))
            .put("webhook", "http://127.0.0.1:" + server.actualPort() + "/hook")
            .put("webhookSecret", "l00p");
    JsonObject create = new JsonObject().put("op", "create").put("owner", "ivy").put("alert", def);
    JsonObject rec =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> ask(create), r -> r.getString("id") != null);
    String id = rec.getString("id");
    assertThat(rec.getString("state")).isEqualTo("armed");
    assertThat(rec.getValue("webhookSecret")).isEqualTo(true);

    KafkaFixture.produce(
        bootstrap, List.of(trade(3, 2_000, 149.9), trade(4, 3_000, 151), trade(5, 4_000, 160)), 0);
    JsonObject fires = new JsonObject().put("op", "fires").put("owner", "ivy");
    JsonArray got =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ask(fires).getJsonArray("fires"), a -> !a.isEmpty());
    assertThat(got).hasSize(1);
    JsonObject fire = got.getJsonObject(0);
    assertThat(fire.getString("alert")).isEqualTo(id);
    assertThat(fire.getJsonObject("trade").getLong("id")).as("the crossing trade").isEqualTo(4);
    assertThat(fire.getString("fire"))
        .isEqualTo(id + "|t:" + fire.getJsonObject("trade").getLong("offset"));
    JsonObject detail = ask(new JsonObject().put("op", "get").put("owner", "ivy").put("id", id));
    assertThat(detail.getJsonObject("alert").getString("state")).isEqualTo("fired");
    assertThat(detail.getJsonArray("fires")).isEqualTo(got);

    await().atMost(Duration.ofSeconds(10)).until(() -> hits.size() == 1);
    JsonObject hit = hits.get(0);
    assertThat(new JsonObject(hit.getString("body"))).isEqualTo(fire);
    assertThat(hit.getString("fire")).isEqualTo(fire.getString("fire"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("l00p".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(
                mac.doFinal(
                    (hit.getString("ts") + "." + hit.getString("body"))
                        .getBytes(StandardCharsets.UTF_8)));
    assertThat(hit.getString("sig")).isEqualTo("sha256=" + expected);
    JsonObject deliveries =
        new JsonObject().put("op", "deliveries").put("owner", "ivy").put("id", id);
    JsonArray log =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> ask(deliveries).getJsonArray("deliveries"), a -> !a.isEmpty());
    assertThat(log.getJsonObject(0).getInteger("status")).isEqualTo(200);
    assertThat(log.getJsonObject(0).getBoolean("final")).isTrue();

    JsonObject del = new JsonObject().put("op", "delete").put("owner", "ivy").put("id", id);
    assertThat(ask(del)).isEqualTo(new JsonObject().put("id", id).put("deleted", true));
    try {
      ask(new JsonObject().put("op", "get").put("owner", "ivy").put("id", id));
      throw new AssertionError("deleted alert still there");
    } catch (ReplyException e) {
      assertThat(e.failureCode()).isEqualTo(404);
    }
    server.close().await(10, TimeUnit.SECONDS);
  }
}
