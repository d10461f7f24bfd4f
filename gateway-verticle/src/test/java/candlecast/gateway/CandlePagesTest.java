package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandlePagesTest {
  private static JsonObject c(long t, String src, Long n) {
    JsonObject j =
        new JsonObject()
            .put("t", t)
            .put("o", 1.5)
            .put("h", 2.0)
            .put("l", 0.0001)
            .put("c", 100.0)
            .put("v", 12.25);
    if (n != null) {
      j.put("n", n);
    }
    if (src != null) {
      j.put("src", src);
    }
    return j;
  }

  @Test
  void csvAddsASrcColumnOnlyWhenACandleIsNotFromTrades() {
    JsonArray trades = new JsonArray().add(c(0, null, 3L));
    assertThat(CandlePages.csv(trades))
        .isEqualTo(
            """
            time,open,high,low,close,volume,trades
            1970-01-01T00:00:00.000Z,1.5,2,0.0001,100,12.25,3
            """);
    JsonArray mixed =
        new JsonArray()
            .add(c(0, "exchange", 0L))
            .add(c(60_000, null, 4L))
            .add(c(120_000, "import", null));
    assertThat(CandlePages.csv(mixed).split("\n"))
        .containsExactly(
            "time,open,high,low,close,volume,trades,src",
            "1970-01-01T00:00:00.000Z,1.5,2,0.0001,100,12.25,,exchange",
            "1970-01-01T00:01:00.000Z,1.5,2,0.0001,100,12.25,4,trades",
            "1970-01-01T00:02:00.000Z,1.5,2,0.0001,100,12.25,,import");
    assertThat(CandlePages.meta(mixed, null).getJsonArray("src"))
        .isEqualTo(new JsonArray().add("exchange").add("trades").add("import"));
  }

  @Test
  void nextIsTheSameQueryEndingJustBeforeThePage() {
    JsonObject req =
        new JsonObject()
            .put("symbol", "BTCUSD")
            .put("tf", "1m")
            .put("limit", 2)
            .put("from", 60_000L)
            .put("localOnly", false);
    JsonArray page = new JsonArray().add(c(180_000, null, 1L)).add(c(240_000, null, 1L));
    Map<String, String> q = CandlePages.decode(CandlePages.next(req, page, null));
    assertThat(q)
        .isEqualTo(
            Map.of(
                "symbol",
                "BTCUSD",
                "tf",
                "1m",
                "limit",
                "2",
                "from",
                "60000",
                "to",
                "179999",
                "local_only",
                "false"));
    assertThat(CandlePages.next(req, new JsonArray().add(c(180_000, null, 1L)), null))
        .as("a short page is the last")
        .isNull();
    JsonArray atFrom = new JsonArray().add(c(60_000, null, 1L)).add(c(120_000, null, 1L));
    assertThat(CandlePages.next(req, atFrom, null)).as("reached from").isNull();
    assertThat(CandlePages.next(req, page, 180_000L)).as("reached the oldest held").isNull();
  }

  @Test
  void foreignTokensAreRejected() {
    for (String bad : new String[] {"%%", "bm90IGpzb24", "eyJ4IjoxfQ", ""}) {
      assertThatThrownBy(() -> CandlePages.decode(bad))
          .as(bad)
          .isInstanceOf(HistoryParams.Rejected.class)
          .hasMessageContaining("invalid cursor");
    }
  }
}
