package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portfolio's protocols over real sockets, against a stand-in for {@code candlecast.portfolio}
 * and {@code candlecast.tickers} (the aggregator side is tested in PortfolioStoreIT): REST, the
 * JSON channel and commands on {@code /ws}, {@code /ws/portfolio}, the bridge, the owner rule with
 * and without JWT, and every malformed input.
 */
@ExtendWith(VertxExtension.class)
class PortfolioProtocolTest extends GatewayTestBase {
  private static final String SECRET = "portfolio-test-secret-0123456789abcdef";
  private final Map<String, JsonObject> records = new ConcurrentHashMap<>();
  private volatile double btc = 42_000;

  private void standIns() throws Exception {
    Await.await(vertx.eventBus().consumer(Addresses.PORTFOLIO, this::portfolio).completion());
    Await.await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.TICKERS,
                m ->
                    m.reply(
                        new JsonObject()
                            .put(
                                "tickers",
                                new JsonArray()
                                    .add(ticker("BTCUSD", btc))
                                    .add(ticker("ETHUSD", 3000)))))
            .completion());
  }

  private static JsonObject ticker(String s, double last) {
    return new JsonObject().put("symbol", s).put("last", last).put("changePct", 1.25);
  }

  /** A minimal portfolio service: an in-memory map, the contract's errors. */
  private void portfolio(Message<Object> m) {
    JsonObject b = (JsonObject) m.body();
    String owner = b.getString("owner");
    if (b.getValue("symbol") instanceof String sym) {
      b.put("symbol", candlecast.common.Symbols.normalize(sym));
    }
    JsonObject cur =
        records.getOrDefault(
            owner,
            new JsonObject()
                .put("owner", owner)
                .put("positions", new JsonArray())
                .putNull("updatedAt"));
    JsonArray positions = cur.getJsonArray("positions").copy();
    switch (b.getString("op")) {
      case "get" -> {
        m.reply(cur);
        return;
      }
      case "put" -> {
        if (!(b.getValue("positions") instanceof JsonArray a)) {
          m.fail(400, "bad_position: positions: must be an array");
          return;
        }
        for (Object o : a) {
          if (((JsonObject) o).getDouble("quantity", 0.0) == 0) {
            m.fail(400, "bad_position: positions[0].quantity: must not be 0");
            return;
          }
          if ("XRPUSD".equals(((JsonObject) o).getString("symbol"))) {
            m.fail(404, "unknown_symbol: XRPUSD");
            return;
          }
        }
        positions = a;
      }
      case "upsert" -> {
        JsonObject p = b.getJsonObject("position");
        positions =
            new JsonArray(
                positions.stream()
                    .filter(
                        x -> !((JsonObject) x).getString("symbol").equals(p.getString("symbol")))
                    .collect(java.util.stream.Collectors.toList()));
        positions.add(p);
      }
      default -> {
        int before = positions.size();
        positions =
            new JsonArray(
                positions.stream()
                    .filter(
                        x -> !((JsonObject) x).getString("symbol").equals(b.getString("symbol")))
                    .collect(java.util.stream.Collectors.toList()));
        if (positions.size() == before) {
          m.fail(404, "not_found: no position in " + b.getString("symbol"));
          return;
        }
      }
    }
    JsonObject r =
        new JsonObject().put("owner", owner).put("positions", positions).put("updatedAt", 1L);
    records.put(owner, r);
    m.reply(r);
  }

  /** The reply to a command, skipping valuation frames. */
  private static JsonObject reply(WsProbe ws, String command) throws Exception {
    ws.send(command);
    return ws.nextMatching(j -> !"portfolio".equals(j.getString("type")));
  }

  private static JsonObject pos(String s, double q, double c) {
    return new JsonObject().put("symbol", s).put("quantity", q).put("avgCost", c);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String uri, String owner, Object body)
      throws Exception {
    HttpRequest<Buffer> r = http.request(method, port, "127.0.0.1", uri);
    if (owner != null) {
      r.putHeader(OwnerIdentity.HEADER, owner);
    }
    return Await.await(body == null ? r.send() : r.sendBuffer(Buffer.buffer(String.valueOf(body))));
  }

  private static void error(HttpResponse<Buffer> r, int status, String code) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo(code);
    assertThat(r.bodyAsJsonObject().getString("message")).isNotBlank();
  }

  @Test
  void restWritesReadsValuesAndKeepsOwnersApart(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c);
    standIns();
    JsonObject body =
        new JsonObject().put("positions", new JsonArray().add(pos("BTCUSD", 0.5, 40_000)));
    HttpResponse<Buffer> put = call(HttpMethod.PUT, "/api/portfolio", "alice", body);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    JsonObject v = put.bodyAsJsonObject().getJsonObject("valuation");
    assertThat(v.getJsonObject("totals").getDouble("value")).isEqualTo(0.5 * btc);
    assertThat(v.getJsonObject("totals").getDouble("pnl")).isEqualTo(0.5 * btc - 20_000);
    assertThat(put.bodyAsJsonObject().getJsonObject("portfolio").getString("owner"))
        .isEqualTo("alice");

    HttpResponse<Buffer> up =
        call(
            HttpMethod.PUT,
            "/api/portfolio/positions/ETHUSD",
            null,
            new JsonObject().put("quantity", -2).put("avgCost", 3100));
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.bodyAsJsonObject().getJsonObject("portfolio").getString("owner"))
        .isEqualTo(OwnerIdentity.DEFAULT);
    // owner from the query when there is no header
    JsonObject alice =
        call(HttpMethod.GET, "/api/portfolio?owner=alice", null, null).bodyAsJsonObject();
    assertThat(alice.getJsonObject("portfolio").getJsonArray("positions"))
        .containsExactly(pos("BTCUSD", 0.5, 40_000));
    JsonObject dflt = call(HttpMethod.GET, "/api/portfolio", null, null).bodyAsJsonObject();
    assertThat(
            dflt.getJsonObject("portfolio")
                .getJsonArray("positions")
                .getJsonObject(0)
                .getString("symbol"))
        .isEqualTo("ETHUSD");
    assertThat(
            dflt.getJsonObject("valuation")
                .getJsonArray("positions")
                .getJsonObject(0)
                .getDouble("pnl"))
        .isEqualTo(200.0);

    assertThat(
            call(HttpMethod.DELETE, "/api/portfolio/positions/btc-usd", "alice", null).statusCode())
        .isEqualTo(200);
    assertThat(
            call(HttpMethod.GET, "/api/portfolio", "alice", null)
                .bodyAsJsonObject()
                .getJsonObject("portfolio")
                .getJsonArray("positions"))
        .isEmpty();

    error(call(HttpMethod.GET, "/api/portfolio", "a b", null), 400, "bad_owner");
    error(call(HttpMethod.GET, "/api/portfolio", "x".repeat(65), null), 400, "bad_owner");
    error(call(HttpMethod.PUT, "/api/portfolio", "alice", "{nope"), 400, "bad_request");
    error(call(HttpMethod.PUT, "/api/portfolio", "alice", "[1]"), 400, "bad_request");
    error(call(HttpMethod.PUT, "/api/portfolio", "alice", ""), 400, "bad_request");
    error(
        call(HttpMethod.PUT, "/api/portfolio", "alice", new JsonObject().put("positions", 3)),
        400,
        "bad_position");
    error(
        call(
            HttpMethod.PUT,
            "/api/portfolio",
            "alice",
            new JsonObject().put("positions", new JsonArray().add(pos("XRPUSD", 1, 1)))),
        404,
        "unknown_symbol");
    error(
        call(HttpMethod.DELETE, "/api/portfolio/positions/BTCUSD", "alice", null),
        404,
        "not_found");
  }

  @Test
  void withoutAnAggregatorRequestsAreUnavailable(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 300L));
    error(call(HttpMethod.GET, "/api/portfolio", null, null), 503, "portfolio_unavailable");
    WsProbe ws = connect();
    assertCode(ws.command("{\"type\":\"portfolio_get\"}"), "portfolio_unavailable");
    assertCode(
        ws.command("{\"type\":\"subscribe\",\"channel\":\"portfolio\"}"), "portfolio_unavailable");
  }

  @Test
  void withAuthTheOwnerIsTheTokensSubject(Vertx vertx) throws Exception {
    startAlone(
        vertx,
        c ->
            c.with(Settings.GATEWAY_JWT_SECRET, SECRET)
                .with(Settings.GATEWAY_JWT_ISSUER, "candlecast"));
    standIns();
    JWTAuth signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    JWTOptions o = new JWTOptions().setIssuer("candlecast").setExpiresInMinutes(5);
    String alice = signer.generateToken(new JsonObject().put("sub", "alice"), o);
    String bob = signer.generateToken(new JsonObject().put("sub", "bob"), o);
    // bob claims to be alice: ignored
    HttpResponse<Buffer> r =
        Await.await(
            http.request(HttpMethod.PUT, port, "127.0.0.1", "/api/portfolio")
                .putHeader("Authorization", "Bearer " + bob)
                .putHeader(OwnerIdentity.HEADER, "alice")
                .sendJsonObject(
                    new JsonObject().put("positions", new JsonArray().add(pos("BTCUSD", 1, 1)))));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("portfolio").getString("owner")).isEqualTo("bob");
    assertThat(records).containsOnlyKeys("bob");
    HttpResponse<Buffer> a =
        Await.await(
            http.get(port, "127.0.0.1", "/api/portfolio?owner=bob")
                .putHeader("Authorization", "Bearer " + alice)
                .send());
    assertThat(a.bodyAsJsonObject().getJsonObject("portfolio").getJsonArray("positions")).isEmpty();
    // /ws: the upgrade's owner and the command's are ignored too
    WsProbe ws = open(new WebSocketConnectOptions().setURI("/ws?owner=bob&access_token=" + alice));
    ws.next();
    JsonObject ack =
        ws.command("{\"type\":\"subscribe\",\"channel\":\"portfolio\",\"owner\":\"bob\"}");
    assertThat(ack.getString("owner")).isEqualTo("alice");
    assertThat(ws.nextOfType("portfolio").getJsonArray("positions")).isEmpty();
    // the bridge: a send is forced to the subject, a registration of another owner refused
    WsProbe br =
        open(new WebSocketConnectOptions().setURI("/eventbus/websocket?access_token=" + alice));
    br.send(
        new JsonObject()
            .put("type", "send")
            .put("address", Addresses.PORTFOLIO)
            .put("replyAddress", "r1")
            .put("body", new JsonObject().put("op", "get").put("owner", "bob"))
            .encode());
    JsonObject reply = br.nextMatching(j -> "r1".equals(j.getString("address")));
    assertThat(reply.getJsonObject("body").getString("owner")).isEqualTo("alice");
    br.send(new JsonObject().put("type", "register").put("address", "portfolio.bob").encode());
    assertThat(br.nextOfType("err").getString("body")).isEqualTo("rejected");
    br.send(new JsonObject().put("type", "register").put("address", "portfolio.alice").encode());
    JsonObject frame = br.nextMatching(j -> "portfolio.alice".equals(j.getString("address")));
    assertThat(frame.getJsonObject("body").getString("type")).isEqualTo("portfolio");
    assertThat(frame.getJsonObject("body").getString("owner")).isEqualTo("alice");
  }

  @Test
  void jsonChannelAndCommands(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c.with(Settings.GATEWAY_PORTFOLIO_INTERVAL_MS, 50));
    standIns();
    WsProbe ws = open(new WebSocketConnectOptions().setURI("/ws?owner=carol"));
    ws.next();
    JsonObject ack = reply(ws, "{\"type\":\"subscribe\",\"channel\":\"portfolio\",\"id\":1}");
    assertThat(ack)
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("channel", "portfolio")
                .put("owner", "carol")
                .put("id", 1));
    JsonObject first = ws.nextOfType("portfolio");
    assertThat(first.getString("owner")).isEqualTo("carol");
    assertThat(first.getJsonArray("positions")).isEmpty();
    assertCode(
        reply(ws, "{\"type\":\"subscribe\",\"channel\":\"portfolio\"}"),
        ErrorCodes.ALREADY_SUBSCRIBED);

    ws.send(
        new JsonObject()
            .put("type", "portfolio_upsert")
            .put("id", "u")
            .put("position", pos("BTCUSD", 2, 41_000))
            .encode());
    JsonObject saved = ws.nextOfType("portfolio_saved");
    assertThat(saved.getString("id")).isEqualTo("u");
    assertThat(saved.getJsonObject("portfolio").getJsonArray("positions"))
        .containsExactly(pos("BTCUSD", 2, 41_000));
    JsonObject valued =
        ws.nextMatching(
            j ->
                "portfolio".equals(j.getString("type"))
                    && j.getJsonObject("totals").getDouble("cost") == 82_000.0);
    assertThat(valued.getJsonObject("totals").getDouble("value")).isEqualTo(84_000.0);
    // a ticker moves: the next valuation has the new price
    btc = 43_000;
    vertx.eventBus().publish(Addresses.ticker("BTCUSD"), ticker("BTCUSD", 43_000));
    JsonObject moved =
        ws.nextMatching(
            j ->
                "portfolio".equals(j.getString("type"))
                    && j.getJsonObject("totals").getDouble("value") == 86_000.0);
    assertThat(moved.getJsonObject("totals").getDouble("pnl")).isEqualTo(4_000.0);

    JsonObject rec = reply(ws, "{\"type\":\"portfolio_get\",\"id\":2}");
    assertThat(rec.getString("type")).isEqualTo("portfolio_record");
    assertThat(rec.getJsonObject("valuation").getJsonObject("totals").getDouble("value"))
        .isEqualTo(86_000.0);
    ws.send(
        "{\"type\":\"portfolio_set\",\"positions\":[{\"symbol\":\"ETHUSD\",\"quantity\":1,\"avgCost\":2000}]}");
    assertThat(ws.nextOfType("portfolio_saved").getString("op")).isEqualTo("put");
    ws.send("{\"type\":\"portfolio_remove\",\"symbol\":\"ETH-USD\"}");
    assertThat(
            ws.nextOfType("portfolio_saved").getJsonObject("portfolio").getJsonArray("positions"))
        .isEmpty();

    assertCode(reply(ws, "{\"type\":\"portfolio_set\"}"), ErrorCodes.MISSING_FIELD);
    assertCode(reply(ws, "{\"type\":\"portfolio_upsert\"}"), ErrorCodes.MISSING_FIELD);
    assertCode(reply(ws, "{\"type\":\"portfolio_upsert\",\"position\":5}"), ErrorCodes.BAD_FIELD);
    assertCode(reply(ws, "{\"type\":\"portfolio_remove\"}"), ErrorCodes.MISSING_FIELD);
    assertCode(
        reply(ws, "{\"type\":\"portfolio_remove\",\"symbol\":\"?\"}"), ErrorCodes.BAD_SYMBOL);
    assertCode(reply(ws, "{\"type\":\"portfolio_get\",\"owner\":7}"), ErrorCodes.BAD_FIELD);
    assertCode(
        reply(ws, "{\"type\":\"subscribe\",\"channel\":\"portfolio\",\"owner\":[]}"),
        ErrorCodes.BAD_FIELD);
    assertCode(
        reply(
            ws,
            "{\"type\":\"portfolio_set\",\"positions\":[{\"symbol\":\"BTCUSD\",\"quantity\":0,\"avgCost\":1}]}"),
        "bad_position");
    assertCode(
        reply(
            ws,
            "{\"type\":\"portfolio_set\",\"positions\":[{\"symbol\":\"XRPUSD\",\"quantity\":1,\"avgCost\":1}]}"),
        "unknown_symbol");
    assertCode(reply(ws, "{\"type\":\"portfolio_remove\",\"symbol\":\"BTCUSD\"}"), "not_found");
    JsonObject un = reply(ws, "{\"type\":\"unsubscribe\",\"channel\":\"portfolio\"}");
    assertThat(un.getString("status")).isEqualTo("unsubscribed");
    assertCode(
        reply(ws, "{\"type\":\"unsubscribe\",\"channel\":\"portfolio\"}"),
        ErrorCodes.NOT_SUBSCRIBED);

    // the command's owner counts when the upgrade names none; a bad owner is refused
    WsProbe dave = connect();
    assertThat(
            dave.command("{\"type\":\"subscribe\",\"channel\":\"portfolio\",\"owner\":\"dave\"}")
                .getString("owner"))
        .isEqualTo("dave");
    assertCode(reply(dave, "{\"type\":\"portfolio_get\",\"owner\":\"no way\"}"), "bad_owner");
    WsProbe bad = open(new WebSocketConnectOptions().setURI("/ws?owner=%20x"));
    bad.next();
    assertCode(bad.command("{\"type\":\"subscribe\",\"channel\":\"portfolio\"}"), "bad_owner");
  }

  @Test
  void seedPortfolioStream(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c.with(Settings.GATEWAY_PORTFOLIO_INTERVAL_MS, 50));
    standIns();
    records.put(
        "erin",
        new JsonObject()
            .put("owner", "erin")
            .put("positions", new JsonArray().add(pos("BTCUSD", 0.5, 40_000)))
            .put("updatedAt", 1L));
    WsProbe ws = open(new WebSocketConnectOptions().setURI("/ws/portfolio?owner=erin"));
    JsonObject welcome = ws.next();
    assertThat(welcome.getString("type")).isEqualTo("connection");
    assertThat(welcome.getString("status")).isEqualTo("connected");
    JsonObject ack = ws.command("{\"type\":\"subscribe\",\"symbol\":\"btc-usd\"}");
    assertThat(ack.getString("type")).isEqualTo("subscription");
    assertThat(ack.getString("status")).isEqualTo("subscribed");
    assertThat(ack.getString("symbol")).isEqualTo("btc-usd");
    JsonObject data =
        ws.nextMatching(
            j ->
                "data".equals(j.getString("type"))
                    && j.getJsonObject("data").getJsonObject("position").getValue("current_price")
                        != null);
    assertThat(data.getString("symbol")).isEqualTo("btc-usd");
    assertThat(data.getString("timestamp")).endsWith("Z");
    JsonObject p = data.getJsonObject("data").getJsonObject("position");
    assertThat(p.getDouble("current_value")).isEqualTo(21_000.0);
    assertThat(p.getDouble("unrealized_pnl")).isEqualTo(1_000.0);
    assertThat(data.getJsonObject("data").getDouble("pnl")).isEqualTo(1_000.0);
    assertThat(data.getJsonObject("data").getJsonObject("portfolio").getDouble("total_value"))
        .isEqualTo(21_000.0);
    // a symbol without a position: quantity 0, values 0
    ws.send("{\"type\":\"subscribe\",\"symbol\":\"RELIANCE\"}");
    JsonObject flat =
        ws.nextMatching(
            j -> "data".equals(j.getString("type")) && "RELIANCE".equals(j.getString("symbol")));
    assertThat(flat.getJsonObject("data").getJsonObject("position").getDouble("quantity")).isZero();
    assertThat(flat.getJsonObject("data").getJsonObject("position").getDouble("current_value"))
        .isZero();
    assertThat(flat.getJsonObject("data").getDouble("pnl")).isZero();
    // heartbeat, ping, errors as /ws/stream
    ws.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
    assertThat(ws.nextOfType("heartbeat").getString("status")).isEqualTo("ack");
    ws.send("{\"type\":\"unsubscribe\",\"symbol\":\"ETHUSD\"}");
    assertThat(ws.nextOfType("error").getString("code")).isEqualTo(ErrorCodes.NOT_SUBSCRIBED);
    ws.send("{\"type\":\"subscribe\"}");
    assertThat(ws.nextOfType("error").getString("message")).isNotBlank();
    ws.send("not json");
    assertThat(ws.nextOfType("error").getString("timestamp")).endsWith("Z");
    ws.send("{\"type\":\"unsubscribe\",\"symbol\":\"RELIANCE\"}");
    assertThat(ws.nextMatching(j -> "subscription".equals(j.getString("type"))).getString("status"))
        .isEqualTo("unsubscribed");
    // a ticker update reaches the remaining subscription, coalesced
    vertx.eventBus().publish(Addresses.ticker("BTCUSD"), ticker("BTCUSD", 44_000));
    JsonObject moved =
        ws.nextMatching(
            j ->
                "data".equals(j.getString("type"))
                    && j.getJsonObject("data").getDouble("pnl") == 2_000.0);
    assertThat(moved.getString("symbol")).isEqualTo("btc-usd");
  }
}
