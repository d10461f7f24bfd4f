package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/indicators}, {@code /api/patterns}, {@code /api/risk} over real HTTP against a
 * stand-in for {@code candlecast.analysis} (the aggregator side is another part of issue 16): what
 * is forwarded, what comes back, and every malformed parameter.
 */
class AnalysisRestTest extends StandInTierTestBase {

  /**
   * Answers {@code op:"query"} with {@code n = limit + 2} points (more than asked, so the gateway's
   * clipping shows), except NOPE (404), CAPPED (429), TAKEOVER (503) and GARBAGE (malformed).
   */
  private void analysisResponder() {
    respond(
        Addresses.ANALYSIS,
        msg -> {
          JsonObject req = (JsonObject) msg.body();
          historyRequests.add(req);
          switch (req.getString("symbol")) {
            case "NOPE" -> msg.fail(404, "unknown symbol NOPE");
            case "CAPPED" -> msg.fail(429, "too many analysis series on this node (max 5)");
            case "TAKEOVER" -> msg.fail(503, "owner taking over");
            case "GARBAGE" -> msg.reply(new JsonObject().put("nothing", true));
            default -> {
              JsonArray points = new JsonArray();
              int n = req.getInteger("limit") + 2;
              for (int i = 0; i < n; i++) {
                points.add(
                    new JsonObject()
                        .put("t", T0 + i * 60_000L)
                        .put("closed", i < n - 1)
                        .put("value", 50.0 + i));
              }
              msg.reply(
                  new JsonObject()
                      .put("symbol", req.getString("symbol"))
                      .put("tf", req.getString("tf"))
                      .put("name", req.getString("name"))
                      .put("points", points));
            }
          }
        });
  }

  private JsonObject forwarded() throws InterruptedException {
    JsonObject req = historyRequests.poll(2, TimeUnit.SECONDS);
    assertThat(req).as("a request reached candlecast.analysis").isNotNull();
    return req;
  }

  @Test
  void indicatorQueryForwardsEveryParameterAndAnswersThePoints() throws Exception {
    analysisResponder();
    HttpResponse<Buffer> r =
        get(
            "/api/indicators?symbol=btc-usd&tf=5m&name=RSI&period=21"
                + "&from=2024-01-31&to=2024-02-01T12:00:00%2B02:00&limit=7");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    long from = LocalDate.of(2024, 1, 31).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long to = Instant.parse("2024-02-01T10:00:00Z").toEpochMilli();
    assertThat(forwarded())
        .isEqualTo(
            new JsonObject()
                .put("op", "query")
                .put("symbol", "BTCUSD")
                .put("tf", "5m")
                .put("name", "rsi")
                .put("params", new JsonObject().put("period", 21))
                .put("limit", 7)
                .put("from", from)
                .put("to", to));
    JsonArray points = r.bodyAsJsonArray();
    assertThat(points).as("the newest 7 of the 9 the owner sent").hasSize(7);
    assertThat(points.getJsonObject(0).getLong("t")).isEqualTo(T0 + 2 * 60_000L);
    assertThat(points.getJsonObject(6))
        .isEqualTo(
            new JsonObject().put("t", T0 + 8 * 60_000L).put("closed", false).put("value", 58.0));
  }

  @Test
  void multiParameterIndicatorsFillDefaultsAndKeepFractions() throws Exception {
    analysisResponder();
    assertThat(get("/api/indicators?symbol=ETHUSD&name=macd&FAST=8&from=1000&to=2000").statusCode())
        .isEqualTo(200);
    assertThat(forwarded())
        .isEqualTo(
            new JsonObject()
                .put("op", "query")
                .put("symbol", "ETHUSD")
                .put("tf", "1m")
                .put("name", "macd")
                .put("params", new JsonObject().put("fast", 8).put("slow", 26).put("signal", 9))
                .put("limit", AnalysisQuery.DEFAULT_LIMIT)
                .put("from", 1000L)
                .put("to", 2000L));
    assertThat(get("/api/indicators?symbol=ETHUSD&tf=1h&name=bollinger&mult=2.5").statusCode())
        .isEqualTo(200);
    JsonObject bb = forwarded();
    assertThat(bb.getString("name")).isEqualTo("bb");
    assertThat(bb.getJsonObject("params"))
        .isEqualTo(new JsonObject().put("period", 20).put("mult", 2.5));
    assertThat(get("/api/indicators?symbol=ETHUSD&name=vwap").statusCode()).isEqualTo(200);
    assertThat(forwarded().getJsonObject("params")).isEqualTo(new JsonObject());
  }

