package candlecast.aggregator.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Addresses;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Portfolios against a real broker: a write through one instance is read by another (each with its
 * own store and bus), records survive a restart of the stores, and owners never see each other's.
 */
class PortfolioStoreIT {
  private static final Set<String> SYMBOLS = Set.of("BTCUSD", "ETHUSD");

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<PortfolioStore> stores = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (PortfolioStore s : stores) {
      s.closeBlocking();
    }
    for (Vertx v : vertxes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  private Vertx instance(String bootstrap) throws Exception {
    Vertx v = Vertx.vertx();
    vertxes.add(v);
    Future<Void> started =
        v.getOrCreateContext()
            .<Void>executeBlocking(() -> null)
            .compose(
                x -> {
                  PortfolioStore s = new PortfolioStore(v, bootstrap);
                  stores.add(s);
                  PortfolioService svc =
                      new PortfolioService(
                          v, s, () -> Future.succeededFuture(SYMBOLS), () -> 1_000L);
                  return s.start().compose(y -> svc.register());
                });
    started.await(60, TimeUnit.SECONDS);
    return v;
  }

  private static JsonObject ask(Vertx v, JsonObject body) throws Exception {
    return v.eventBus()
        .<JsonObject>request(Addresses.PORTFOLIO, body)
        .map(m -> m.body())
        .await(30, TimeUnit.SECONDS);
  }

  private static JsonObject pos(String symbol, double q, double c) {
    return new JsonObject().put("symbol", symbol).put("quantity", q).put("avgCost", c);
  }

  @Test
  void writesOnOneInstanceAreReadOnAnotherAndSurviveARestart() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 1);
    Vertx a = instance(bootstrap);
    Vertx b = instance(bootstrap);

    JsonObject empty = ask(b, new JsonObject().put("op", "get").put("owner", "alice"));
    assertThat(empty.getJsonArray("positions")).isEmpty();
    assertThat(empty.getValue("updatedAt")).isNull();

    JsonArray positions =
        new JsonArray().add(pos("btc-usd", 0.5, 42000)).add(pos("ETHUSD", -2, 3000));
    JsonObject saved =
        ask(a, new JsonObject().put("op", "put").put("owner", "alice").put("positions", positions));
    JsonArray canonical =
        new JsonArray().add(pos("BTCUSD", 0.5, 42000)).add(pos("ETHUSD", -2, 3000));
    assertThat(saved)
        .isEqualTo(
            new JsonObject()
                .put("owner", "alice")
                .put("positions", canonical)
                .put("updatedAt", 1000L));
    // read-your-writes on the other instance: asked right after the ack
    assertThat(ask(b, new JsonObject().put("op", "get").put("owner", "alice"))).isEqualTo(saved);

    JsonObject upserted =
        ask(
            b,
            new JsonObject()
                .put("op", "upsert")
                .put("owner", "alice")
                .put("position", pos("BTCUSD", 1, 40000)));
    assertThat(upserted.getJsonArray("positions"))
        .containsExactly(pos("BTCUSD", 1, 40000), pos("ETHUSD", -2, 3000));
    JsonObject removed =
        ask(a, new JsonObject().put("op", "remove").put("owner", "alice").put("symbol", "ETH-USD"));
    assertThat(removed.getJsonArray("positions")).containsExactly(pos("BTCUSD", 1, 40000));

    // owner isolation
    ask(
        b,
        new JsonObject()
            .put("op", "put")
            .put("owner", "bob")
            .put("positions", new JsonArray().add(pos("ETHUSD", 7, 1))));
    assertThat(ask(a, new JsonObject().put("op", "get").put("owner", "alice"))).isEqualTo(removed);
    assertThat(
            ask(a, new JsonObject().put("op", "get").put("owner", "bob")).getJsonArray("positions"))
        .containsExactly(pos("ETHUSD", 7, 1));
    assertThatThrownBy(
            () ->
                ask(
                    a,
                    new JsonObject()
                        .put("op", "remove")
                        .put("owner", "bob")
                        .put("symbol", "BTCUSD")))
        .isInstanceOf(ReplyException.class)
        .hasMessage("not_found: no position in BTCUSD");

    // durable: fresh stores read the topic
    for (PortfolioStore s : stores) {
      s.closeBlocking();
    }
    stores.clear();
    for (Vertx v : vertxes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    vertxes.clear();
    Vertx c = instance(bootstrap);
    assertThat(ask(c, new JsonObject().put("op", "get").put("owner", "alice"))).isEqualTo(removed);
    assertThat(
            ask(c, new JsonObject().put("op", "get").put("owner", "bob")).getJsonArray("positions"))
        .containsExactly(pos("ETHUSD", 7, 1));
  }

  @Test
  void refusesBadRequests() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 1);
    Vertx a = instance(bootstrap);
    fails(a, new JsonObject().put("op", "get").put("owner", "a b"), 400, "bad_owner: ");
    fails(a, new JsonObject().put("op", "get"), 400, "bad_owner: ");
    fails(a, new JsonObject().put("op", "drop").put("owner", "x"), 400, "bad_request: ");
    fails(
        a,
        new JsonObject().put("op", "put").put("owner", "x").put("positions", "no"),
        400,
        "bad_position: positions: ");
    fails(
        a,
        new JsonObject()
            .put("op", "put")
            .put("owner", "x")
            .put("positions", new JsonArray().add(pos("XRPUSD", 1, 1))),
        404,
        "unknown_symbol: XRPUSD");
    fails(
        a,
        new JsonObject().put("op", "upsert").put("owner", "x").put("position", pos("BTCUSD", 0, 1)),
        400,
        "bad_position: position.quantity: ");
    fails(
        a,
        new JsonObject().put("op", "remove").put("owner", "x").put("symbol", "?"),
        400,
        "bad_position: symbol: ");
    fails(
        a,
        new JsonObject().put("op", "remove").put("owner", "x").put("symbol", "BTCUSD"),
        404,
        "not_found: ");
    assertThat(
            ask(a, new JsonObject().put("op", "get").put("owner", "x")).getJsonArray("positions"))
        .isEmpty();
  }

  private static void fails(Vertx v, JsonObject body, int code, String prefix) {
    assertThatThrownBy(() -> ask(v, body))
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(code))
        .hasMessageStartingWith(prefix);
  }
}
