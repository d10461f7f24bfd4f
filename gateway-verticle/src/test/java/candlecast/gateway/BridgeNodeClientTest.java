package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.TapeCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SockJS event-bus bridge driven by the official npm client
 * ({@code @vertx/eventbus-bridge-client.js} with {@code sockjs-client}) run by Node, over the
 * WebSocket transport and the HTTP fallbacks. The npm packages are installed into {@code
 * src/test/node} by the build ({@code npm ci}).
 */
@ExtendWith(VertxExtension.class)
class BridgeNodeClientTest extends GatewayTestBase {
  static final File NODE_DIR = new File("src/test/node");

  @ParameterizedTest
  // xhr-polling is left out for now: intermittently (about 1 run in 4) its session closes before
  // live candles
  // arrive. Known issue, recorded in the session's closing note; websocket and xhr-streaming stay
  // covered.
  // "…@2": the gateway on two event loops, as nodes deploy it: the HTTP transports' requests of one
  // session arrive
  // over several connections, accepted by either instance
  @ValueSource(
      strings = {"websocket", "xhr-streaming", "xhr-polling", "xhr-streaming@2", "xhr-polling@2"})
  void permittedAddressesReceiveAndEverythingElseIsDenied(String variant, Vertx vertx)
      throws Exception {
    String transport = variant.replace("@2", "");
    start(vertx, c -> c, variant.endsWith("@2") ? 2 : 1);
    assertThat(
            new File(NODE_DIR, "node_modules/@vertx/eventbus-bridge-client.js/vertx-eventbus.js"))
        .as("npm packages installed by the build (npm ci in src/test/node)")
        .exists();
    List<String> leaked = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .addInboundInterceptor(
            ctx -> {
              Object body = ctx.message().body();
              if (body instanceof JsonObject j && j.containsKey("evil")) {
                leaked.add(ctx.message().address());
              }
              ctx.next();
            });
    agg.publish(candle("BTCUSD", Timeframe.S1, T0, 1, true));
    agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 1000, 2, true));
    agg.sync();

    Process node =
        new ProcessBuilder(
                "node", "bridge-client.cjs", "http://127.0.0.1:" + port + "/eventbus", transport)
            .directory(NODE_DIR)
            .redirectErrorStream(true)
            .start();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    List<String> noise = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
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
            });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> has(events, "sent"));
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("registrations; node said " + events + noise)
          .until(
              () -> {
                JsonObject series = get("/connections").bodyAsJsonObject().getJsonObject("series");
                return series.containsKey("candles.BTCUSD.1s")
                    && series.containsKey("ticker.BTCUSD")
                    && series.containsKey("trades.BTCUSD");
              });
      JsonObject counts = get("/connections").bodyAsJsonObject();
      assertThat(counts.getJsonObject("protocols").getInteger("sockjs")).isEqualTo(1);
      assertThat(
              counts
                  .getJsonObject("series")
                  .getJsonObject("candles.BTCUSD.1s")
                  .getInteger("sockjs"))
          .isEqualTo(1);
      assertThat(counts.getJsonObject("series").containsKey("candlecast.history")).isFalse();

      long[] t = {T0 + 2000};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .alias("events " + events)
          .until(
              () -> {
                agg.publish(candle("BTCUSD", Timeframe.S1, t[0], 3, false));
                agg.publishTicker(FakeAggregator.ticker("BTCUSD", 101, t[0]));
                agg.trades("BTCUSD", 2);
                t[0] += 1000;
                return has(events, "candle") && has(events, "ticker") && has(events, "trades");
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("events " + events)
          .until(() -> has(events, "history") && count(events, "error") >= 7);
      JsonObject candle = first(events, "candle");
      assertThat(candle.getValue("err")).isNull();
      assertThat(candle.getJsonObject("body").getString("symbol")).isEqualTo("BTCUSD");
      assertThat(candle.getJsonObject("body").getString("tf")).isEqualTo("1s");
      assertThat(first(events, "ticker").getJsonObject("body").getDouble("last")).isEqualTo(101.0);
      JsonObject trades = first(events, "trades").getJsonObject("body");
      assertThat(trades.getString("symbol")).isEqualTo("BTCUSD");
      List<candlecast.common.TapeTrade> tape = agg.run(() -> List.copyOf(agg.tapes.get("BTCUSD")));
      int at = tape.indexOf(TapeCodec.trades(trades).get(0));
      assertThat(TapeCodec.trades(trades))
          .as("a tape update as published")
          .isEqualTo(tape.subList(at, at + 2));

      JsonObject history = first(events, "history");
      assertThat(history.getValue("err")).isNull();
      assertThat(history.getJsonObject("body").getJsonArray("candles")).hasSize(2);

      List<String> errors = new ArrayList<>();
      for (JsonObject e : events) {
        if ("error".equals(e.getString("event"))) {
          errors.add(e.getString("body"));
        }
      }
      // 2 forbidden registrations + 2 forbidden sends: access_denied; 2 publishes + 1 invalid
      // history: rejected
      assertThat(errors).filteredOn("access_denied"::equals).hasSize(4);
      assertThat(errors).filteredOn("rejected"::equals).hasSize(3);
      assertThat(has(events, "leak")).isFalse();
      assertThat(has(events, "send-health")).isFalse();
      assertThat(has(events, "send-symbols")).isFalse();
      assertThat(has(events, "history-bad")).isFalse();
      assertThat(leaked).as("nothing the client sent reached an internal consumer").isEmpty();
      assertThat(agg.historyRequests.get())
          .as("only the valid history request got through")
          .isEqualTo(1);
    } finally {
      try (OutputStream in = node.getOutputStream()) {
        in.write("quit\n".getBytes(StandardCharsets.UTF_8));
      } catch (Exception ignored) {
        // already gone
      }
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
      reader.join(5_000);
    }
    assertThat(noise).as("node printed only events").isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.sockJsSessions() == 0);
  }

  @Test
  void nodeIsInstalled() throws Exception {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  private static boolean has(List<JsonObject> events, String name) {
    return count(events, name) > 0;
  }

  private static long count(List<JsonObject> events, String name) {
    return events.stream().filter(e -> name.equals(e.getString("event"))).count();
  }

  private static JsonObject first(List<JsonObject> events, String name) {
    return events.stream().filter(e -> name.equals(e.getString("event"))).findFirst().orElseThrow();
  }
}
