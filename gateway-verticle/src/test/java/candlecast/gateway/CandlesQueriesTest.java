package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/candles} with periods, ISO dates, local_only, metadata, CSV and cursor paging. */
@ExtendWith(VertxExtension.class)
class CandlesQueriesTest extends GatewayTestBase {
  private static final Pattern LINK =
      Pattern.compile("<(/api/candles\\?cursor=[A-Za-z0-9_-]+[^>]*)>; rel=\"next\"");
  private static final long DAY = 86_400_000L;
  private static final long DAY0 = Timeframe.D1.windowStart(T0);

  @Test
  void pagingThroughARangeEqualsOneBigQuery(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    List<Candle> all = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Candle c = candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, 1 + i % 7, true);
      all.add(c);
      agg.publish(c);
    }
    agg.sync();
    long from = T0 + 13 * 60_000L;
    long to = T0 + 987 * 60_000L;
    String q = "/api/candles?symbol=BTCUSD&tf=1m&from=" + from + "&to=" + to;
    JsonArray big = get(q + "&limit=5000").bodyAsJsonArray();
    assertThat(big.size()).isEqualTo(975);
    JsonArray expected =
        CandleCodec.toJsonArray(
            all.stream().filter(c -> c.openTime() >= from && c.openTime() <= to).toList());
    assertThat(big).isEqualTo(expected);

    // follow the Link header (plain arrays) and, separately, the meta body's 'next'
    List<Object> viaLink = new ArrayList<>();
    String uri = q + "&limit=70";
    int pages = 0;
    while (uri != null) {
      HttpResponse<Buffer> r = get(uri);
      assertThat(r.statusCode()).as(uri).isEqualTo(200);
      viaLink.addAll(0, r.bodyAsJsonArray().getList());
      String link = r.getHeader("link");
      uri = null;
      if (link != null) {
        Matcher m = LINK.matcher(link);
        assertThat(m.matches()).as(link).isTrue();
        uri = m.group(1);
      }
      pages++;
    }
    assertThat(pages).isEqualTo(14); // 975 = 13 full pages of 70 + 65
    assertThat(new JsonArray(viaLink)).isEqualTo(expected);

    List<Object> viaMeta = new ArrayList<>();
    JsonObject page = get(q + "&limit=100&meta=true").bodyAsJsonObject();
    while (true) {
      viaMeta.addAll(0, page.getJsonArray("candles").getList());
      assertThat(page.getInteger("rows")).isEqualTo(page.getJsonArray("candles").size());
      if (page.getString("next") == null) {
        break;
      }
      page = get("/api/candles?meta=true&cursor=" + page.getString("next")).bodyAsJsonObject();
    }
    assertThat(new JsonArray(viaMeta)).isEqualTo(expected);
  }

  @Test
  void pagingStopsAtTheOldestCandleHeld(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    for (int i = 0; i < 10; i++) {
      agg.publish(candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, 1, true));
    }
    agg.sync();
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD&tf=1m&limit=5&meta=true");
    assertThat(r.bodyAsJsonObject().getString("next")).isNotNull();
    assertThat(r.getHeader("link")).contains("&meta=true");
    HttpResponse<Buffer> second =
        get("/api/candles?meta=true&cursor=" + r.bodyAsJsonObject().getString("next"));
    JsonObject last = second.bodyAsJsonObject();
    assertThat(last.getInteger("rows")).isEqualTo(5);
    assertThat(last.getJsonArray("candles").getJsonObject(0).getLong("t")).isEqualTo(T0);
    assertThat(last.containsKey("next")).as("the page reaches the oldest held").isFalse();
    assertThat(second.getHeader("link")).isNull();
  }

  @Test
  void metaDescribesTheRows(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    for (int i = 0; i < 3; i++) {
      agg.publish(candle("ETHUSD", Timeframe.D1, DAY0 + i * DAY, 2, true));
    }
    agg.sync();
    JsonObject m = get("/api/candles?symbol=eth-usd&tf=1d&meta=true").bodyAsJsonObject();
    assertThat(m.getInteger("rows")).isEqualTo(3);
    assertThat(m.getString("start"))
        .isEqualTo(Instant.ofEpochMilli(DAY0).toString().replace("Z", ".000Z"));
    assertThat(Instant.parse(m.getString("end")).toEpochMilli()).isEqualTo(DAY0 + 2 * DAY);
    assertThat(m.getJsonArray("src")).isEqualTo(new JsonArray().add("trades"));
    assertThat(m.containsKey("next")).isFalse();
    JsonObject empty = get("/api/candles?symbol=BTCUSD&tf=1d&meta=true").bodyAsJsonObject();
    assertThat(empty.getInteger("rows")).isZero();
    assertThat(empty.getValue("start")).isNull();
    assertThat(empty.getJsonArray("src")).isEmpty();
  }

  @Test
  void csvDownloadCarriesTheSameCandles(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    for (int i = 0; i < 4; i++) {
      agg.publish(
          candle("BTCUSD", Timeframe.H1, T0 - T0 % 3_600_000L + i * 3_600_000L, 3 + i, true));
    }
    agg.sync();
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD&tf=1h&format=csv");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("text/csv");
    assertThat(r.getHeader("content-disposition"))
        .isEqualTo("attachment; filename=\"BTCUSD_1h.csv\"");
    JsonArray json = get("/api/candles?symbol=BTCUSD&tf=1h").bodyAsJsonArray();
    String[] lines = r.bodyAsString().split("\n");
    assertThat(lines[0]).isEqualTo("time,open,high,low,close,volume,trades");
    assertThat(lines).hasSize(json.size() + 1);
    for (int i = 0; i < json.size(); i++) {
      JsonObject c = json.getJsonObject(i);
      String[] f = lines[i + 1].split(",", -1);
      assertThat(Instant.parse(f[0]).toEpochMilli()).isEqualTo(c.getLong("t"));
      String[] keys = {"o", "h", "l", "c", "v"};
      for (int k = 0; k < keys.length; k++) {
        assertThat(Double.parseDouble(f[k + 1])).isEqualTo(c.getDouble(keys[k]));
      }
      assertThat(Long.parseLong(f[6])).isEqualTo(c.getLong("n"));
    }
  }

  @Test
  void periodsIsoDatesAndLocalOnlyReachTheHistoryRequest(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    for (int i = 0; i < 40; i++) {
      agg.publish(candle("BTCUSD", Timeframe.D1, DAY0 + i * DAY, 1, true));
    }
    agg.sync();
    String day5 = Instant.ofEpochMilli(DAY0 + 5 * DAY).toString().substring(0, 10);
    String day9 = Instant.ofEpochMilli(DAY0 + 9 * DAY).toString().substring(0, 10);
    JsonArray r =
        get("/api/candles?symbol=BTCUSD&tf=1d&from=" + day5 + "&to=" + day9).bodyAsJsonArray();
    assertThat(r.size()).as("both days included").isEqualTo(5);
    assertThat(r.getJsonObject(0).getLong("t")).isEqualTo(DAY0 + 5 * DAY);
    assertThat(r.getJsonObject(4).getLong("t")).isEqualTo(DAY0 + 9 * DAY);

    String to = Instant.ofEpochMilli(DAY0 + 39 * DAY).toString();
    agg.historyBodies.clear();
    JsonArray month =
        get("/api/candles?symbol=BTCUSD&tf=1d&period=MONTH_01&local_only=false&to=" + to)
            .bodyAsJsonArray();
    JsonObject sent = agg.historyBodies.get(0);
    long expectedFrom =
        java.time.OffsetDateTime.parse(to).minusMonths(1).toInstant().toEpochMilli();
    assertThat(sent.getLong("from")).isEqualTo(expectedFrom);
    assertThat(sent.getLong("to")).isEqualTo(DAY0 + 39 * DAY);
    assertThat(sent.getBoolean("localOnly")).isFalse();
    assertThat(sent.getInteger("limit")).as("a period asks for max-limit").isEqualTo(5_000);
    assertThat(month.size())
        .isEqualTo(
            (int) ((DAY0 + 39 * DAY - expectedFrom + DAY - 1) / DAY)
                + (expectedFrom % DAY == 0 ? 1 : 0));

    agg.historyBodies.clear();
    get("/api/candles?symbol=BTCUSD&tf=1d&period=max&local_only=1");
    assertThat(agg.historyBodies.get(0).containsKey("from")).isFalse();
    assertThat(agg.historyBodies.get(0).getBoolean("localOnly")).isTrue();
  }

  @Test
  void malformedParametersAre400NamingTheParameter(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    String[][] cases = {
      {"&period=2d", "unknown period '2d'"},
      {"&from=2024-02-30", "from "},
      {"&to=2024-01-31T25:00:00Z", "to must be epoch milliseconds, an ISO-8601 date"},
      {"&local_only=yes", "local_only must be true, false, 1 or 0"},
      {"&meta=maybe", "meta must be true, false, 1 or 0"},
      {"&format=xml", "format must be json or csv"},
      {"&cursor=%25%25", "invalid cursor"},
      {"&cursor=eyJ4IjoxfQ", "invalid cursor"},
      {"&from=2024-02-01&to=2024-01-31", "is after to"},
    };
    for (String[] c : cases) {
      String uri =
          c[0].startsWith("&cursor")
              ? "/api/candles?" + c[0].substring(1)
              : "/api/candles?symbol=BTCUSD" + c[0];
      HttpResponse<Buffer> r = get(uri);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).as(c[0]).contains(c[1]);
    }
    String cursor =
        CandlePages.next(
            new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 1),
            new JsonArray().add(new JsonObject().put("t", T0)),
            null);
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD&cursor=" + cursor);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error"))
        .contains("cursor cannot be combined with 'symbol'");
    assertThat(agg.historyRequests.get()).isZero();
  }
}
