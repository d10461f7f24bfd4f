package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/trades} and the bridge's outbound-only {@code trades.<SYMBOL>}, against the fake
 * tier's tape.
 */
@ExtendWith(VertxExtension.class)
class TradesRestAndBridgeTest extends GatewayTestBase {

  private void start(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_TRADES_SNAPSHOT_SIZE, 4)
                .with(Settings.GATEWAY_TRADES_MAX_LIMIT, 6));
  }

  private static List<String> shown(JsonArray arr) {
    return arr.stream().map(o -> TradesProtocolTest.shown((JsonObject) o)).toList();
  }

  private static void assertBad(HttpResponse<Buffer> r, int status, String message) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).contains(message);
  }

  @Test
  void restAnswersTheNewestTradesFromATimeOrAfterAnId(Vertx vertx) throws Exception {
    start(vertx);
    List<TapeTrade> tape = agg.trades("BTCUSD", 10);
    HttpResponse<Buffer> r = get("/api/trades?symbol=btc-usd");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(shown(r.bodyAsJsonArray()))
        .as("default limit: the snapshot size")
        .isEqualTo(TradesProtocolTest.shownAll(tape.subList(6, 10)));
    assertThat(shown(get("/api/trades?symbol=BTCUSD&limit=2").bodyAsJsonArray()))
        .isEqualTo(TradesProtocolTest.shownAll(tape.subList(8, 10)));
    assertThat(
            shown(
                get("/api/trades?symbol=BTCUSD&limit=6&from=" + tape.get(7).time())
                    .bodyAsJsonArray()))
        .isEqualTo(TradesProtocolTest.shownAll(tape.subList(7, 10)));
    assertThat(
            shown(
                get("/api/trades?symbol=BTCUSD&limit=2&since=" + tape.get(3).id())
                    .bodyAsJsonArray()))
        .as("the first two after it: pages forward")
        .isEqualTo(TradesProtocolTest.shownAll(tape.subList(4, 6)));
    assertThat(get("/api/trades?symbol=ETHUSD").bodyAsJsonArray()).isEmpty();

    agg.tapeFloor = tape.get(5).seq();
    assertBad(get("/api/trades?symbol=BTCUSD&since=" + tape.get(3).id()), 410, "no longer held");
    assertBad(get("/api/trades?symbol=NOPE"), 404, "unknown symbol NOPE");
    assertBad(get("/api/trades"), 400, "missing query parameter 'symbol'");
    assertBad(get("/api/trades?symbol=BTC_USD"), 400, "invalid symbol 'BTC_USD'");
    assertBad(
        get("/api/trades?symbol=BTCUSD&limit=0"),
        400,
        "limit must be a whole number between 1 and 6");
    assertBad(get("/api/trades?symbol=BTCUSD&limit=7"), 400, "between 1 and 6");
    assertBad(get("/api/trades?symbol=BTCUSD&limit=x"), 400, "limit");
    assertBad(get("/api/trades?symbol=BTCUSD&from=-1"), 400, "from must be epoch milliseconds");
    assertBad(
        get("/api/trades?symbol=BTCUSD&from=yesterday"), 400, "from must be epoch milliseconds");
    assertBad(get("/api/trades?symbol=BTCUSD&since=1.5"), 400, "since must be a trade id");
    assertBad(get("/api/trades?symbol=BTCUSD&since=1&from=2"), 400, "exclude each other");
    Await.await(agg.close());
    assertBad(get("/api/trades?symbol=BTCUSD"), 503, "trades unavailable");
  }

  @Test
  void theBridgeDeliversTradesOutboundOnly(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe sock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    sock.send(new JsonObject().put("type", "register").put("address", "trades.BTCUSD").encode());
    // dashed and lower-case addresses are outside the pattern: the bridge answers under the address
    // registered
    sock.send(new JsonObject().put("type", "register").put("address", "trades.BTC-USD").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    sock.send(new JsonObject().put("type", "register").put("address", "trades").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");

    List<TapeTrade> live = agg.trades("BTCUSD", 3);
    JsonObject rec = sock.next();
    assertThat(rec.getString("type")).isEqualTo("rec");
    assertThat(rec.getString("address")).isEqualTo("trades.BTCUSD");
    assertThat(rec.getJsonObject("body").getString("symbol")).isEqualTo("BTCUSD");
    assertThat(TapeCodec.trades(rec.getJsonObject("body"))).isEqualTo(live);

    // inbound: neither publishing nor sending to a trades address
    sock.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", "trades.BTCUSD")
            .put("body", new JsonObject())
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "trades.BTCUSD")
            .put("body", new JsonObject())
            .put("replyAddress", "r1")
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "candlecast.trades")
            .put("body", new JsonObject().put("symbol", "BTCUSD"))
            .put("replyAddress", "r2")
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    JsonObject counts = get("/connections").bodyAsJsonObject();
    assertThat(counts.getJsonObject("series").getJsonObject("trades.BTCUSD").getInteger("sockjs"))
        .isEqualTo(1);
  }
}
