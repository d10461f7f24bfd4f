package candlecast.client;

import static candlecast.client.ConnectionTest.ack;
import static candlecast.client.ConnectionTest.element;
import static candlecast.client.ConnectionTest.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code gap} notice by channel, against a scripted server holding a candles BTCUSD 1m and a
 * trades BTCUSD subscription on one socket: a candles gap resubscribes that series from its {@code
 * from} (and leaves the trade tape alone), a trades gap the tape (and leaves the series alone);
 * malformed candles gaps and gaps of other series change nothing.
 */
class CandleGapTest {
  private static final long MIN = 60_000;

  /** The server's series (oracle): window w opens at w minutes and closes with 1 + 3w trades. */
  private static final int WINDOWS = 7;

  private static long trades(int w) {
    return 1 + 3L * w;
  }

  private final Logger clientLog = Logger.getLogger(Connection.class.getName());
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logged.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private FakeServer server;
  private CandlecastClient client;
  private FakeServer.Conn conn;
  private final Recorder<Candle> candles = new Recorder<>();
  private final Recorder<Trade> tape = new Recorder<>();
  private Subscription<Candle> candleSub;
  private Subscription<Trade> tradeSub;

  @BeforeEach
  void start() throws Exception {
    clientLog.addHandler(capture);
    server = new FakeServer();
    client =
        CandlecastClient.builder(server.url())
            .backoff(20, 40)
            .pingIntervalMs(15_000)
            .requestTimeoutMs(3000)
            .build();
    candleSub = client.candles("BTCUSD", "1m", candles);
    tradeSub = client.trades("BTCUSD", 0, tape);
    conn = server.accept();
    for (int i = 0; i < 2; i++) {
      JsonNode sub = conn.next();
      if ("trades".equals(sub.path("channel").asText())) {
        conn.send(ack(sub, ",\"channel\":\"trades\",\"batch\":100"));
        conn.send(tradeSnapshot(sub, 1, 2));
      } else {
        conn.send(ack(sub, ",\"tf\":\"1m\""));
        conn.send(candleSnapshot(sub, null, closedWindow(0), closedWindow(1), openWindow(2)));
      }
    }
    candleSub.ready().get();
    tradeSub.ready().get();
  }

  @AfterEach
  void stop() throws Exception {
    clientLog.removeHandler(capture);
    client.close();
    server.close();
  }

