package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  @Test
  void componentKeepsDetailsAndNormalisesStatus() {
    assertThat(HealthReport.component(new JsonObject().put("status", "UP").put("lag", 3)))
        .isEqualTo(new JsonObject().put("status", "UP").put("lag", 3));
    assertThat(
            HealthReport.component(new JsonObject().put("status", "DOWN").put("reason", "kafka")))
        .isEqualTo(new JsonObject().put("status", "DOWN").put("reason", "kafka"));
    JsonObject odd = HealthReport.component(new JsonObject().put("status", "up"));
    assertThat(odd.getString("status")).isEqualTo("DOWN");
    assertThat(odd.getString("error")).isEqualTo("invalid status 'up'");
    assertThat(HealthReport.component("UP").getString("status")).isEqualTo("DOWN");
    assertThat(HealthReport.component(null).getString("error"))
        .isEqualTo("reply is not a JSON object");
  }

  @Test
  void upOnlyWhenEveryComponentIsUp() {
    Map<String, JsonObject> m = new LinkedHashMap<>();
    m.put("gateway", new JsonObject().put("status", "UP"));
    m.put("feed", new JsonObject().put("status", "UP"));
    JsonObject up = HealthReport.report(m);
    assertThat(up.getString("status")).isEqualTo("UP");
    assertThat(HealthReport.isUp(up)).isTrue();
    assertThat(up.getJsonObject("components").fieldNames()).containsExactly("gateway", "feed");
    m.put("aggregator", HealthReport.down("no responder"));
    JsonObject down = HealthReport.report(m);
    assertThat(down.getString("status")).isEqualTo("DOWN");
    assertThat(down.getJsonObject("components").getJsonObject("aggregator").getString("error"))
        .isEqualTo("no responder");
  }

  @Test
  void busErrorsToHttp() {
    assertThat(
            BusErrors.toHttp(
                new ReplyException(ReplyFailure.NO_HANDLERS, "x"), "history unavailable"))
        .isEqualTo(new BusErrors.HttpError(503, "history unavailable"));
    assertThat(
            BusErrors.toHttp(new ReplyException(ReplyFailure.TIMEOUT, "x"), "history unavailable"))
        .isEqualTo(new BusErrors.HttpError(503, "history unavailable"));
    assertThat(
            BusErrors.toHttp(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "unknown symbol X"), "u"))
        .isEqualTo(new BusErrors.HttpError(404, "unknown symbol X"));
    assertThat(
            BusErrors.toHttp(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, "bad tf"), "u"))
        .isEqualTo(new BusErrors.HttpError(400, "bad tf"));
    assertThat(
            BusErrors.toHttp(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "boom"), "u")
                .status())
        .isEqualTo(502);
    assertThat(BusErrors.toHttp(new IllegalStateException("?"), "u").status()).isEqualTo(502);
  }

  @Test
  void busErrorReasons() {
    assertThat(BusErrors.reason(new ReplyException(ReplyFailure.NO_HANDLERS, "x"), 1000))
        .isEqualTo("no responder");
    assertThat(BusErrors.reason(new ReplyException(ReplyFailure.TIMEOUT, "x"), 1000))
        .isEqualTo("no reply within 1000 ms");
    assertThat(
            BusErrors.reason(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 1, "kaput"), 1000))
        .isEqualTo("failed: kaput");
  }
}
