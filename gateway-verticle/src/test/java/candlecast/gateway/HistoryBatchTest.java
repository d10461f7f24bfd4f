package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** History batches over the JSON protocol (/ws) and the bridge (/eventbus), with progress. */
@ExtendWith(VertxExtension.class)
class HistoryBatchTest extends GatewayTestBase {
  private final List<Candle> btc = new ArrayList<>();
  private final List<Candle> eth = new ArrayList<>();

  private void seed() throws Exception {
    for (int i = 0; i < 6; i++) {
      Candle b = candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, 1 + i, true);
      Candle e = candle("ETHUSD", Timeframe.M1, T0 + i * 60_000L, 2 + i, true);
      btc.add(b);
      eth.add(e);
      agg.publish(b);
      agg.publish(e);
    }
    agg.sync();
  }

  private static JsonArray elements(List<Candle> cs) {
    JsonArray a = new JsonArray();
    cs.forEach(c -> a.add(Frames.snapshotElement(c)));
    return a;
  }

  @Test
  void progressResultsAndErrorsComeInSymbolOrder(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    seed();
    WsProbe ws = connect();
    ws.send(
        new JsonObject()
            .put("type", "history_batch")
            .put("id", "b1")
            .put("symbols", new JsonArray().add("BTCUSD").add("NOPE").add("BTC_USD").add("eth-usd"))
            .put("tf", "1m")
            .put("limit", 3)
            .encode());
    List<JsonObject> got = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      got.add(ws.next());
    }
    assertThat(got)
        .extracting(j -> j.getString("type"))
        .containsExactly(
            "batch_progress",
            "history",
            "batch_progress",
            "error",
            "batch_progress",
            "error",
            "batch_progress",
            "history",
            "batch_done");
    assertThat(got).allSatisfy(j -> assertThat(j.getString("id")).isEqualTo("b1"));
    assertThat(got.get(0).getString("symbol")).isEqualTo("BTCUSD");
    assertThat(got.get(0).getString("progress")).isEqualTo("1/4");
    assertThat(got.get(1).getJsonArray("candles")).isEqualTo(elements(btc.subList(3, 6)));
    assertThat(got.get(1).getString("tf")).isEqualTo("1m");
    assertThat(got.get(2).getString("progress")).isEqualTo("2/4");
    assertThat(got.get(3).getString("code")).isEqualTo("unknown_symbol");
    assertThat(got.get(3).getString("symbol")).isEqualTo("NOPE");
    assertThat(got.get(5).getString("code")).isEqualTo("bad_symbol");
    assertThat(got.get(5).getString("message")).contains("BTC_USD");
    assertThat(got.get(6).getString("symbol")).isEqualTo("ETHUSD");
    assertThat(got.get(6).getString("progress")).isEqualTo("4/4");
    assertThat(got.get(7).getJsonArray("candles")).isEqualTo(elements(eth.subList(3, 6)));
    assertThat(got.get(8))
        .isEqualTo(
            new JsonObject()
                .put("type", "batch_done")
                .put("id", "b1")
                .put("tf", "1m")
                .put("symbols", 4)
                .put("ok", 2)
                .put("failed", 2));
    assertThat(ws.command("{\"type\":\"ping\",\"id\":2}").getString("type")).isEqualTo("pong");
    assertThat(agg.historyBodies)
        .allSatisfy(b -> assertThat(b.containsKey("statusAddress")).isFalse());
  }

  @Test
  void downloadStatusIsRelayedAndLocalOnlyForwarded(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c);
    List<JsonObject> requests = new CopyOnWriteArrayList<>();
    Await.await(
        vertx
            .eventBus()
            .consumer(
                Addresses.HISTORY,
                (Message<JsonObject> m) -> {
                  JsonObject req = m.body();
                  requests.add(req);
                  String to = req.getString("statusAddress");
                  if (to != null) {
                    for (int page = 1; page <= 2; page++) {
                      vertx
                          .eventBus()
                          .send(
                              to,
                              new JsonObject()
                                  .put("status", "downloading")
                                  .put("symbol", req.getString("symbol"))
                                  .put("tf", req.getString("tf"))
                                  .put("fetched", page * 1000)
                                  .put("page", page));
                    }
                  }
                  vertx.setTimer(
                      50,
                      t ->
                          m.reply(
                              new JsonObject()
                                  .put(
                                      "candles",
                                      new JsonArray()
                                          .add(
                                              CandleCodec.toJson(
                                                  candle(
                                                      req.getString("symbol"),
                                                      Timeframe.D1,
                                                      0,
                                                      1,
                                                      true))))
                                  .put("downloaded", 2000)));
                })
            .completion());
    WsProbe ws = connect();
    ws.send(
        new JsonObject()
            .put("type", "history_batch")
            .put("id", 5)
            .put("symbols", new JsonArray().add("BTCUSD").add("ETHUSD"))
            .put("tf", "1d")
            .put("period", "YEAR_01")
            .put("local_only", false)
            .encode());
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      JsonObject f = ws.next();
      seen.add(
          f.getString("type") + ":" + f.getString("symbol", "") + ":" + f.getValue("page", ""));
      if (f.getString("type").equals("data_status")) {
        assertThat(f.getInteger("fetched")).isEqualTo(f.getInteger("page") * 1000);
        assertThat(f.getString("status")).isEqualTo("downloading");
        assertThat(f.getInteger("id")).isEqualTo(5);
      }
    }
    assertThat(seen)
        .containsExactly(
            "batch_progress:BTCUSD:",
            "data_status:BTCUSD:1",
            "data_status:BTCUSD:2",
            "history:BTCUSD:",
            "batch_progress:ETHUSD:",
            "data_status:ETHUSD:1",
            "data_status:ETHUSD:2",
            "history:ETHUSD:",
            "batch_done::");
    assertThat(requests)
        .allSatisfy(
            r -> {
              assertThat(r.getBoolean("localOnly")).isFalse();
              assertThat(r.getString("statusAddress")).startsWith("candlecast.status.");
              assertThat(r.getLong("from")).isPositive();
            });
    assertThat(requests.get(0).getString("statusAddress"))
        .isNotEqualTo(requests.get(1).getString("statusAddress"));
  }

  @Test
  void badBatchesOneAtATimeAndTheSymbolRate(Vertx vertx) throws Exception {
    startAlone(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MESSAGES_BURST, 10)
                .with(Settings.GATEWAY_MESSAGES_PER_SECOND, 0.01)
                .with(Settings.GATEWAY_BATCH_MAX_SYMBOLS, 4));
    List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    Await.await(
        vertx
            .eventBus()
            .consumer(
                Addresses.HISTORY,
                (Message<JsonObject> m) -> {
                  Promise<Void> p = Promise.promise();
                  held.add(p);
                  p.future()
                      .onComplete(v -> m.reply(new JsonObject().put("candles", new JsonArray())));
                })
            .completion());
    WsProbe ws = connect();
    String[][] bad = {
      {"{\"type\":\"history_batch\",\"id\":1}", "'symbols' must be a non-empty array"},
      {"{\"type\":\"history_batch\",\"symbols\":[]}", "'symbols' must be a non-empty array"},
      {
        "{\"type\":\"history_batch\",\"symbols\":[\"A1\",\"B1\",\"C1\",\"D1\",\"E1\"]}",
        "at most 4 symbols"
      },
      {
        "{\"type\":\"history_batch\",\"symbols\":[\"BTCUSD\"],\"period\":\"2d\"}",
        "unknown period '2d'"
      },
      {"{\"type\":\"history_batch\",\"symbols\":[\"BTCUSD\"],\"tf\":\"2m\"}", "unknown timeframe"},
      {
        "{\"type\":\"history_batch\",\"symbols\":[\"BTCUSD\"],\"local_only\":\"maybe\"}",
        "local_only must be"
      },
    };
    for (String[] b : bad) {
      JsonObject e = ws.command(b[0]);
      assertCode(e, "bad_field");
      assertThat(e.getString("message")).as(b[0]).contains(b[1]);
    }
    String four =
        "{\"type\":\"history_batch\",\"id\":\"x\",\"symbols\":[\"BTCUSD\",\"ETHUSD\",\"AAA\",\"BBB\"]}";
    ws = connect(); // a fresh connection: fresh buckets (10 messages, 10 symbols)
    for (int round = 0; round < 2; round++) {
      ws.send(four);
      assertThat(ws.next().getString("type")).isEqualTo("batch_progress");
      if (round == 0) {
        JsonObject busy = ws.command(four);
        assertCode(busy, "batch_in_progress");
        assertThat(busy.getString("id")).isEqualTo("x");
      }
      for (int i = 0; i < 4; i++) {
        await().until(() -> !held.isEmpty());
        held.remove(0).complete();
        assertThat(ws.nextOfType("history").getString("symbol")).isNotBlank();
      }
      assertThat(ws.nextOfType("batch_done").getInteger("ok")).isEqualTo(4);
    }
    // 8 of the 10 symbol tokens are spent: 4 more are refused as a whole
    JsonObject limited = ws.command(four);
    assertCode(limited, "rate_limited");
    assertThat(limited.getString("message")).contains("symbols per second");
  }

  @Test
  void bridgeBatchAcksThenPublishesTheFramesToTheClientsAddress(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    seed();
    WsProbe sock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    String events = "candlecast.batch.test-0123456789";
    sock.send(new JsonObject().put("type", "register").put("address", events).encode());
    sock.send(
        new JsonObject().put("type", "register").put("address", "candlecast.batch.x").encode());
    assertThat(sock.next().getString("body")).as("too short an id").isEqualTo("access_denied");
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", HistoryBatch.ADDRESS)
            .put("replyAddress", "r1")
            .put(
                "body",
                new JsonObject()
                    .put("id", 9)
                    .put("symbols", new JsonArray().add("btc-usd").add("NOPE"))
                    .put("tf", "1m")
                    .put("limit", 2)
                    .put("progressAddress", events))
            .encode());
    List<JsonObject> frames = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      frames.add(sock.next());
    }
    JsonObject ack =
        frames.stream().filter(f -> "r1".equals(f.getString("address"))).findFirst().orElseThrow();
    assertThat(ack.getJsonObject("body"))
        .isEqualTo(
            new JsonObject()
                .put("type", "batch_started")
                .put("tf", "1m")
                .put("symbols", 2)
                .put("id", 9));
    List<JsonObject> bodies =
        frames.stream()
            .filter(f -> events.equals(f.getString("address")))
            .map(f -> f.getJsonObject("body"))
            .toList();
    assertThat(bodies)
        .extracting(b -> b.getString("type"))
        .containsExactly("batch_progress", "history", "batch_progress", "error", "batch_done");
    assertThat(bodies.get(1).getJsonArray("candles"))
        .as("candle JSON, as candlecast.history answers")
        .isEqualTo(CandleCodec.toJsonArray(btc.subList(4, 6)));
    assertThat(bodies.get(3).getInteger("status")).isEqualTo(404);

    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", HistoryBatch.ADDRESS)
            .put("replyAddress", "r2")
            .put("body", new JsonObject().put("symbols", new JsonArray().add("BTCUSD")))
            .encode());
    JsonObject noAddress = sock.next();
    assertThat(noAddress.getString("address")).isEqualTo("r2");
    assertThat(noAddress.getInteger("failureCode")).isEqualTo(400);
    assertThat(noAddress.getString("message")).contains("missing 'progressAddress'");
  }

  @Test
  void bridgeHistoryRequestsTakePeriodsAndLocalOnly(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe sock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", Addresses.HISTORY)
            .put("replyAddress", "h1")
            .put(
                "body",
                new JsonObject()
                    .put("symbol", "btc-usd")
                    .put("tf", "1d")
                    .put("period", "YEAR_01")
                    .put("to", "2024-06-14")
                    .put("localOnly", false))
            .encode());
    assertThat(sock.next().getString("address")).isEqualTo("h1");
    JsonObject sent = agg.historyBodies.get(agg.historyBodies.size() - 1);
    assertThat(sent.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(sent.getBoolean("localOnly")).isFalse();
    assertThat(sent.getLong("to"))
        .isEqualTo(java.time.Instant.parse("2024-06-15T00:00:00Z").toEpochMilli() - 1);
    assertThat(sent.getLong("from"))
        .isEqualTo(java.time.Instant.parse("2023-06-15T00:00:00Z").toEpochMilli() - 1);
    assertThat(sent.getInteger("limit")).isEqualTo(5_000);
  }

  private static org.awaitility.core.ConditionFactory await() {
    return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5));
  }
}
