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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert service over the real stack: embedded Kafka, two aggregator instances in one Vert.x
 * (each owning one of two trades partitions), their alert directories and the event bus. The
 * owner's side is {@link KafkaAlertIntake} (writes the real topics); webhooks go to a real Vert.x
 * HTTP server on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertServiceIT {
  static final long T0 = 1_699_999_980_000L; // minute-aligned
  static final int PARTITIONS = 2;
  static final int MAX_PER_OWNER = 5;

  @TempDir static Path dir;
  EmbeddedKafka kafka;
  Vertx vertx;
  final AggregatorVerticle[] aggs = new AggregatorVerticle[2];
  final KafkaAlertIntake[] intakes = new KafkaAlertIntake[2];

  /** Two symbols in different partitions: symbols[i] is in partition i. */
  final String[] symbols = new String[2];

  final List<Trade> trades = new ArrayList<>();

  @BeforeAll
  void startStack() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, PARTITIONS);
    for (String s : List.of("BTCUSD", "ETHUSD", "SOLUSD", "XRPUSD", "ADAUSD", "DOGEUSD")) {
      int p = DeepStore.partitionOf(s, PARTITIONS);
      if (symbols[p] == null) {
        symbols[p] = s;
      }
    }
    List<byte[]> log = new ArrayList<>();
    Random rnd = new Random(17);
    long id = 0;
    for (String s : symbols) {
      for (int m = 0; m < 10; m++) {
        if (m == 7) {
          continue; // a quiet minute: an implied flat window
        }
        for (int k = 0; k < 3; k++) {
          Trade t =
              new Trade(
                  s,
                  ++id,
                  T0 + m * 60_000L + k * 15_000L,
                  100 + rnd.nextInt(2_000) / 100.0,
                  0.5 + k,
                  Side.BUY);
          trades.add(t);
          log.add(TradeCodec.encode(t));
        }
      }
      log.add(TradeCodec.encodeWatermark(s, T0 + 10 * 60_000L));
    }
    KafkaFixture.produce(bootstrap, log, 0);
    vertx = Vertx.vertx();
    CandlecastConfig cfg =
        CandlecastConfig.defaults()
            .with(Settings.AGGREGATOR_GRACE_MS, 0L)
            .with(Settings.AGGREGATOR_ALERTS_MAX_PER_OWNER, MAX_PER_OWNER)
            .with(Settings.AGGREGATOR_WEBHOOK_BACKOFF_MS, 150L)
            .with(Settings.AGGREGATOR_WEBHOOK_TIMEOUT_MS, 2_000L);
    for (int i = 0; i < 2; i++) {
      aggs[i] = new AggregatorVerticle(cfg, bootstrap);
      vertx.deployVerticle(aggs[i]).await(60, TimeUnit.SECONDS);
    }
    await() // the group split the partitions, and each symbol's history is closed up to minute 9
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> owner(symbols[0]) != owner(symbols[1]) && closedUpTo(9));
    List<AggregatorVerticle> order = List.of(owner(symbols[0]), owner(symbols[1]));
    for (int i = 0; i < 2; i++) { // aggs[i] owns symbols[i]
      aggs[i] = order.get(i);
      intakes[i] = new KafkaAlertIntake(vertx, aggs[i].verticleContext(), bootstrap, PARTITIONS);
      AggregatorVerticle a = aggs[i];
      KafkaAlertIntake in = intakes[i];
      on(
          a,
          () -> {
            a.useAlertIntake(in);
            a.webhooks().jitter(() -> 1.0); // the longest waits: deterministic back-off
            return Future.succeededFuture(new JsonObject());
          });
    }
  }

  @AfterAll
  void stopStack() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    for (KafkaAlertIntake in : intakes) {
      if (in != null) {
        in.close();
      }
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  /** The instance owning the symbol (its trades partition is held there), else null. */
  AggregatorVerticle owner(String symbol) throws Exception {
    int p = DeepStore.partitionOf(symbol, PARTITIONS);
    for (AggregatorVerticle a : List.of(aggs[0], aggs[1])) {
      JsonObject h = on(a, () -> Future.succeededFuture(a.health()));
      if (h.getJsonArray("partitions").equals(new JsonArray().add(p))) {
        return a;
      }
    }
    return null;
  }

  private boolean closedUpTo(int minute) {
    for (String s : symbols) {
      JsonObject q = new JsonObject().put("symbol", s).put("tf", "1m").put("limit", 1);
      JsonObject h = vertx.eventBus().<JsonObject>request(Addresses.HISTORY, q).await().body();
      JsonObject last = h.getJsonArray("candles").getJsonObject(0);
      if (last.getLong("t") < T0 + minute * 60_000L) {
        return false;
      }
    }
    return true;
  }

  /** Runs on the instance's context and waits for the outcome. */
  static JsonObject on(AggregatorVerticle a, Supplier<Future<JsonObject>> call) throws Exception {
    CompletableFuture<JsonObject> cf = new CompletableFuture<>();
    a.verticleContext()
        .runOnContext(v -> call.get().onSuccess(cf::complete).onFailure(cf::completeExceptionally));
    try {
      return cf.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** Asks one instance's alert service directly. */
  static JsonObject ask(AggregatorVerticle a, JsonObject body) throws Exception {
    return on(a, () -> a.alerts().answer(body));
  }

  /** The failure of a request to one instance. */
  static ReplyException failure(AggregatorVerticle a, JsonObject body) {
    try {
      JsonObject ok = ask(a, body);
      throw new AssertionError("expected a failure, got " + ok);
    } catch (ReplyException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonObject create(String owner, JsonObject def) {
    return new JsonObject().put("op", "create").put("owner", owner).put("alert", def);
  }

  static JsonObject op(String op, String owner) {
    return new JsonObject().put("op", op).put("owner", owner);
  }

  static JsonObject priceAbove(String symbol, double level) {
    return new JsonObject()
        .put("symbol", symbol)
        .put("condition", new JsonObject().put("kind", "price_above").put("level", level));
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void aCreateIsReadByTheOtherInstanceAtOnceAndSeededFromTheOwnersHistory() throws Exception {
    for (int i = 0; i < 2; i++) {
      AggregatorVerticle notOwner = aggs[1 - i]; // forwards to the owner
      JsonObject def =
          new JsonObject()
              .put("symbol", symbols[i].toLowerCase(java.util.Locale.ROOT))
              .put(
                  "condition",
                  new JsonObject().put("kind", "volume_spike").put("tf", "1m").put("n", 5))
              .put("webhook", "https://example.com/hook")
              .put("webhookSecret", "s3cret")
              .put("note", "n" + i);
      JsonObject rec = ask(notOwner, create("alice", def));
      assertThat(rec.getString("id")).matches("al-[0-9a-z]{10}");
      assertThat(rec.getString("owner")).isEqualTo("alice");
      assertThat(rec.getString("symbol")).isEqualTo(symbols[i]);
      assertThat(rec.getInteger("partition")).isEqualTo(i);
      assertThat(rec.getString("state")).isEqualTo("armed");
      assertThat(rec.getValue("webhookSecret")).isEqualTo(true);
      assertThat(rec.getJsonArray("seed")).isEqualTo(seedOracle(symbols[i], 5, 9));

      // read-your-writes: the other instance's directory (the owner's here) answers at once
      String id = rec.getString("id");
      JsonObject got = ask(aggs[i], op("get", "alice").put("id", id));
      assertThat(got.getJsonObject("alert")).isEqualTo(rec);
      assertThat(got.getJsonArray("fires")).isEmpty();
      JsonObject listed = ask(aggs[i], op("list", "alice").put("symbol", symbols[i]));
      assertThat(listed.getJsonArray("alerts").getJsonObject(0)).isEqualTo(rec);
      assertThat(ask(notOwner, op("list", "alice").put("state", "armed")).getJsonArray("alerts"))
          .contains(rec);
    }
  }

  /**
   * Windows [from, to] of 1m from the produced trades: [openTime,o,h,l,c,v], flats at the close.
   */
  private JsonArray seedOracle(String symbol, int from, int to) {
    JsonArray out = new JsonArray();
    double close = Double.NaN;
    for (int m = 0; m <= to; m++) {
      long t0 = T0 + m * 60_000L;
      List<Trade> in =
          trades.stream()
              .filter(t -> t.symbol().equals(symbol) && t.time() >= t0 && t.time() < t0 + 60_000L)
              .toList();
      double o = close;
      double h = close;
      double l = close;
      double v = 0;
      if (!in.isEmpty()) {
        o = in.get(0).price();
        h = in.stream().mapToDouble(Trade::price).max().orElseThrow();
        l = in.stream().mapToDouble(Trade::price).min().orElseThrow();
        close = in.get(in.size() - 1).price();
        for (Trade t : in) {
          v += t.amount();
        }
      }
      if (m >= from) {
        out.add(new JsonArray().add(t0).add(o).add(h).add(l).add(close).add(v));
      }
    }
    return out;
  }

  @Test
  void anotherOwnerCanNeitherSeeNorDeleteAnAlert() throws Exception {
    JsonObject rec = ask(aggs[0], create("erin", priceAbove(symbols[1], 1e6)));
    String id = rec.getString("id");
    for (AggregatorVerticle a : aggs) {
      for (String o : List.of("get", "delete", "deliveries")) {
        ReplyException e = failure(a, op(o, "bob").put("id", id));
        assertThat(e.failureCode()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("not_found: alert " + id);
      }
      assertThat(ask(a, op("list", "bob")).getJsonArray("alerts")).isEmpty();
      assertThat(ask(a, op("fires", "bob")).getJsonArray("fires")).isEmpty();
    }
    assertThat(ask(aggs[1], op("get", "erin").put("id", id)).getJsonObject("alert")).isEqualTo(rec);
    JsonObject del = ask(aggs[0], op("delete", "erin").put("id", id));
    assertThat(del).isEqualTo(new JsonObject().put("id", id).put("deleted", true));
    for (AggregatorVerticle a : aggs) {
      assertThat(failure(a, op("get", "erin").put("id", id)).failureCode()).isEqualTo(404);
      assertThat(ask(a, op("list", "erin")).getJsonArray("alerts")).isEmpty();
    }
  }

  @Test
  void firesAreListedForCatchUpAndInGet() throws Exception {
    JsonObject rec = ask(aggs[1], create("dave", priceAbove(symbols[0], 1e6)));
    String id = rec.getString("id");
    List<JsonObject> fired = new ArrayList<>();
    long base = System.currentTimeMillis();
    for (int k = 0; k < 3; k++) {
      fired.add(intakes[0].fire(id, 100 + k, base + k).await(10, TimeUnit.SECONDS));
    }
    JsonObject all = ask(aggs[1], op("fires", "dave").put("since", 0));
    assertThat(all.getJsonArray("fires").getList()).isEqualTo(fired);
    assertThat(all.getBoolean("more")).isFalse();
    JsonObject after = ask(aggs[1], op("fires", "dave").put("since", base + 1));
    assertThat(after.getJsonArray("fires").getList()).containsExactly(fired.get(2));
    JsonObject one = ask(aggs[0], op("fires", "dave").put("since", 0).put("limit", 1));
    assertThat(one.getJsonArray("fires").getList()).containsExactly(fired.get(0));
    assertThat(one.getBoolean("more")).isTrue();
    JsonObject got = ask(aggs[1], op("get", "dave").put("id", id));
    assertThat(got.getJsonArray("fires").getList()).isEqualTo(fired);
    assertThat(got.getJsonObject("alert").getInteger("fireCount")).isEqualTo(3);
  }

  @Test
  void theCapPerOwnerIsEnforced() throws Exception {
    for (int k = 0; k < MAX_PER_OWNER; k++) {
      ask(aggs[k % 2], create("carol", priceAbove(symbols[k % 2], 1e6 + k)));
    }
    ReplyException e = failure(aggs[1], create("carol", priceAbove(symbols[0], 2e6)));
    assertThat(e.failureCode()).isEqualTo(429);
    assertThat(e.getMessage()).isEqualTo("too_many_alerts: owner carol has 5 alerts (max 5)");
  }

  @Test
  void anOwnerThatCannotTakeTheCreateAnswersUnavailable() throws Exception {
    intakes[0].down = true;
    try {
      ReplyException e = failure(aggs[1], create("frank", priceAbove(symbols[0], 1e6)));
      assertThat(e.failureCode()).isEqualTo(503);
      assertThat(e.getMessage()).startsWith("alerts_unavailable: ");
    } finally {
      intakes[0].down = false;
    }
    assertThat(ask(aggs[1], op("list", "frank")).getJsonArray("alerts")).isEmpty();
  }

  @Test
  void everyMalformedRequestGetsItsErrorCode() throws Exception {
    String far = "al-zzzzzzzzzz";
    Object[][] cases = {
      {"a string", 400, "bad_alert: request"},
      {new JsonObject(), 400, "bad_alert: op"},
      {op("nope", "alice"), 400, "bad_alert: op"},
      {new JsonObject().put("op", "list"), 400, "bad_owner: "},
      {op("list", "a b"), 400, "bad_owner: "},
      {op("list", "a".repeat(65)), 400, "bad_owner: "},
      {op("list", ""), 400, "bad_owner: "},
      {op("create", "alice"), 400, "bad_alert: alert: missing"},
      {op("create", "alice").put("alert", "x"), 400, "bad_alert: alert: "},
      {
        create(
            "alice",
            new JsonObject()
                .put("symbol", symbols[0])
                .put("condition", new JsonObject().put("kind", "nope"))),
        400,
        "bad_alert: condition.kind"
      },
      {create("alice", priceAbove(symbols[0], -1)), 400, "bad_alert: condition.level"},
      {create("alice", priceAbove(symbols[0], 1).put("expiresAt", 1)), 400, "bad_alert: expiresAt"},
      {create("alice", priceAbove(symbols[0], 1).put("mode", "twice")), 400, "bad_alert: mode"},
      {
        create("alice", priceAbove(symbols[0], 1).put("webhook", "ftp://x")),
        400,
        "bad_alert: webhook"
      },
      {create("alice", priceAbove("ZZZZZZ", 1)), 404, "unknown_symbol: ZZZZZZ"},
      {op("delete", "alice"), 400, "bad_alert: id"},
      {op("delete", "alice").put("id", "al-ABCDEFGHIJ"), 400, "bad_alert: id"},
      {op("delete", "alice").put("id", far), 404, "not_found: alert " + far},
      {op("get", "alice").put("id", 7), 400, "bad_alert: id"},
      {op("get", "alice").put("id", far), 404, "not_found: alert " + far},
      {op("deliveries", "alice"), 400, "bad_alert: id"},
      {op("deliveries", "alice").put("id", far), 404, "not_found: alert " + far},
      {op("list", "alice").put("symbol", "!!"), 400, "bad_alert: symbol"},
      {op("list", "alice").put("state", "gone"), 400, "bad_alert: state"},
      {op("fires", "alice").put("since", -1), 400, "bad_alert: since"},
      {op("fires", "alice").put("since", "x"), 400, "bad_alert: since"},
      {op("fires", "alice").put("limit", 0), 400, "bad_alert: limit"},
      {op("fires", "alice").put("limit", 501), 400, "bad_alert: limit"},
      {op("fires", "alice").put("limit", 1.5), 400, "bad_alert: limit"},
    };
    for (Object[] c : cases) {
      ReplyException e = busFailure(c[0]);
      assertThat(e.failureCode()).as("status of %s", c[0]).isEqualTo(c[1]);
      assertThat(e.getMessage()).as("text of %s", c[0]).startsWith((String) c[2]);
    }
  }

  @Test
  void aWebhookIsRetriedWithGrowingWaitsSignedAndLogged() throws Exception {
    List<JsonObject> hits = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.http.HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              JsonObject hit =
                                  new JsonObject()
                                      .put("at", System.nanoTime() / 1_000_000)
                                      .put("body", b.toString())
                                      .put("type", req.getHeader("Content-Type"))
                                      .put("fire", req.getHeader("X-Candlecast-Fire"))
                                      .put("ts", req.getHeader("X-Candlecast-Timestamp"))
                                      .put("sig", req.getHeader("X-Candlecast-Signature"));
                              hits.add(hit);
                              req.response().setStatusCode(hits.size() <= 2 ? 500 : 200).end();
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    String url = "http://127.0.0.1:" + server.actualPort() + "/hook";
    try {
      JsonObject def = priceAbove(symbols[1], 1e6).put("webhook", url).put("webhookSecret", "k3y");
      String id = ask(aggs[0], create("gina", def)).getString("id");
      JsonObject fire =
          intakes[1].fire(id, 500, System.currentTimeMillis()).await(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(20)).until(() -> hits.size() >= 3);
      long gap1 = hits.get(1).getLong("at") - hits.get(0).getLong("at");
      long gap2 = hits.get(2).getLong("at") - hits.get(1).getLong("at");
      assertThat(gap1).as("first back-off (150 ms)").isGreaterThanOrEqualTo(150);
      assertThat(gap2)
          .as("second back-off (300 ms)")
          .isGreaterThanOrEqualTo(300)
          .isGreaterThan(gap1);
      for (JsonObject hit : hits) {
        assertThat(new JsonObject(hit.getString("body"))).isEqualTo(fire);
        assertThat(hit.getString("type")).isEqualTo("application/json");
        assertThat(hit.getString("fire")).isEqualTo(fire.getString("fire"));
        assertThat(hit.getString("sig"))
            .isEqualTo(
                "sha256=" + hmacHex("k3y", hit.getString("ts") + "." + hit.getString("body")));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  ask(aggs[0], op("deliveries", "gina").put("id", id))
                          .getJsonArray("deliveries")
                          .size()
                      == 3);
      JsonArray log =
          ask(aggs[0], op("deliveries", "gina").put("id", id)).getJsonArray("deliveries");
      for (int k = 0; k < 3; k++) {
        JsonObject d = log.getJsonObject(k);
        assertThat(d.getString("fire")).isEqualTo(fire.getString("fire"));
        assertThat(d.getString("alert")).isEqualTo(id);
        assertThat(d.getString("owner")).isEqualTo("gina");
        assertThat(d.getInteger("attempt")).isEqualTo(k + 1);
        assertThat(d.getInteger("status")).isEqualTo(k < 2 ? 500 : 200);
        assertThat(d.getString("error")).isEqualTo(k < 2 ? "HTTP 500" : null);
        assertThat(d.getBoolean("final")).isEqualTo(k == 2);
      }
      assertThat(failure(aggs[1], op("deliveries", "bob").put("id", id)).failureCode())
          .isEqualTo(404);

      // without a secret: delivered once (the server now answers 200), unsigned
      String plain =
          ask(aggs[1], create("gina", priceAbove(symbols[1], 2e6).put("webhook", url)))
              .getString("id");
      intakes[1].fire(plain, 501, System.currentTimeMillis()).await(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> hits.size() == 4);
      assertThat(hits.get(3).containsKey("sig") && hits.get(3).getValue("sig") != null).isFalse();
      assertThat(hits.get(3).getString("fire")).isEqualTo(plain + "|t:501");
    } finally {
      server.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNewOwnerResumesTheWebhookDeliveriesItsPredecessorDidNotFinish() throws Exception {
    List<JsonObject> hits = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.http.HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              hits.add(
                                  new JsonObject()
                                      .put("fire", req.getHeader("X-Candlecast-Fire"))
                                      .put("ts", req.getHeader("X-Candlecast-Timestamp"))
                                      .put("sig", req.getHeader("X-Candlecast-Signature"))
                                      .put("body", b.toString()));
                              req.response().setStatusCode(204).end();
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    try {
      String url = "http://127.0.0.1:" + server.actualPort() + "/hook";
      JsonObject def = priceAbove(symbols[1], 1e6).put("webhook", url).put("webhookSecret", "r3s");
      String id = ask(aggs[0], create("hank", def)).getString("id");
      KafkaAlertIntake in = intakes[1];
      long now = System.currentTimeMillis();
      // the previous owner: fire a failed once, b was never attempted, c was delivered
      JsonObject a = in.fire(id, 700, now - 3_000, false).await(10, TimeUnit.SECONDS);
      in.logDelivery(a, 1, 500, false).await(10, TimeUnit.SECONDS);
      JsonObject b = in.fire(id, 701, now - 2_000, false).await(10, TimeUnit.SECONDS);
      JsonObject c = in.fire(id, 702, now - 1_000, false).await(10, TimeUnit.SECONDS);
      in.logDelivery(c, 1, 200, true).await(10, TimeUnit.SECONDS);
      // recorded after the takeover: the new owner's own listener's business, not resumed
      in.fire(id, 703, now + 1, false).await(10, TimeUnit.SECONDS);

      AggregatorVerticle owner = aggs[1];
      JsonObject resumed =
          on(
              owner,
              () ->
                  owner
                      .alerts()
                      .resumeWebhooks(1, now, owner.webhooks())
                      .map(ids -> new JsonObject().put("ids", new JsonArray(ids))));
      assertThat(resumed.getJsonArray("ids").getList())
          .containsExactlyInAnyOrder(a.getString("fire"), b.getString("fire"));
      await().atMost(Duration.ofSeconds(10)).until(() -> deliveries("hank", id).size() == 4);
      JsonArray log = deliveries("hank", id);
      List<String> got = new ArrayList<>();
      for (Object o : log) {
        JsonObject d = (JsonObject) o;
        got.add(d.getString("fire") + "#" + d.getInteger("attempt") + "#" + d.getBoolean("final"));
      }
      assertThat(got)
          .containsExactlyInAnyOrder(
              a.getString("fire") + "#1#false",
              c.getString("fire") + "#1#true",
              a.getString("fire") + "#2#true",
              b.getString("fire") + "#1#true");
      assertThat(hits).hasSize(2);
      for (JsonObject hit : hits) {
        assertThat(hit.getString("sig"))
            .isEqualTo(
                "sha256=" + hmacHex("r3s", hit.getString("ts") + "." + hit.getString("body")));
      }
      assertThat(hits.stream().map(h -> h.getString("fire")).toList())
          .containsExactlyInAnyOrder(a.getString("fire"), b.getString("fire"));
    } finally {
      server.close().await(10, TimeUnit.SECONDS);
    }
  }

  private JsonArray deliveries(String owner, String id) throws Exception {
    return ask(aggs[0], op("deliveries", owner).put("id", id)).getJsonArray("deliveries");
  }

  /** HMAC-SHA256 with javax.crypto, independently of the code under test. */
  private static String hmacHex(String key, String text) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder b = new StringBuilder();
    for (byte x : mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString();
  }

  private ReplyException busFailure(Object body) {
    try {
      Object ok =
          vertx.eventBus().request(Addresses.ALERTS, body).await(30, TimeUnit.SECONDS).body();
      throw new AssertionError("expected a failure for " + body + ", got " + ok);
    } catch (ReplyException e) {
      return e;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
