package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's protocol handling against a scripted server: resume seams, gap markers, liveness,
 * bad frames.
 */
class ConnectionTest {
  private FakeServer server;
  private CandlecastClient client;
  private final List<StateChange> states = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private CandlecastClient client(long pingMs) {
    client =
        CandlecastClient.builder(server.url())
            .backoff(20, 40)
            .pingIntervalMs(pingMs)
            .requestTimeoutMs(3000)
            .build();
    client.onState(states::add);
    return client;
  }

  private static String candle(long t, int trades, boolean closed) {
    return "{\"type\":\"candle\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\","
        + element(t, trades, closed).substring(1);
  }

  static String element(long t, int trades, boolean closed) {
    return "{\"t\":"
        + t
        + ",\"open\":1,\"high\":2,\"low\":0.5,\"close\":1.5,\"volume\":"
        + trades
        + ",\"trades\":"
        + trades
        + ",\"unix_timestamp\":"
        + t / 1000
        + ",\"closed\":"
        + closed
        + "}";
  }

  static String ack(JsonNode cmd, String extra) {
    return "{\"type\":\"subscription\",\"status\":\"subscribed\",\"symbol\":\"BTCUSD\",\"id\":\""
        + cmd.get("id").asText()
        + "\""
        + extra
        + "}";
  }

