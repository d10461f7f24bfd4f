package candlecast.gateway;

import static candlecast.gateway.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The text protocol of {@code /ws} ({@code sub-1m:BTCUSD}, {@code unsub}) over real sockets: acks,
 * updates, the shared consumer per series, errors and the subscription limit.
 */
class TextProtocolTest extends StandInTierTestBase {

  @Test
  void subscribeAcksThenStreamsUpdatesWithTheKlineFields() throws Exception {
    WsProbe ws = connect();
    assertThat(ws.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));

    publish(
        new Candle("BTCUSD", Timeframe.S1, T0 + 1_000, 100.0, 101.5, 99.25, 100.75, 2.5, 4, false));
    JsonObject u = ws.next();
    assertThat(u.getDouble("open")).isEqualTo(100.0);
    assertThat(u.getDouble("high")).isEqualTo(101.5);
    assertThat(u.getDouble("low")).isEqualTo(99.25);
    assertThat(u.getDouble("close")).isEqualTo(100.75);
    assertThat(u.getLong("unix_timestamp")).isEqualTo(1_700_000_001L);
    assertThat(u.getLong("time_window_seconds")).isEqualTo(1L);
    assertThat(u.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(u.getString("tf")).isEqualTo("1s");
    assertThat(u.getDouble("volume")).isEqualTo(2.5);
    assertThat(u.getLong("trades")).isEqualTo(4L);
    assertThat(u.getBoolean("closed")).isFalse();

    publish(
        new Candle("BTCUSD", Timeframe.S1, T0 + 1_000, 100.0, 102.0, 99.25, 102.0, 3.0, 5, true));
    JsonObject fin = ws.next();
    assertThat(fin.getBoolean("closed")).isTrue();
    assertThat(fin.getDouble("high")).isEqualTo(102.0);

    // a named symbol, in any case, on another timeframe
    assertThat(ws.command("sub-5m:ethusd")).isEqualTo(subscribed("ETHUSD", "5m"));
    publish(new Candle("ETHUSD", Timeframe.M5, T0, 2000, 2001, 1999, 2000.5, 1, 1, false));
    JsonObject eth = ws.next();
    assertThat(eth.getString("symbol")).isEqualTo("ETHUSD");
    assertThat(eth.getLong("time_window_seconds")).isEqualTo(300L);
    assertThat(eth.getLong("unix_timestamp")).isEqualTo(T0 / 1000);
  }

