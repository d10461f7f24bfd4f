package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.TapeTrade;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed document's JavaScript client of {@code /ws/stream} ({@code
 * src/test/node/stream-client.cjs}: its example code as written) run by Node's built-in WebSocket
 * against the gateway: it connects, subscribes to {@code BTC-USD} and draws every {@code data}
 * message; the test also has it send the seed's other messages.
 */
@ExtendWith(VertxExtension.class)
class StreamNodeClientTest extends GatewayTestBase {
  static final File NODE_DIR = new File("src/test/node");

  @Test
  void theSeedsJavaScriptClientRunsUnchanged(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    JsonObject first = FakeAggregator.ticker("BTCUSD", 101.375, T0);
    agg.publishTicker(first);
    agg.sync();
    List<String> command = new java.util.ArrayList<>(List.of("node"));
    if (nodeMajor() < 22) {
      command.add(
          "--experimental-websocket"); // Node 20 and 21 have the global WebSocket behind this flag
    }
    command.addAll(
        List.of("stream-client.cjs", "ws://127.0.0.1:" + port + "/ws/stream", "BTC-USD"));
    Process node =
        new ProcessBuilder(command)
            .directory(NODE_DIR)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start(); // Node 20 warns that WebSocket is experimental
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    List<String> noise = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> read(node, events, noise));
    reader.start();
    try (OutputStream stdin = node.getOutputStream()) {
      JsonObject welcome =
          awaitMessage(events, noise, m -> "connection".equals(m.getString("type")));
      assertThat(welcome.getString("status")).isEqualTo("connected");
      assertThat(welcome.getString("message")).isEqualTo(StreamFrames.WELCOME);
      iso(welcome);
      JsonObject ack = awaitMessage(events, noise, m -> "subscription".equals(m.getString("type")));
      assertThat(ack.getString("status")).isEqualTo("subscribed");
      assertThat(ack.getString("symbol")).isEqualTo("BTC-USD");
      iso(ack);

      // updateChart(data.data) with the current price, then with each new one
      await()
          .atMost(Duration.ofSeconds(10))
          .alias("a chart update; node said " + events + noise)
          .until(() -> charts(events).size() == 1);
      assertChart(charts(events).get(0), first);
      JsonObject second = FakeAggregator.ticker("BTCUSD", 99.875, T0 + 250);
      agg.publishTicker(second);
      await()
          .atMost(Duration.ofSeconds(10))
          .alias("the second chart update; node said " + events)
          .until(() -> charts(events).size() == 2);
      assertChart(charts(events).get(1), second);
      List<TapeTrade> trades = agg.trades("BTCUSD", 3);
      JsonObject ticks = awaitMessage(events, noise, m -> "tick_data".equals(m.getString("type")));
      assertThat(ticks.getJsonObject("data").getJsonArray("ticks").getJsonObject(2).getLong("id"))
          .isEqualTo(trades.get(2).id());
      assertThat(charts(events)).as("tick data is not drawn as market data").hasSize(2);

      send(
          stdin,
          "{\"type\":\"heartbeat\",\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}");
      JsonObject hb = awaitMessage(events, noise, m -> "heartbeat".equals(m.getString("type")));
      assertThat(hb.getString("status")).isEqualTo("ack");
      iso(hb);
      send(stdin, "{\"type\":\"ping\",\"timestamp\":" + System.currentTimeMillis() / 1000.0 + "}");
      iso(awaitMessage(events, noise, m -> "pong".equals(m.getString("type"))));
      send(stdin, "this is not JSON");
      JsonObject error = awaitMessage(events, noise, m -> "error".equals(m.getString("type")));
      assertThat(error.getString("message")).startsWith("Invalid JSON format");
      iso(error);
      send(stdin, "{\"type\":\"unsubscribe\",\"symbol\":\"BTC-USD\"}");
      JsonObject off =
          awaitMessage(events, noise, m -> "unsubscribed".equals(m.getString("status")));
      assertThat(off.getString("symbol")).isEqualTo("BTC-USD");
      await().atMost(Duration.ofSeconds(5)).until(() -> gateway.hub().activeSeries() == 0);
      send(stdin, "quit");
      assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (node.isAlive()) {
        node.destroyForcibly();
      }
      reader.join(5_000);
    }
    assertThat(noise).as("node printed only events").isEmpty();
    assertThat(events.stream().filter(e -> "error".equals(e.getString("event"))))
        .as("no socket error")
        .isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.connections() == 0);
  }

  private static void read(Process node, List<JsonObject> events, List<String> noise) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          events.add(new JsonObject(line));
        } else {
          noise.add(line);
        }
      }
    } catch (Exception e) {
      noise.add(e.toString());
    }
  }

  private static void send(OutputStream stdin, String line) throws Exception {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** The first message the client received that matches. */
  private static JsonObject awaitMessage(
      List<JsonObject> events, List<String> noise, Predicate<JsonObject> p) {
    JsonObject[] found = new JsonObject[1];
    await()
        .atMost(Duration.ofSeconds(15))
        .alias("a matching message; node said " + events + noise)
        .until(
            () -> {
              for (JsonObject e : events) {
                if ("message".equals(e.getString("event")) && p.test(e.getJsonObject("message"))) {
                  found[0] = e.getJsonObject("message");
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private static List<JsonObject> charts(List<JsonObject> events) {
    return events.stream()
        .filter(e -> "chart".equals(e.getString("event")))
        .map(e -> e.getJsonObject("data"))
        .toList();
  }

  private static void assertChart(JsonObject data, JsonObject ticker) {
    assertThat(data.getDouble("price")).isEqualTo(ticker.getDouble("last"));
    assertThat(data.getDouble("volume")).isEqualTo(ticker.getDouble("volume"));
    assertThat(data.getDouble("change")).isEqualTo(ticker.getDouble("change"));
    assertThat(data.getDouble("change_percent"))
        .isEqualTo(
            Double.parseDouble(String.format(Locale.ROOT, "%.2f", ticker.getDouble("changePct"))));
  }

  private static void iso(JsonObject m) {
    String s = m.getString("timestamp");
    assertThat(s).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(s).toEpochMilli())
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
  }

  /** The major version of the machine's Node. */
  static int nodeMajor() throws Exception {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String v =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(); // v20.20.2
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(v).matches("v\\d+\\..*");
    return Integer.parseInt(v.substring(1, v.indexOf('.')));
  }
}
