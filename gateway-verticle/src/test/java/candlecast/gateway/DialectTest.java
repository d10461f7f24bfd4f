package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The replies of the text and the JSON protocol, as clients see them (docs/PROTOCOL.md). */
class DialectTest {
  private static final SeriesKey BTC_1M = new SeriesKey("BTCUSD", Timeframe.M1);
  private static final TextDialect TEXT = new TextDialect(new CommandParser("BTCUSD"));
  private static final Dialect JSON = JsonDialect.INSTANCE;

  @Test
  void eachMessageGetsTheDialectItLooksLike() {
    WsConnection.Env env =
        new WsConnection.Env(null, null, null, null, null, TEXT, null, null, null);
    assertThat(env.dialectFor(" {\"type\":\"ping\"}")).isSameAs(JSON);
    assertThat(env.dialectFor("[1]")).isSameAs(JSON);
    assertThat(env.dialectFor("sub-1m")).isSameAs(TEXT);
    assertThat(env.dialectFor("")).isSameAs(TEXT);
    assertThat(TEXT.parse("sub-1m")).isEqualTo(new Command.Subscribe("BTCUSD", Timeframe.M1));
    assertThat(JSON.parse("{\"type\":\"ping\",\"id\":1}")).isEqualTo(new Command.Ping(1));
  }

  @Test
  void theTextProtocolAcksWithoutIdsOrSnapshots() {
    assertThat(TEXT.snapshots()).isFalse();
    JsonObject ack =
        new JsonObject().put("type", "subscribed").put("symbol", "BTCUSD").put("tf", "1m");
    assertThat(TEXT.subscribed(BTC_1M, 7)).isEqualTo(ack);
    assertThat(TEXT.alreadySubscribed(BTC_1M, 7))
        .as("subscribing again is acked again")
        .isEqualTo(ack);
    assertThat(TEXT.unsubscribed(BTC_1M, 7, true))
        .isEqualTo(
            new JsonObject()
                .put("type", "unsubscribed")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("count", 1));
    assertThat(TEXT.unsubscribed(BTC_1M, 7, false).getInteger("count")).isZero();
    assertThat(TEXT.unsubscribedAll(3, 7))
        .isEqualTo(new JsonObject().put("type", "unsubscribed").put("count", 3));
  }

  @Test
  void textErrorsEchoTheCommandTheyAreAbout() {
    assertThat(TEXT.tooManySubscriptions(BTC_1M, 7, 32))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", ErrorCodes.TOO_MANY_SUBSCRIPTIONS)
                .put(
                    "message",
                    "cannot execute 'sub-1m:BTCUSD': a connection may hold at most 32 subscriptions; "
                        + "unsubscribe first")
                .put("command", "sub-1m:BTCUSD"));
    assertThat(TEXT.error(ErrorCodes.SUBSCRIBE_FAILED, "no", BTC_1M, 7))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", ErrorCodes.SUBSCRIBE_FAILED)
                .put("message", "no")
                .put("command", "sub-1m:BTCUSD"));
    JsonObject binary = TEXT.binary(3);
    assertThat(binary.getString("code")).isEqualTo(ErrorCodes.BINARY_NOT_SUPPORTED);
    assertThat(binary.getString("command")).isEqualTo("<binary message of 3 bytes>");
  }

  @Test
  void theJsonProtocolEchoesIdsAndOpensWithASnapshot() {
    assertThat(JSON.snapshots()).isTrue();
    assertThat(JSON.subscribed(BTC_1M, 7))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("id", 7));
    assertThat(JSON.unsubscribed(BTC_1M, "u", true))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("id", "u"));
    assertThat(JSON.unsubscribedAll(3, null))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("all", true)
                .put("count", 3));
    JsonObject snapshot = JSON.snapshot(BTC_1M, 7, true, java.util.List.of());
    assertThat(snapshot.getString("type")).isEqualTo("snapshot");
    assertThat(snapshot.getBoolean("recovered")).isTrue();
    assertThat(snapshot.getInteger("id")).isEqualTo(7);
  }

  @Test
  void jsonErrorsCarryTheIdAndNoCommand() {
    assertThat(JSON.alreadySubscribed(BTC_1M, 7))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", ErrorCodes.ALREADY_SUBSCRIBED)
                .put("message", "already subscribed to BTCUSD 1m; unsubscribe first to start over")
                .put("id", 7));
    assertThat(JSON.unsubscribed(BTC_1M, 7, false))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", ErrorCodes.NOT_SUBSCRIBED)
                .put("message", "not subscribed to BTCUSD 1m")
                .put("id", 7));
    assertThat(JSON.tooManySubscriptions(new TickerKey("BTCUSD"), 7, 32))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", ErrorCodes.TOO_MANY_SUBSCRIPTIONS)
                .put("message", "a connection may hold at most 32 subscriptions; unsubscribe first")
                .put("id", 7));
    assertThat(JSON.error(ErrorCodes.UNKNOWN_SYMBOL, "unknown", BTC_1M, null))
        .isEqualTo(
            new JsonObject()
                .put("type", "error")
                .put("code", ErrorCodes.UNKNOWN_SYMBOL)
                .put("message", "unknown"));
  }
}
