package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of the gateway's alerts and notices (issue 17). */
class AlertsUnitTest {

  @Test
  void theCodeBeforeTheFirstColonMapsToTheStatus() {
    String[][] cases = {
      {"400", "bad_alert: condition.level: must be > 0", "bad_alert", "400"},
      {"400", "bad_owner: x", "bad_owner", "400"},
      {"404", "unknown_symbol: DOGEUSD", "unknown_symbol", "404"},
      {"404", "not_found: alert al-1", "not_found", "404"},
      {"429", "too_many_alerts: at most 1000", "too_many_alerts", "429"},
      {"503", "alerts_unavailable: taking over", "alerts_unavailable", "503"},
    };
    for (String[] c : cases) {
      AlertErrors.AlertError e =
          AlertErrors.of(
              new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Integer.parseInt(c[0]), c[1]));
      assertThat(e.code()).isEqualTo(c[2]);
      assertThat(e.status()).isEqualTo(Integer.parseInt(c[3]));
      assertThat(e.message()).isEqualTo(c[1].substring(c[1].indexOf(": ") + 2));
    }
    assertThat(AlertErrors.of(new ReplyException(ReplyFailure.NO_HANDLERS, "x")).status())
        .isEqualTo(503);
    assertThat(AlertErrors.of(new ReplyException(ReplyFailure.TIMEOUT, "x")).code())
        .isEqualTo("alerts_unavailable");
    AlertErrors.AlertError odd =
        AlertErrors.of(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "boom"));
    assertThat(odd.status()).isEqualTo(500);
    assertThat(odd.code()).isEqualTo("alerts_unavailable");
    assertThat(AlertErrors.of(new IllegalArgumentException("bad_owner: no")).status())
        .isEqualTo(400);
    assertThat(AlertErrors.of(new RuntimeException("x")).status()).isEqualTo(502);
  }

  @Test
  void alertCommandsParseIntoBusRequests() {
    Command c =
        JsonCommandParser.parse(
            "{\"type\":\"alert_create\",\"alert\":{\"symbol\":\"BTCUSD\"},\"owner\":\"bob\",\"id\":1}");
    assertThat(c)
        .isEqualTo(
            new Command.AlertRequest(
                "alert_create",
                new JsonObject()
                    .put("op", "create")
                    .put("alert", new JsonObject().put("symbol", "BTCUSD")),
                "bob",
                1));
    assertThat(JsonCommandParser.parse("{\"type\":\"alert_delete\",\"alertId\":\"al-1\"}"))
        .isEqualTo(
            new Command.AlertRequest(
                "alert_delete",
                new JsonObject().put("op", "delete").put("id", "al-1"),
                null,
                null));
    assertThat(JsonCommandParser.parse("{\"type\":\"alert_get\",\"alertId\":\"al-1\"}"))
        .isEqualTo(
            new Command.AlertRequest(
                "alert_get", new JsonObject().put("op", "get").put("id", "al-1"), null, null));
    assertThat(
            JsonCommandParser.parse(
                "{\"type\":\"alert_list\",\"symbol\":\"eth-usd\",\"state\":\"fired\"}"))
        .isEqualTo(
            new Command.AlertRequest(
                "alert_list",
                new JsonObject().put("op", "list").put("symbol", "ETHUSD").put("state", "fired"),
                null,
                null));
    assertThat(
            JsonCommandParser.parse("{\"type\":\"subscribe\",\"channel\":\"alerts\",\"since\":5}"))
        .isEqualTo(new Command.SubscribeAlerts(5L, null, null));
    assertThat(JsonCommandParser.parse("{\"type\":\"subscribe\",\"channel\":\"alerts\"}"))
        .isEqualTo(new Command.SubscribeAlerts(null, null, null));
    assertThat(
            JsonCommandParser.parse("{\"type\":\"unsubscribe\",\"channel\":\"alerts\",\"id\":2}"))
        .isEqualTo(new Command.UnsubscribeAlerts(2));
    for (String bad :
        List.of(
            "{\"type\":\"alert_create\"}",
            "{\"type\":\"alert_create\",\"alert\":[]}",
            "{\"type\":\"alert_get\"}",
            "{\"type\":\"alert_get\",\"alertId\":\"\"}",
            "{\"type\":\"alert_delete\",\"alertId\":\"" + "x".repeat(65) + "\"}",
            "{\"type\":\"alert_list\",\"state\":1}",
            "{\"type\":\"alert_list\",\"symbol\":7}",
            "{\"type\":\"subscribe\",\"channel\":\"alerts\",\"since\":1.5}",
            "{\"type\":\"subscribe\",\"channel\":\"alerts\",\"owner\":[]}")) {
      assertThat(JsonCommandParser.parse(bad)).as(bad).isInstanceOf(Command.Invalid.class);
    }
  }

  @Test
  void repliesAreNamedAfterTheCommand() {
    JsonObject rec = new JsonObject().put("id", "al-1");
    Command.AlertRequest create =
        new Command.AlertRequest("alert_create", new JsonObject(), null, 7);
    assertThat(AlertsChannel.reply(create, rec))
        .isEqualTo(new JsonObject().put("type", "alert_created").put("alert", rec).put("id", 7));
    Command.AlertRequest get = new Command.AlertRequest("alert_get", new JsonObject(), null, null);
    JsonObject detail = new JsonObject().put("alert", rec).put("fires", new JsonArray().add(1));
    assertThat(AlertsChannel.reply(get, detail))
        .isEqualTo(
            new JsonObject()
                .put("type", "alert_detail")
                .put("alert", rec)
                .put("fires", new JsonArray().add(1)));
  }

  @Test
  void secretsAreReplacedByABooleanWhereverARecordIs() {
    JsonObject rec = new JsonObject().put("id", "a").put("webhookSecret", "s");
    assertThat(AlertRecords.redact(rec).getValue("webhookSecret")).isEqualTo(true);
    assertThat(rec.getValue("webhookSecret")).as("the input is not changed").isEqualTo("s");
    JsonObject list =
        new JsonObject()
            .put(
                "alerts",
                new JsonArray().add(rec.copy()).add(new JsonObject().put("webhookSecret", false)));
    assertThat(AlertRecords.redact(list).encode()).doesNotContain("\"s\"");
    assertThat(
            AlertRecords.redact(new JsonObject().put("alert", rec.copy()))
                .getJsonObject("alert")
                .getValue("webhookSecret"))
        .isEqualTo(true);
    JsonObject clean = new JsonObject().put("webhookSecret", false);
    assertThat(AlertRecords.redact(clean)).isSameAs(clean);
  }

  @Test
  void seedElementsGroupKindsAndDescribeTheLastFire() {
    assertThat(AlertsStreamFrames.group("price_above")).isEqualTo("price_alerts");
    assertThat(AlertsStreamFrames.group("move_down")).isEqualTo("price_alerts");
    assertThat(AlertsStreamFrames.group("volume_spike")).isEqualTo("volume_alerts");
    assertThat(AlertsStreamFrames.group("breakout_low")).isEqualTo("breakout_alerts");
    assertThat(AlertsStreamFrames.group("rsi_below")).isEqualTo("indicator_alerts");
    assertThat(AlertsStreamFrames.group("sma_cross_above")).isEqualTo("indicator_alerts");
    JsonObject cond = new JsonObject().put("kind", "price_below").put("level", 42000.5);
    JsonObject rec =
        new JsonObject()
            .put("id", "al-1")
            .put("symbol", "BTCUSD")
            .put("condition", cond)
            .put("mode", "once")
            .put("state", "armed")
            .put("fireCount", 0)
            .putNull("lastFire");
    long t = 1_767_200_012_345L;
    JsonObject fire =
        new JsonObject()
            .put("alert", "al-1")
            .put("seq", 1)
            .put("final", true)
            .put("firedAt", t)
            .put("trade", new JsonObject().put("price", 41999.0));
    JsonObject after = AlertsStreamFrames.afterFire(rec, fire);
    JsonObject e = AlertsStreamFrames.element(after, t + 1);
    assertThat(e.getBoolean("triggered")).isTrue();
    assertThat(e.getString("state")).isEqualTo("fired");
    assertThat(e.getDouble("price")).isEqualTo(41999.0);
    assertThat(Instant.parse(e.getString("triggered_at")).toEpochMilli()).isEqualTo(t);
    assertThat(e.getString("message")).isEqualTo("BTCUSD crossed below 42000.5");
    assertThat(AlertsStreamFrames.element(rec, t).getBoolean("triggered")).isFalse();
    assertThat(AlertsStreamFrames.element(rec.copy().put("expiresAt", t), t).getString("state"))
        .isEqualTo("expired");
    assertThat(AlertsStreamFrames.element(rec.copy().put("expiresAt", t + 1), t).getString("state"))
        .isEqualTo("armed");
    JsonObject rearm =
        AlertsStreamFrames.afterFire(
            rec.copy().put("mode", "rearm"), fire.copy().put("final", false).put("seq", 3));
    assertThat(rearm.getString("state")).isEqualTo("armed");
    assertThat(rearm.getLong("fireCount")).isEqualTo(3);
    assertThat(
            AlertsStreamFrames.message(
                "ETHUSD",
                new JsonObject().put("kind", "move_up").put("pct", 2.0).put("window", "5m")))
        .isEqualTo("ETHUSD rose 2% within 5m");
  }

  @Test
  void noticesAreValidatedAndGetAnIdAndTime() {
    Notices.Parsed ok =
        Notices.parse(new JsonObject().put("text", "hi").put("symbol", "btc-usd"), 5);
    assertThat(ok.error()).isNull();
    assertThat(ok.notice().getString("symbol")).isEqualTo("BTCUSD");
    assertThat(ok.notice().getString("level")).isEqualTo("info");
    assertThat(ok.notice().getLong("time")).isEqualTo(5);
    assertThat(ok.notice().getString("id")).matches("n-[0-9a-z]+");
    assertThat(Notices.deliverable(ok.notice())).isTrue();
    assertThat(Notices.deliverable(new JsonObject().put("type", "notice"))).isFalse();
    assertThat(Notices.deliverable("text")).isFalse();
    assertThat(Notices.parse(null, 1).error()).isNotBlank();
    assertThat(Notices.validLink("https://a.example/x")).isTrue();
    assertThat(Notices.validLink("ftp://a.example/x")).isFalse();
    assertThat(Notices.validLink("https:///nohost")).isFalse();
  }
}
