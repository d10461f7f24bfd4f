package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelsTest {

  @Test
  void aCandleFrameAndARestCandleGiveTheSameModel() {
    Candle frame =
        Candle.fromFrame(
            "BTCUSD",
            "1m",
            Json.parse(
                "{\"type\":\"candle\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":1700000040000,\"open\":37000.5,"
                    + "\"high\":37010.0,\"low\":36990.25,\"close\":37005.0,\"volume\":1.75,\"trades\":42,"
                    + "\"unix_timestamp\":1700000040,\"time_window_seconds\":60,\"closed\":true,\"partial\":true}"));
    Candle rest =
        Candle.fromRest(
            "IGNORED",
            "5m",
            Json.parse(
                "{\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":1700000040000,\"o\":37000.5,\"h\":37010.0,"
                    + "\"l\":36990.25,\"c\":37005.0,\"v\":1.75,\"n\":42,\"x\":true,\"partial\":true}"));
    assertThat(frame).isEqualTo(rest);
    assertThat(frame.time()).isEqualTo(1_700_000_040L);
  }

  @Test
  void tradesTickersBooksAndPointsParse() {
    Trade t =
        Trade.fromWire(
            "BTCUSD",
            Json.parse("{\"id\":9007199254740993,\"t\":5,\"p\":1.5,\"q\":0.25,\"side\":\"buy\"}"));
    assertThat(t.id())
        .as("64-bit ids are not rounded through a double")
        .isEqualTo(9_007_199_254_740_993L);
    Ticker k =
        Ticker.fromWire(
            Json.parse(
                "{\"symbol\":\"BTCUSD\",\"last\":2,\"open24h\":1,\"change\":1,\"changePct\":100,\"high\":2,"
                    + "\"low\":1,\"volume\":3,\"trades\":4,\"time\":5,\"bid\":1.9}"));
    assertThat(k.bid()).isEqualTo(1.9);
    assertThat(k.ask()).isNull();
    Book b =
        Book.fromWire(
            Json.parse(
                "{\"symbol\":\"BTCUSD\",\"depth\":10,\"seq\":7,\"time\":5,\"bids\":[[1.0,2.0]],\"asks\":[[1.5,3]]}"));
    assertThat(b.asks().get(0)).isEqualTo(new Book.Level(1.5, 3));
    IndicatorPoint p =
        IndicatorPoint.fromWire(
            "BTCUSD",
            "1m",
            "macd:12:26:9",
            Json.parse("{\"t\":60000,\"closed\":true,\"macd\":1,\"signal\":2,\"hist\":-1}"));
    assertThat(p.values()).containsOnlyKeys("macd", "signal", "hist");
  }

  @Test
  void malformedFramesAreBadResponses() {
    assertThatThrownBy(() -> Json.parse("{nope"))
        .isInstanceOfSatisfying(
            CandlecastException.class, e -> assertThat(e.code()).isEqualTo("bad_response"));
    assertThatThrownBy(
            () ->
                Trade.fromWire(
                    "X", Json.parse("{\"id\":\"1\",\"t\":1,\"p\":1,\"q\":1,\"side\":\"buy\"}")))
        .hasMessageContaining("'id' is not an integer");
    assertThatThrownBy(() -> Candle.fromFrame("X", "1m", Json.parse("{\"t\":1}")))
        .hasMessageContaining("missing 'open'");
    assertThatThrownBy(
            () ->
                Book.fromWire(
                    Json.parse(
                        "{\"symbol\":\"X\",\"depth\":1,\"seq\":1,\"time\":1,\"bids\":[[1]],\"asks\":[]}")))
        .hasMessageContaining("[price, amount]");
  }

  @Test
  void restStatusesMapToCodes() {
    assertThat(CandlecastException.codeForStatus(400, "x")).isEqualTo("bad_request");
    assertThat(CandlecastException.codeForStatus(401, "x")).isEqualTo("unauthorized");
    assertThat(CandlecastException.codeForStatus(403, "x")).isEqualTo("forbidden");
    assertThat(CandlecastException.codeForStatus(404, "unknown symbol NOPE"))
        .isEqualTo("unknown_symbol");
    assertThat(CandlecastException.codeForStatus(404, "no route")).isEqualTo("not_found");
    assertThat(CandlecastException.codeForStatus(410, "x")).isEqualTo("gone");
    assertThat(CandlecastException.codeForStatus(429, "x")).isEqualTo("rate_limited");
    assertThat(CandlecastException.codeForStatus(503, "x")).isEqualTo("unavailable");
    assertThat(CandlecastException.codeForStatus(502, "x")).isEqualTo("http_502");
    assertThatThrownBy(() -> Rest.answer("GET /api/x", 404, "{\"error\":\"unknown symbol NOPE\"}"))
        .isInstanceOfSatisfying(
            CandlecastException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("unknown_symbol");
              assertThat(e.getMessage()).contains("unknown symbol NOPE");
            });
  }
}