  @Test
  void patternsAndRiskServeTheirOwnKind() throws Exception {
    analysisResponder();
    assertThat(get("/api/patterns?symbol=BTCUSD&tf=1h&lookback=10&limit=3").statusCode())
        .isEqualTo(200);
    JsonObject p = forwarded();
    assertThat(p.getString("name")).isEqualTo("patterns");
    assertThat(p.getJsonObject("params")).isEqualTo(new JsonObject().put("lookback", 10));
    assertThat(p.getString("tf")).isEqualTo("1h");
    HttpResponse<Buffer> r = get("/api/risk?symbol=BTCUSD&tf=1d");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject risk = forwarded();
    assertThat(risk.getString("name")).isEqualTo("risk");
    assertThat(risk.getJsonObject("params")).isEqualTo(new JsonObject().put("window", 30));
    assertThat(risk.containsKey("from")).isFalse();
    assertThat(risk.containsKey("to")).isFalse();
    assertThat(r.bodyAsJsonArray()).hasSize(AnalysisQuery.DEFAULT_LIMIT);
  }

  @Test
  void everyBadParameterIs400WithAClearMessageAndNothingIsAsked() throws Exception {
    analysisResponder();
    String ok = "/api/indicators?symbol=BTCUSD&";
    assertBad(ok + "name=nope", "unknown indicator 'nope'");
    assertBad("/api/indicators?symbol=BTCUSD", "missing query parameter 'name'");
    assertBad(ok + "name=patterns", "'patterns' is not an indicator: use /api/patterns");
    assertBad(ok + "name=sma&period=0", "sma parameter 'period' must be an integer from 1 to 500");
    assertBad(ok + "name=sma&period=100000", "must be an integer from 1 to 500, got 100000");
    assertBad(ok + "name=sma&period=2.5", "must be an integer from 1 to 500, got 2.5");
    assertBad(ok + "name=rsi&period=abc", "rsi parameter 'period' must be a number, got 'abc'");
    assertBad(ok + "name=rsi&length=14", "unknown parameter 'length' for rsi (parameters: period)");
    assertBad(ok + "name=vwap&period=14", "unknown parameter 'period' for vwap (parameters: none)");
    assertBad(ok + "name=macd&fast=30", "macd parameter 'fast' must be below 'slow'");
    assertBad(ok + "name=bb&mult=11", "bb parameter 'mult' must be in (0, 10]");
    assertBad(ok + "name=rsi&period=14&period=15", "parameter 'period' is given more than once");
    assertBad(ok + "name=rsi&period=" + "1".repeat(80), "or its value is too long");
    assertBad(ok + "name=rsi&from=yesterday", "from must be epoch milliseconds, an ISO-8601 date");
    assertBad(ok + "name=rsi&to=2024-13-01", "to must be epoch milliseconds, an ISO-8601 date");
    assertBad(ok + "name=rsi&from=2000&to=1000", "from (2000) is after to (1000)");
    assertBad(ok + "name=rsi&limit=0", "limit must be between 1 and 5000, was 0");
    assertBad(ok + "name=rsi&limit=5001", "limit must be between 1 and 5000, was 5001");
    assertBad(ok + "name=rsi&limit=ten", "limit must be a whole number, was 'ten'");
    assertBad(ok + "name=rsi&tf=2m", "unknown timeframe '2m'");
    assertBad("/api/indicators?name=rsi", "missing query parameter 'symbol'");
    assertBad("/api/indicators?symbol=BTC_USD&name=rsi", "invalid symbol 'BTC_USD'");
    assertBad("/api/patterns?symbol=BTCUSD&lookback=0", "patterns parameter 'lookback' must be");
    assertBad("/api/patterns?symbol=BTCUSD&name=rsi", "/api/patterns takes no 'name'");
    assertBad(
        "/api/risk?symbol=BTCUSD&window=1", "risk parameter 'window' must be an integer from 2");
    assertBad("/api/risk?symbol=BTCUSD&period=14", "unknown parameter 'period' for risk");
    assertThat(historyRequests).as("no bad query reaches the owner").isEmpty();
  }

  @Test
  void ownerFailuresMapToStatuses() throws Exception {
    analysisResponder();
    assertError(get("/api/indicators?symbol=NOPE&name=rsi"), 404, "unknown symbol NOPE");
    assertError(
        get("/api/risk?symbol=CAPPED"), 429, "too many analysis series on this node (max 5)");
    assertError(get("/api/patterns?symbol=TAKEOVER"), 503, "owner taking over");
    assertError(
        get("/api/indicators?symbol=GARBAGE&name=rsi"), 502, "analysis returned a malformed reply");
  }

  @Test
  void noOwnerIs503() throws Exception {
    assertError(get("/api/indicators?symbol=BTCUSD&name=rsi"), 503, "analysis unavailable");
  }

  private void assertBad(String uri, String message) throws Exception {
    assertError(get(uri), 400, message);
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String message) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).as(r.bodyAsString()).contains(message);
  }
}