  @Test
  void aServerRestartCloseResumesCandlesWithSinceAndDropsWhatWasDelivered() throws Exception {
    Recorder<Candle> r = new Recorder<>();
    client(15_000).candles("btc-usd", "1s", r);
    FakeServer.Conn c1 = server.accept();
    JsonNode sub = c1.next();
    assertThat(sub.get("symbol").asText()).isEqualTo("btc-usd");
    assertThat(sub.has("since")).isFalse();
    c1.send(ack(sub, ",\"tf\":\"1s\""));
    c1.send(
        "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"id\":\""
            + sub.get("id").asText()
            + "\",\"candles\":["
            + element(0, 1, true)
            + ","
            + element(1000, 2, false)
            + "]}");
    c1.send(candle(1000, 3, true));
    c1.send(candle(2000, 1, false));
    await().until(() -> r.items.size() == 4);
    long closedAt = System.nanoTime();
    c1.close((short) 1012);

    FakeServer.Conn c2 = server.accept();
    assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(2));
    JsonNode resume = c2.next();
    assertThat(resume.get("since").asLong())
        .as("the window after the last closed one")
        .isEqualTo(1001);
    assertThat(resume.get("symbol").asText())
        .as("the canonical symbol from the ack")
        .isEqualTo("BTCUSD");
    c2.send(ack(resume, ",\"tf\":\"1s\""));
    c2.send(
        "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"recovered\":true,\"id\":\""
            + resume.get("id").asText()
            + "\",\"candles\":["
            + element(2000, 1, false)
            + ","
            + element(3000, 4, false)
            + "]}");
    c2.send(candle(2000, 2, true));
    await().until(() -> r.items.size() == 6);
    assertThat(r.items)
        .extracting(Candle::t, Candle::trades, Candle::closed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 1L, true),
            org.assertj.core.groups.Tuple.tuple(1000L, 2L, false),
            org.assertj.core.groups.Tuple.tuple(1000L, 3L, true),
            org.assertj.core.groups.Tuple.tuple(2000L, 1L, false),
            org.assertj.core.groups.Tuple.tuple(3000L, 4L, false),
            org.assertj.core.groups.Tuple.tuple(2000L, 2L, true));
    await().until(client::isConnected);
    assertThat(states.get(states.size() - 2).state()).isEqualTo(ConnectionState.RECONNECTING);
    assertThat(states.get(states.size() - 2).attempt()).as("1012 is not a failed attempt").isZero();
  }

  @Test
  void aGapMarkerResubscribesTradesFromTheMarkerAndDropsStaleFrames() throws Exception {
    Recorder<Trade> r = new Recorder<>();
    client(15_000).trades("BTCUSD", 0, r);
    FakeServer.Conn c = server.accept();
    JsonNode sub = c.next();
    c.send(ack(sub, ",\"channel\":\"trades\",\"batch\":100"));
    c.send(
        "{\"type\":\"snapshot\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"id\":\""
            + sub.get("id").asText()
            + "\",\"count\":2,\"trades\":["
            + trade(1)
            + ","
            + trade(2)
            + "]}");
    c.send("{\"type\":\"trades\",\"symbol\":\"BTCUSD\",\"trades\":[" + trade(3) + "]}");
    c.send(
        "{\"type\":\"gap\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"since\":3,\"dropped\":5}");
    c.send("{\"type\":\"trades\",\"symbol\":\"BTCUSD\",\"trades\":[" + trade(9) + "]}");
    JsonNode unsub = c.next();
    assertThat(unsub.get("type").asText()).isEqualTo("unsubscribe");
    JsonNode again = c.next();
    assertThat(again.get("type").asText()).isEqualTo("subscribe");
    assertThat(again.get("since").asLong()).isEqualTo(3);
    c.send(ack(again, ",\"channel\":\"trades\",\"batch\":100"));
    c.send(
        "{\"type\":\"snapshot\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"recovered\":true,\"id\":\""
            + again.get("id").asText()
            + "\",\"count\":2,\"trades\":["
            + trade(3)
            + ","
            + trade(4)
            + "]}");
    c.send("{\"type\":\"trades\",\"symbol\":\"BTCUSD\",\"trades\":[" + trade(5) + "]}");
    await().until(() -> r.items.size() == 5);
    assertThat(r.items).extracting(Trade::id).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  static String trade(long id) {
    return "{\"id\":" + id + ",\"t\":" + id * 10 + ",\"p\":1.5,\"q\":0.1,\"side\":\"buy\"}";
  }

  @Test
  void twoMissedPongsDropTheConnectionAndTheClientReconnects() throws Exception {
    server.answerPings = false;
    var unused = client(100).connect();
    server.accept();
    FakeServer.Conn second = server.accept();
    assertThat(second).isNotNull();
    assertThat(states)
        .anySatisfy(
            s -> {
              assertThat(s.state()).isEqualTo(ConnectionState.RECONNECTING);
              assertThat(s.error().getMessage()).contains("no pong");
            });
  }

  @Test
  void malformedFramesAreIgnoredAndTheStreamGoesOn() throws Exception {
    Recorder<Candle> r = new Recorder<>();
    client(15_000).candles("BTCUSD", "1s", r);
    FakeServer.Conn c = server.accept();
    JsonNode sub = c.next();
    c.send(ack(sub, ",\"tf\":\"1s\""));
    c.send(
        "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"id\":\""
            + sub.get("id").asText()
            + "\",\"candles\":[]}");
    c.send("not json at all");
    c.send("{\"type\":\"candle\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"t\":\"soon\"}");
    c.send("[1,2,3]");
    c.send(candle(5000, 1, false));
    await().until(() -> r.items.size() == 1);
    assertThat(r.items.get(0).t()).isEqualTo(5000);
    assertThat(client.isConnected()).isTrue();
    assertThat(r.errors).isEmpty();
  }

  @Test
  void anIndicatorResumeThatCannotCloseTheGapIsAnUnrecoveredSnapshot() throws Exception {
    Recorder<IndicatorPoint> r = new Recorder<>();
    Subscription<IndicatorPoint> s =
        client(15_000).indicator("BTCUSD", "1s", "rsi", Map.of("period", 14), 0, r);
    FakeServer.Conn c1 = server.accept();
    JsonNode sub = c1.next();
    c1.send(ack(sub, ",\"channel\":\"indicator\",\"tf\":\"1s\",\"key\":\"rsi:14\""));
    c1.send(points(sub, 0, 1000, 2000));
    await().until(() -> r.snapshots.size() == 1);
    c1.close((short) 1012);
    FakeServer.Conn c2 = server.accept();
    JsonNode again = c2.next();
    c2.send(ack(again, ",\"channel\":\"indicator\",\"tf\":\"1s\",\"key\":\"rsi:14\""));
    c2.send(points(again, 1000, 2000, 3000));
    await().until(() -> r.items.size() == 4);
    assertThat(r.items.get(3).t()).as("only the point after the last closed one").isEqualTo(3000);
    c2.close((short) 1012);
    FakeServer.Conn c3 = server.accept();
    JsonNode third = c3.next();
    c3.send(ack(third, ",\"channel\":\"indicator\",\"tf\":\"1s\",\"key\":\"rsi:14\""));
    c3.send(points(third, 9000, 10000));
    await().until(() -> r.snapshots.size() == 2);
    assertThat(r.snapshots.get(1).recovered()).isFalse();
    assertThat(s.stats().unrecovered()).isEqualTo(1);
    assertThat(s.stats().resumes()).isEqualTo(2);
  }

  private static String points(JsonNode cmd, long... ts) {
    StringBuilder sb = new StringBuilder();
    for (long t : ts) {
      sb.append(sb.length() == 0 ? "" : ",")
          .append("{\"t\":")
          .append(t)
          .append(",\"closed\":true,\"value\":50}");
    }
    return "{\"type\":\"snapshot\",\"channel\":\"indicator\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"key\":\"rsi:14\","
        + "\"fields\":[\"value\"],\"id\":\""
        + cmd.get("id").asText()
        + "\",\"points\":["
        + sb
        + "]}";
  }

  @Test
  void alertsResumeFromTheLastRecordedAtAndDropRepeatedFires() throws Exception {
    Recorder<AlertFire> r = new Recorder<>();
    client(15_000).alerts(null, r);
    FakeServer.Conn c1 = server.accept();
    JsonNode sub = c1.next();
    assertThat(sub.has("since")).isFalse();
    c1.send(
        "{\"type\":\"subscription\",\"status\":\"subscribed\",\"channel\":\"alerts\",\"owner\":\"a\",\"id\":\""
            + sub.get("id").asText()
            + "\"}");
    c1.send(fire("f1", 10));
    c1.send(fire("f2", 20));
    await().until(() -> r.items.size() == 2);
    c1.close((short) 1012);
    FakeServer.Conn c2 = server.accept();
    JsonNode again = c2.next();
    assertThat(again.get("since").asLong()).isEqualTo(20);
    c2.send(
        "{\"type\":\"subscription\",\"status\":\"subscribed\",\"channel\":\"alerts\",\"owner\":\"a\",\"id\":\""
            + again.get("id").asText()
            + "\"}");
    c2.send(fire("f2", 20));
    c2.send(fire("f3", 30));
    await().until(() -> r.items.size() == 3);
    assertThat(r.items).extracting(AlertFire::fire).containsExactly("f1", "f2", "f3");
  }

  @Test
  void alertsWithoutAFireResumeFromTheServerTimeOfTheFirstAckedConnection() throws Exception {
    Recorder<AlertFire> r = new Recorder<>();
    server.welcomeTimestamp = 1_700_000_005_000L;
    client(15_000).alerts(null, r);
    FakeServer.Conn c1 = server.accept();
    JsonNode sub = c1.next();
    assertThat(sub.has("since")).isFalse();
    c1.send(
        "{\"type\":\"subscription\",\"status\":\"subscribed\",\"channel\":\"alerts\",\"owner\":\"a\",\"id\":\""
            + sub.get("id").asText()
            + "\"}");
    await().until(client::isConnected);
    server.welcomeTimestamp = 1_700_000_009_000L;
    c1.close((short) 1012);
    FakeServer.Conn c2 = server.accept();
    JsonNode again = c2.next();
    assertThat(again.get("since").asLong())
        .as("the first acked connection's server time minus the margin, not the second's")
        .isEqualTo(1_700_000_005_000L - AlertSubscription.MARGIN_MS);
    c2.send(
        "{\"type\":\"subscription\",\"status\":\"subscribed\",\"channel\":\"alerts\",\"owner\":\"a\",\"id\":\""
            + again.get("id").asText()
            + "\"}");
    c2.send(fire("f1", 1_700_000_007_000L));
    await().until(() -> r.items.size() == 1);
    c2.close((short) 1012);
    JsonNode third = server.accept().next();
    assertThat(third.get("since").asLong()).isEqualTo(1_700_000_007_000L);
  }

  private static String fire(String id, long recordedAt) {
    return "{\"type\":\"alert\",\"fire\":\""
        + id
        + "\",\"alert\":\"al-1\",\"owner\":\"a\",\"symbol\":\"BTCUSD\","
        + "\"kind\":\"price_above\",\"value\":2.0,\"threshold\":1.0,\"firedAt\":"
        + recordedAt
        + ",\"recordedAt\":"
        + recordedAt
        + ",\"trade\":null}";
  }

  @Test
  void aPendingRequestFailsWithConnectionLostWhenTheSocketDrops() throws Exception {
    var unused = client(15_000).connect();
    FakeServer.Conn c = server.accept();
    var pending = client.request(Json.object().put("type", "list"));
    c.next();
    c.close((short) 1011);
    await().atMost(Duration.ofSeconds(5)).until(pending::isCompletedExceptionally);
    try {
      pending.get(1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(CandlecastException.of(e).code()).isEqualTo("connection_lost");
    }
    server.accept();
    await().until(client::isConnected);
  }

  @Test
  void aResumeTheServerCannotServeYetIsRetriedWithTheSameSinceAndConnectedWaitsForIt()
      throws Exception {
    Recorder<Candle> r = new Recorder<>();
    client(15_000).candles("BTCUSD", "1s", r);
    FakeServer.Conn c1 = server.accept();
    JsonNode sub = c1.next();
    c1.send(ack(sub, ",\"tf\":\"1s\""));
    c1.send(
        "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"id\":\""
            + sub.get("id").asText()
            + "\",\"candles\":["
            + element(0, 1, true)
            + "]}");
    await().until(client::isConnected);
    c1.close((short) 1012);
    FakeServer.Conn c2 = server.accept();
    JsonNode resume = c2.next();
    assertThat(resume.get("since").asLong()).isEqualTo(1);
    c2.send(ack(resume, ",\"tf\":\"1s\""));
    c2.send(
        "{\"type\":\"error\",\"code\":\"history_unavailable\",\"message\":\"owner taking over\",\"id\":\""
            + resume.get("id").asText()
            + "\"}");
    JsonNode unsub = c2.next();
    assertThat(unsub.get("type").asText()).isEqualTo("unsubscribe");
    JsonNode again = c2.next();
    assertThat(again.get("type").asText()).isEqualTo("subscribe");
    assertThat(again.get("since").asLong()).isEqualTo(1);
    assertThat(client.state()).isEqualTo(ConnectionState.RECONNECTING);
    c2.send(ack(again, ",\"tf\":\"1s\""));
    c2.send(
        "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\",\"recovered\":true,\"id\":\""
            + again.get("id").asText()
            + "\",\"candles\":["
            + element(1000, 2, true)
            + "]}");
    await().until(client::isConnected);
    assertThat(r.items).extracting(Candle::t).containsExactly(0L, 1000L);
    assertThat(r.errors).isEmpty();
  }
}
