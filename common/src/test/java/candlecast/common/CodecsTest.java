package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecsTest {
  @Test
  void tradeRoundTripsWithIdsBeyondDoublePrecision() {
    Trade t = new Trade("BTCUSD", 9_007_199_254_740_993L, 1_700_000_000_123L, 37000.12345678, 0.00012345, Side.SELL);
    byte[] json = Codecs.encodeTrade(t);
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
        "{\"symbol\":\"BTCUSD\",\"id\":9007199254740993,\"time\":1700000000123,\"price\":37000.12345678,"
            + "\"amount\":1.2345E-4,\"side\":\"sell\"}");
    assertThat(Codecs.decodeTrade(json)).isEqualTo(t);
  }

  @Test
  void candleRoundTripsBytewiseAndAsJsonObject() {
    Candle c = new Candle("ETHUSD", Timeframe.M5, 1_700_000_100_000L, 1.5, 2.25, 1.0, 2.0, 10.125, 42, true);
    byte[] a = Codecs.encodeCandle(c);
    assertThat(Codecs.encodeCandle(Codecs.decodeCandle(a))).isEqualTo(a);
    assertThat(Codecs.candleFromJson(Codecs.candleToJson(c))).isEqualTo(c);
    assertThat(Codecs.candleToJson(c).encode()).isEqualTo(new String(a, StandardCharsets.UTF_8));
    assertThat(c.key()).isEqualTo("ETHUSD|5m|1700000100000");
  }

  /** The exact bytes on the wire: Kafka values, event-bus bodies and REST elements all carry them. */
  @Test
  void candleAndWatermarkWireFormatIsPinned() {
    Candle c = new Candle("ETHUSD", Timeframe.M5, 1_700_000_100_000L, 1.5, 2.25, 1.0, 2.0, 1.0E-5, 42, false);
    String pinned = "{\"symbol\":\"ETHUSD\",\"tf\":\"5m\",\"t\":1700000100000,\"o\":1.5,\"h\":2.25,\"l\":1.0,"
        + "\"c\":2.0,\"v\":1.0E-5,\"n\":42,\"x\":false}";
    assertThat(new String(Codecs.encodeCandle(c), StandardCharsets.UTF_8)).isEqualTo(pinned);
    assertThat(Codecs.candleToJson(c).encode()).isEqualTo(pinned);
    assertThat(Codecs.candlesToJson(java.util.List.of(c, c)).encode()).isEqualTo("[" + pinned + "," + pinned + "]");
    assertThat(new String(Codecs.encodeWatermark("BTCUSD", 1_700_000_001_000L), StandardCharsets.UTF_8))
        .isEqualTo("{\"symbol\":\"BTCUSD\",\"watermark\":1700000001000}");
  }

  @Test
  void malformedValuesSayWhy() {
    assertThatThrownBy(() -> Codecs.decodeTrade("not json".getBytes())).isInstanceOf(Codecs.DecodeException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> Codecs.decodeTrade("[1]".getBytes())).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> Codecs.decodeTrade(
        "{\"symbol\":\"BTCUSD\",\"id\":1,\"time\":1,\"price\":1,\"amount\":1,\"side\":\"hold\"}".getBytes()))
        .hasMessageContaining("unknown side 'hold'");
    assertThatThrownBy(() -> Codecs.decodeTrade(
        "{\"symbol\":\"BTCUSD\",\"id\":\"x\",\"time\":1,\"price\":1,\"amount\":1,\"side\":\"buy\"}".getBytes()))
        .hasMessageContaining("'id' must be an integer");
    assertThatThrownBy(() -> Codecs.decodeCandle(
        "{\"symbol\":\"BTCUSD\",\"tf\":\"7m\",\"t\":0,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":0,\"n\":0,\"x\":true}".getBytes()))
        .hasMessageContaining("unknown timeframe '7m'");
  }

  @Test
  void tradeValidationNamesTheProblem() {
    assertThat(new Trade("BTCUSD", 1, 1, 1.0, 0.5, Side.BUY).invalidReason()).isNull();
    assertThat(new Trade("BTCUSD", 1, 1, Double.NaN, 0.5, Side.BUY).invalidReason()).contains("price");
    assertThat(new Trade("BTCUSD", 1, 1, 0, 0.5, Side.BUY).invalidReason()).contains("price");
    assertThat(new Trade("BTCUSD", 1, 1, -3, 0.5, Side.BUY).invalidReason()).contains("price");
    assertThat(new Trade("BTCUSD", 1, 1, 3, -0.5, Side.BUY).invalidReason()).contains("amount");
    assertThat(new Trade("BTCUSD", 1, 1, 3, Double.POSITIVE_INFINITY, Side.BUY).invalidReason()).contains("amount");
    assertThat(new Trade("BTCUSD", -1, 1, 3, 1, Side.BUY).invalidReason()).contains("id");
    assertThat(new Trade("BTCUSD", 1, 1, 3, 1, null).invalidReason()).contains("side");
    assertThat(new Trade("btc-usd", 1, 1, 3, 1, Side.BUY).invalidReason()).contains("symbol");
  }

  @Test
  void tradeLogRecordsAreTradesOrWatermarks() {
    Trade t = new Trade("BTCUSD", 9_007_199_254_740_993L, 1_700_000_000_123L, 37000.5, 0.25, Side.BUY);
    assertThat(Codecs.decodeTradeLog(Codecs.encodeTrade(t))).isEqualTo(new Codecs.TradeRecord(t));
    assertThat(Codecs.decodeTradeLog(Codecs.encodeWatermark("ETHUSD", 1_700_000_001_000L)))
        .isEqualTo(new Codecs.WatermarkRecord("ETHUSD", 1_700_000_001_000L));
    assertThat(Codecs.decodeTradeLog(
        "{\"x\":[1,{\"y\":2}],\"symbol\":\"BTCUSD\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4.5,\"side\":\"sell\"}"
            .getBytes())).isEqualTo(new Codecs.TradeRecord(new Trade("BTCUSD", 1, 2, 3.0, 4.5, Side.SELL)));
    for (String bad : new String[] {
        "", "[]", "{", "{\"symbol\":\"BTCUSD\"}", "{\"symbol\":1,\"watermark\":5}",
        "{\"symbol\":\"A1\",\"watermark\":1.5}",
        "{\"symbol\":\"A1\",\"id\":99999999999999999999,\"time\":1,\"price\":1,\"amount\":1,\"side\":\"buy\"}",
        "{\"symbol\":\"A1\",\"id\":1,\"time\":1,\"price\":\"1\",\"amount\":1,\"side\":\"buy\"}",
        "{\"symbol\":\"A1\",\"id\":1,\"time\":1,\"price\":1,\"amount\":1,\"side\":\"hold\"}"}) {
      assertThatThrownBy(() -> Codecs.decodeTradeLog(bad.getBytes())).as(bad)
          .isInstanceOf(Codecs.DecodeException.class);
    }
  }
}
