package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.config.Settings;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** REST {@code /api/alerts} (issue 17) over loopback against a stand-in alert service. */
@ExtendWith(VertxExtension.class)
class AlertsRestTest extends GatewayTestBase {
  static final String SECRET = "alerts-test-secret-that-is-long-enough-for-hs256";
  private FakeAlertService alerts;

  static JsonObject definition(String symbol, double level) {
    return new JsonObject()
        .put("symbol", symbol)
        .put("condition", new JsonObject().put("kind", "price_above").put("level", level));
  }

  static String token(Vertx vertx, JsonObject claims) {
    JWTAuth signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    return signer.generateToken(claims, new JWTOptions().setExpiresInMinutes(5));
  }

  private void start(Vertx vertx, boolean auth, int max) throws Exception {
    startAlone(
        vertx,
        c -> {
          c = c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 500L);
          return auth ? c.with(Settings.GATEWAY_JWT_SECRET, SECRET) : c;
        });
    alerts = new FakeAlertService(vertx, max, "BTCUSD", "ETHUSD");
  }

  @AfterEach
  void stopService() throws Exception {
    if (alerts != null) {
      alerts.close();
    }
  }

  private HttpResponse<Buffer> call(HttpMethod method, String uri, MultiMap headers, Object body)
      throws Exception {
    HttpRequest<Buffer> req = http.request(method, port, "127.0.0.1", uri);
    if (headers != null) {
      req.putHeaders(headers);
    }
    if (body instanceof JsonObject j) {
      return Await.await(req.sendJsonObject(j));
    }
    if (body instanceof String s) {
      return Await.await(req.sendBuffer(Buffer.buffer(s)));
    }
    return Await.await(req.send());
  }

  private static MultiMap owner(String o) {
    return MultiMap.caseInsensitiveMultiMap().add(OwnerIdentity.HEADER, o);
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getString("error")).isEqualTo(code);
    assertThat(b.getString("message")).isNotBlank();
  }

  @Test
  void createListGetDeleteAndFiresOfOneOwner(Vertx vertx) throws Exception {
    start(vertx, false, 10);
    HttpResponse<Buffer> created =
        call(HttpMethod.POST, "/api/alerts", owner("alice"), definition("btc-usd", 50_000));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject rec = created.bodyAsJsonObject();
    String id = rec.getString("id");
    assertThat(rec.getString("owner")).isEqualTo("alice");
    assertThat(rec.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(alerts.requests.get(0).getString("op")).isEqualTo("create");

    JsonObject list =
        call(HttpMethod.GET, "/api/alerts?symbol=BTCUSD&state=armed", owner("alice"), null)
            .bodyAsJsonObject();
    assertThat(list.getJsonArray("alerts")).hasSize(1);
    JsonObject listReq = alerts.requests.get(alerts.requests.size() - 1);
    assertThat(listReq)
        .isEqualTo(
            new JsonObject()
                .put("op", "list")
                .put("symbol", "BTCUSD")
                .put("state", "armed")
                .put("owner", "alice"));

    JsonObject fire = alerts.fire(id, 50_001.5);
    JsonObject detail =
        call(HttpMethod.GET, "/api/alerts/" + id, owner("alice"), null).bodyAsJsonObject();
    assertThat(detail.getJsonObject("alert").getString("state")).isEqualTo("fired");
    assertThat(detail.getJsonArray("fires")).containsExactly(fire);

    JsonObject fires =
        call(
                HttpMethod.GET,
                "/api/alerts/fires?since=" + (fire.getLong("recordedAt") - 1) + "&limit=5",
                owner("alice"),
                null)
            .bodyAsJsonObject();
    assertThat(fires.getJsonArray("fires")).containsExactly(fire);
    assertThat(
            call(
                    HttpMethod.GET,
                    "/api/alerts/fires?since=" + fire.getLong("recordedAt"),
                    owner("alice"),
                    null)
                .bodyAsJsonObject()
                .getJsonArray("fires"))
        .isEmpty();
    assertThat(
            call(HttpMethod.GET, "/api/alerts/" + id + "/deliveries", owner("alice"), null)
                .statusCode())
        .isEqualTo(200);
    assertThat(alerts.requests.get(alerts.requests.size() - 1).getString("op"))
        .isEqualTo("deliveries");

    HttpResponse<Buffer> deleted =
        call(HttpMethod.DELETE, "/api/alerts/" + id, owner("alice"), null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(deleted.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("id", id).put("deleted", true));
    assertError(call(HttpMethod.GET, "/api/alerts/" + id, owner("alice"), null), 404, "not_found");
  }

  @Test
  void ownerComesFromTheHeaderElseTheQueryElseDefaultAndOwnersAreIsolated(Vertx vertx)
      throws Exception {
    start(vertx, false, 10);
    String id =
        call(HttpMethod.POST, "/api/alerts?owner=bob", null, definition("BTCUSD", 1))
            .bodyAsJsonObject()
            .getString("id");
    assertThat(alerts.alerts.get(id).getString("owner")).isEqualTo("bob");
    call(HttpMethod.POST, "/api/alerts", null, definition("BTCUSD", 2));
    assertThat(alerts.requests.get(1).getString("owner")).isEqualTo("default");
    call(HttpMethod.GET, "/api/alerts?owner=carol", owner("alice"), null);
    assertThat(alerts.requests.get(2).getString("owner")).as("the header wins").isEqualTo("alice");
    // alice cannot see or delete bob's alert
    assertError(call(HttpMethod.GET, "/api/alerts/" + id, owner("alice"), null), 404, "not_found");
    assertError(
        call(HttpMethod.DELETE, "/api/alerts/" + id, owner("alice"), null), 404, "not_found");
    assertThat(alerts.alerts).containsKey(id);
    assertThat(
            call(HttpMethod.GET, "/api/alerts", owner("alice"), null)
                .bodyAsJsonObject()
                .getJsonArray("alerts"))
        .isEmpty();
  }

  @Test
  void everyErrorCodeHasItsStatus(Vertx vertx) throws Exception {
    start(vertx, false, 1);
    assertError(call(HttpMethod.POST, "/api/alerts", null, "{not json"), 400, "bad_alert");
    assertError(call(HttpMethod.POST, "/api/alerts", null, "[1,2]"), 400, "bad_alert");
    assertError(
        call(HttpMethod.POST, "/api/alerts", null, new JsonObject().put("symbol", "BTCUSD")),
        400,
        "bad_alert");
    assertError(
        call(HttpMethod.POST, "/api/alerts", owner("bad owner!"), definition("BTCUSD", 1)),
        400,
        "bad_owner");
    assertError(
        call(HttpMethod.GET, "/api/alerts?owner=" + "x".repeat(65), null, null), 400, "bad_owner");
    assertError(
        call(HttpMethod.POST, "/api/alerts", null, definition("DOGEUSD", 1)),
        404,
        "unknown_symbol");
    assertError(call(HttpMethod.DELETE, "/api/alerts/al-nothing", null, null), 404, "not_found");
    assertThat(call(HttpMethod.POST, "/api/alerts", null, definition("BTCUSD", 1)).statusCode())
        .isEqualTo(201);
    assertError(
        call(HttpMethod.POST, "/api/alerts", null, definition("BTCUSD", 2)),
        429,
        "too_many_alerts");
    assertError(call(HttpMethod.GET, "/api/alerts/fires?since=-1", null, null), 400, "bad_alert");
    assertError(call(HttpMethod.GET, "/api/alerts/fires?limit=abc", null, null), 400, "bad_alert");
    alerts.unavailable = true;
    assertError(call(HttpMethod.GET, "/api/alerts", null, null), 503, "alerts_unavailable");
    alerts.close();
    alerts = null;
    HttpResponse<Buffer> none = call(HttpMethod.GET, "/api/alerts", null, null);
    assertError(none, 503, "alerts_unavailable");
  }

  @Test
  void webhookSecretsLeaveTheGatewayOnlyAsABoolean(Vertx vertx) throws Exception {
    start(vertx, false, 10);
    JsonObject def =
        definition("BTCUSD", 1)
            .put("webhook", "https://example.com/h")
            .put("webhookSecret", "s3cret");
    JsonObject rec = call(HttpMethod.POST, "/api/alerts", null, def).bodyAsJsonObject();
    assertThat(rec.getValue("webhookSecret")).isEqualTo(true);
    String all = call(HttpMethod.GET, "/api/alerts", null, null).bodyAsString();
    String one =
        call(HttpMethod.GET, "/api/alerts/" + rec.getString("id"), null, null).bodyAsString();
    assertThat(all).doesNotContain("s3cret").contains("\"webhookSecret\":true");
    assertThat(one).doesNotContain("s3cret").contains("\"webhookSecret\":true");
  }

  @Test
  void withAuthenticationTheOwnerIsTheTokensSubjectWhateverTheClientSays(Vertx vertx)
      throws Exception {
    start(vertx, true, 10);
    String alice = token(vertx, new JsonObject().put("sub", "alice"));
    MultiMap h = owner("bob").add("Authorization", "Bearer " + alice);
    assertThat(
            call(HttpMethod.POST, "/api/alerts?owner=carol", h, definition("BTCUSD", 1))
                .statusCode())
        .isEqualTo(201);
    assertThat(alerts.requests.get(0).getString("owner")).isEqualTo("alice");
    assertThat(call(HttpMethod.GET, "/api/alerts", owner("bob"), null).statusCode()).isEqualTo(401);
  }
}