  @Test
  void aCandlesGapResubscribesThatSeriesFromItsFromAndLeavesTheTapeAlone() throws Exception {
    conn.send(candle(closedWindow(2)));
    conn.send(candlesGap("BTCUSD", "1m", 3 * MIN, 6 * MIN));
    conn.send(candle(closedWindow(6)));
    conn.send(tradesFrame(3));

    JsonNode unsub = conn.next();
    assertThat(unsub.get("type").asText()).isEqualTo("unsubscribe");
    assertThat(unsub.has("channel")).as("the candles one, not the tape").isFalse();
    assertThat(unsub.get("tf").asText()).isEqualTo("1m");
    JsonNode again = conn.next();
    assertThat(again.get("type").asText()).isEqualTo("subscribe");
    assertThat(again.has("channel")).isFalse();
    assertThat(again.get("tf").asText()).isEqualTo("1m");
    assertThat(again.get("since").asLong()).as("the gap's from").isEqualTo(3 * MIN);
    conn.send(ack(again, ",\"tf\":\"1m\""));
    conn.send(
        candleSnapshot(
            again,
            true,
            closedWindow(2),
            closedWindow(3),
            closedWindow(4),
            closedWindow(5),
            openWindow(6)));
    conn.send(candle(closedWindow(6)));

    await().until(() -> Recorder.closed(candles.items).size() == WINDOWS);
    await().until(() -> tape.items.size() == 3);
    assertNothingElseSent();
    assertThat(Recorder.closed(candles.items))
        .as("every closed window of the server's series once, in order")
        .extracting(Candle::t, Candle::trades)
        .containsExactlyElementsOf(
            LongStream.range(0, WINDOWS)
                .mapToObj(w -> Tuple.tuple(w * MIN, trades((int) w)))
                .toList());
    assertThat(candles.snapshots).as("a recovered resume is no second snapshot").hasSize(1);
    assertThat(candleSub.stats().gaps()).isEqualTo(1);
    assertThat(candleSub.stats().resumes()).isEqualTo(1);
    assertThat(tape.items).extracting(Trade::id).containsExactly(1L, 2L, 3L);
    assertThat(tradeSub.stats().gaps()).isZero();
    assertThat(tradeSub.stats().resumes()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"gap\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"since\":2,\"dropped\":7}",
        "{\"type\":\"gap\",\"symbol\":\"BTCUSD\",\"since\":2,\"dropped\":7}"
      })
  void aTradesGapOrOneWithoutChannelStillRestartsTheTapeAndLeavesTheSeriesAlone(String gap)
      throws Exception {
    conn.send(gap);
    JsonNode unsub = conn.next();
    assertThat(unsub.get("type").asText()).isEqualTo("unsubscribe");
    assertThat(unsub.get("channel").asText()).isEqualTo("trades");
    JsonNode again = conn.next();
    assertThat(again.get("type").asText()).isEqualTo("subscribe");
    assertThat(again.get("channel").asText()).isEqualTo("trades");
    assertThat(again.get("since").asLong()).isEqualTo(2);
    conn.send(ack(again, ",\"channel\":\"trades\",\"batch\":100"));
    conn.send(tradeSnapshot(again, true, 2, 3));
    conn.send(candle(closedWindow(2)));

    await().until(() -> tape.items.size() == 3 && candles.items.size() == 4);
    assertNothingElseSent();
    assertThat(tape.items).extracting(Trade::id).containsExactly(1L, 2L, 3L);
    assertThat(tradeSub.stats().gaps()).isEqualTo(1);
    assertThat(tradeSub.stats().resumes()).isEqualTo(1);
    assertThat(candleSub.stats().gaps()).isZero();
    assertThat(candleSub.stats().resumes()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"to\":360000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":\"180000\",\"to\":360000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":180000.5,\"to\":360000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":180000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":180000,\"to\":null}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":180000,\"to\":\"later\"}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":180000,\"to\":180000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":360000,\"to\":180000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"from\":180000,\"to\":360000}",
        "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\"BTCUSD\",\"tf\":1,\"from\":180000,\"to\":360000}",
        "{\"type\":\"gap\",\"channel\":7,\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"from\":180000,\"to\":360000}"
      })
  void aMalformedCandlesGapIsLoggedAndDroppedAndBothStreamsGoOn(String gap) throws Exception {
    conn.send(gap);
    conn.send(candle(closedWindow(2)));
    conn.send(tradesFrame(3));

    await().until(() -> candles.items.size() == 4 && tape.items.size() == 3);
    assertNothingElseSent();
    assertThat(Recorder.closed(candles.items))
        .extracting(Candle::t)
        .containsExactly(0L, MIN, 2 * MIN);
    assertThat(tape.items).extracting(Trade::id).containsExactly(1L, 2L, 3L);
    assertThat(List.of(candleSub.stats().gaps(), candleSub.stats().resumes()))
        .containsExactly(0L, 0L);
    assertThat(List.of(tradeSub.stats().gaps(), tradeSub.stats().resumes()))
        .containsExactly(0L, 0L);
    assertThat(logged)
        .as("logged as a malformed frame")
        .anySatisfy(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getMessage()).contains("malformed");
            });
    assertThat(client.isConnected()).isTrue();
    assertThat(candles.errors).isEmpty();
    assertThat(tape.errors).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"BTCUSD,5m", "ETHUSD,1m", "BTCUSD,1M"})
  void aCandlesGapOfASeriesNotSubscribedIsIgnored(String symbol, String tf) throws Exception {
    conn.send(candlesGap(symbol, tf, 3 * MIN, 6 * MIN));
    conn.send(candle(closedWindow(2)));
    conn.send(tradesFrame(3));

    await().until(() -> candles.items.size() == 4 && tape.items.size() == 3);
    assertNothingElseSent();
    assertThat(List.of(candleSub.stats().gaps(), candleSub.stats().resumes()))
        .containsExactly(0L, 0L);
    assertThat(List.of(tradeSub.stats().gaps(), tradeSub.stats().resumes()))
        .containsExactly(0L, 0L);
    assertThat(logged).noneSatisfy(r -> assertThat(r.getMessage()).contains("malformed"));
  }

  @Test
  void aResumeAfterAGapLostWithTheSocketStillAsksFromTheGapsFrom() throws Exception {
    conn.send(candle(closedWindow(2)));
    conn.send(candlesGap("BTCUSD", "1m", 3 * MIN, 4 * MIN));
    JsonNode unsub = conn.next();
    assertThat(unsub.get("type").asText()).isEqualTo("unsubscribe");
    JsonNode first = conn.next();
    assertThat(first.get("since").asLong()).isEqualTo(3 * MIN);
    // the socket drops before the resume's snapshot: the reconnect still asks from the gap's from
    conn.close((short) 1012);
    FakeServer.Conn c2 = server.accept();
    JsonNode restored =
        List.of(c2.next(), c2.next()).stream()
            .filter(n -> !n.has("channel"))
            .findFirst()
            .orElseThrow();
    assertThat(restored.get("since").asLong()).isEqualTo(3 * MIN);
  }

  /** The client sent nothing since the last command read: the next one is this probe's. */
  private void assertNothingElseSent() throws Exception {
    var probe = client.request(Json.object().put("type", "list"));
    JsonNode next = conn.next();
    assertThat(next.get("type").asText()).as("the next command after %s", next).isEqualTo("list");
    conn.send(
        "{\"type\":\"subscriptions\",\"subscriptions\":[],\"id\":\""
            + next.get("id").asText()
            + "\"}");
    probe.get();
  }

  private static String closedWindow(int w) {
    return element(w * MIN, (int) trades(w), true);
  }

  private static String openWindow(int w) {
    return element(w * MIN, (int) trades(w) - 1, false);
  }

  private static String candle(String element) {
    return "{\"type\":\"candle\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\"," + element.substring(1);
  }

  private static String candlesGap(String symbol, String tf, long from, long to) {
    return "{\"type\":\"gap\",\"channel\":\"candles\",\"symbol\":\""
        + symbol
        + "\",\"tf\":\""
        + tf
        + "\",\"from\":"
        + from
        + ",\"to\":"
        + to
        + "}";
  }

  private static String candleSnapshot(JsonNode cmd, Boolean recovered, String... elements) {
    return "{\"type\":\"snapshot\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\","
        + (recovered == null ? "" : "\"recovered\":" + recovered + ",")
        + "\"id\":\""
        + cmd.get("id").asText()
        + "\",\"candles\":["
        + String.join(",", elements)
        + "]}";
  }

  private static String tradeSnapshot(JsonNode cmd, long... ids) {
    return tradeSnapshot(cmd, null, ids);
  }

  private static String tradeSnapshot(JsonNode cmd, Boolean recovered, long... ids) {
    return "{\"type\":\"snapshot\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\","
        + (recovered == null ? "" : "\"recovered\":" + recovered + ",")
        + "\"id\":\""
        + cmd.get("id").asText()
        + "\",\"count\":"
        + ids.length
        + ",\"trades\":["
        + String.join(",", LongStream.of(ids).mapToObj(ConnectionTest::trade).toList())
        + "]}";
  }

  private static String tradesFrame(long id) {
    return "{\"type\":\"trades\",\"symbol\":\"BTCUSD\",\"trades\":[" + trade(id) + "]}";
  }
}