  @Test
  void twoClientsOnOneSeriesShareOneConsumerAndGetTheSameUpdates() throws Exception {
    WsProbe a = connect();
    WsProbe b = connect();
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(b.command("sub-1s:BTCUSD")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(gateway.hub().consumersRegistered()).isEqualTo(1);
    assertThat(gateway.hub().activeSeries()).isEqualTo(1);

    for (int i = 0; i < 3; i++) {
      publish(new Candle("BTCUSD", Timeframe.S1, T0 + i * 1000L, 1, 2, 0.5, 1.5 + i, 1, 1, i < 2));
    }
    for (int i = 0; i < 3; i++) {
      JsonObject fromA = a.next();
      JsonObject fromB = b.next();
      assertThat(fromA).isEqualTo(fromB);
      assertThat(fromA.getDouble("close")).isEqualTo(1.5 + i);
    }
    assertThat(gateway.hub().deliveredUpdates()).isEqualTo(6);
    assertThat(gateway.metrics().updatesDropped.sum()).isZero();
  }

  @Test
  void unsubStopsUpdatesAndTheLastUnsubUnregistersTheConsumer() throws Exception {
    WsProbe a = connect();
    WsProbe b = connect();
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(a.command("sub-1m")).isEqualTo(subscribed("BTCUSD", "1m"));
    assertThat(b.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(a.command("unsub")).isEqualTo(unsubscribed(2));

    // b proves the update was delivered; a's next frame is the reply to a later command, not the
    // update
    publish(candle(T0, 1.0));
    assertThat(b.next().getDouble("close")).isEqualTo(1.0);
    assertThat(a.command("bogus").getString("type")).isEqualTo("error");

    assertThat(b.command("unsub")).isEqualTo(unsubscribed(1));
    assertThat(gateway.hub().activeSeries()).isZero();
    publish(candle(T0 + 1000, 2.0));
    assertThat(b.command("sub-1h")).isEqualTo(subscribed("BTCUSD", "1h")); // not the 1s update
    assertThat(a.command("unsub")).isEqualTo(unsubscribed(0));

    // resubscribing registers a fresh consumer, which delivers again
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(gateway.hub().consumersRegistered()).isEqualTo(4); // 1s, 1m, 1h, 1s again
    publish(candle(T0 + 2000, 3.0));
    assertThat(a.next().getDouble("close")).isEqualTo(3.0);
  }

  @Test
  void closingTheSocketDropsItsSubscriptions() throws Exception {
    WsProbe a = connect();
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(gateway.connections()).isEqualTo(1);
    await(a.ws.close());
    a.awaitClosed();
    // the server's close handler runs on the gateway's event loop; ask it something to order after
    // it
    WsProbe probe = connect();
    probe.command("hello");
    assertThat(gateway.hub().activeSeries()).isZero();
    assertThat(gateway.connections()).isEqualTo(1);
  }

  @Test
  void everyBadCommandGetsAnErrorAndTheConnectionKeepsWorking() throws Exception {
    WsProbe ws = connect();
    assertError(ws.command(""), CommandParser.CODE_EMPTY, "");
    assertError(ws.command("hello"), CommandParser.CODE_UNKNOWN_COMMAND, "hello");
    assertError(ws.command("sub-2m"), CommandParser.CODE_UNKNOWN_TIMEFRAME, "sub-2m");
    assertError(ws.command("sub-1m:BTC_USD"), CommandParser.CODE_BAD_SYMBOL, "sub-1m:BTC_USD");
    assertThat(ws.command("sub-1m:btc-usd"))
        .as("the dashed style is an alias")
        .isEqualTo(subscribed("BTCUSD", "1m"));
    assertError(ws.command("unsub-2h"), CommandParser.CODE_UNKNOWN_TIMEFRAME, "unsub-2h");

    await(ws.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})));
    assertError(ws.next(), CommandParser.CODE_BINARY, "<binary message of 3 bytes>");

    assertThat(ws.ws.isClosed()).isFalse();
    assertThat(ws.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    publish(candle(T0, 42.0));
    assertThat(ws.next().getDouble("close")).isEqualTo(42.0);
  }

  @Test
  void subscriptionsPerConnectionAreBounded() throws Exception {
    WsProbe ws = connect();
    int n = 0;
    outer:
    for (String sym : new String[] {"AA", "BB", "CC", "DD", "EE"}) {
      for (Timeframe tf : Timeframe.values()) {
        if (n == 32) {
          break outer;
        }
        assertThat(ws.command("sub-" + tf.label() + ":" + sym).getString("type"))
            .isEqualTo("subscribed");
        n++;
      }
    }
    JsonObject err = ws.command("sub-1d:ZZ");
    assertError(err, ErrorCodes.TOO_MANY_SUBSCRIPTIONS, "sub-1d:ZZ");
    assertThat(err.getString("message")).contains("at most 32");
    assertThat(ws.command("unsub")).isEqualTo(unsubscribed(32));
    assertThat(gateway.hub().activeSeries()).isZero();
  }

  @Test
  void plainGetOnTheWebSocketPathIs400() throws Exception {
    HttpResponse<Buffer> r = get("/ws");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).startsWith("expected a WebSocket upgrade");
  }

  private static JsonObject subscribed(String symbol, String tf) {
    return new JsonObject().put("type", "subscribed").put("symbol", symbol).put("tf", tf);
  }

  private static JsonObject unsubscribed(int n) {
    return new JsonObject().put("type", "unsubscribed").put("count", n);
  }

  private static void assertError(JsonObject e, String code, String command) {
    assertThat(e.getString("type")).isEqualTo("error");
    assertThat(e.getString("code")).isEqualTo(code);
    assertThat(e.getString("command")).isEqualTo(command);
    assertThat(e.getString("message")).isNotBlank();
    if (!command.isEmpty() && !command.startsWith("<")) {
      assertThat(e.getString("message")).contains(command);
    }
  }
}
