package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandleCodecTest {
  @Test
  void candleRoundTripsBytewiseAndAsJsonObject() {
    Candle c =
        new Candle(
            "ETHUSD", Timeframe.M5, 1_700_000_100_000L, 1.5, 2.25, 1.0, 2.0, 10.125, 42, true);
    byte[] a = CandleCodec.encode(c);
    assertThat(CandleCodec.decode(a)).isEqualTo(c);
    assertThat(CandleCodec.encode(CandleCodec.decode(a))).isEqualTo(a);
    assertThat(CandleCodec.fromJson(CandleCodec.toJson(c))).isEqualTo(c);
    assertThat(CandleCodec.toJson(c).encode()).isEqualTo(new String(a, StandardCharsets.UTF_8));
    assertThat(c.key()).isEqualTo("ETHUSD|5m|1700000100000");
  }

  /**
   * The exact bytes on the wire: Kafka values, event-bus bodies and REST elements all carry them.
   */
  @Test
  void wireFormatIsPinned() {
    Candle c =
        new Candle(
            "ETHUSD", Timeframe.M5, 1_700_000_100_000L, 1.5, 2.25, 1.0, 2.0, 1.0E-5, 42, false);
    String pinned =
        "{\"symbol\":\"ETHUSD\",\"tf\":\"5m\",\"t\":1700000100000,\"o\":1.5,\"h\":2.25,\"l\":1.0,"
            + "\"c\":2.0,\"v\":1.0E-5,\"n\":42,\"x\":false}";
    assertThat(new String(CandleCodec.encode(c), StandardCharsets.UTF_8)).isEqualTo(pinned);
    assertThat(CandleCodec.toJson(c).encode()).isEqualTo(pinned);
    assertThat(CandleCodec.toJsonArray(List.of(c, c)).encode())
        .isEqualTo("[" + pinned + "," + pinned + "]");
  }

  @Test
  void malformedValuesSayWhy() {
    assertThatThrownBy(
            () ->
                CandleCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"tf\":\"7m\",\"t\":0,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":0,\"n\":0,\"x\":true}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unknown timeframe '7m'");
    assertThatThrownBy(
            () ->
                CandleCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":0,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"n\":0,\"x\":true}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("candle: fields t, o, h, l, c, v and n are required");
    assertThatThrownBy(
            () ->
                CandleCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":0,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":0,\"n\":0,\"x\":1}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("candle: field 'x' must be a boolean");
    assertThatThrownBy(
            () ->
                CandleCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":0.5,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":0,\"n\":0,\"x\":true}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field 't' must be an integer");
    assertThatThrownBy(() -> CandleCodec.decode("{\"symbol\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("malformed JSON: ");
    assertThatThrownBy(
            () -> CandleCodec.fromJson(new JsonObject().put("tf", "1m").put("t", "soon")))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("candle: malformed ");
  }

  /** A partial candle adds {@code "partial":true} after {@code x}, and nothing else changes. */
  @Test
  void partialIsWrittenOnlyWhenTrueAndRoundTrips() {
    Candle c =
        new Candle(
            "ETHUSD",
            Timeframe.M5,
            1_700_000_100_000L,
            1.5,
            2.25,
            1.0,
            2.0,
            1.0E-5,
            42,
            true,
            true);
    String pinned =
        "{\"symbol\":\"ETHUSD\",\"tf\":\"5m\",\"t\":1700000100000,\"o\":1.5,\"h\":2.25,\"l\":1.0,"
            + "\"c\":2.0,\"v\":1.0E-5,\"n\":42,\"x\":true,\"partial\":true}";
    byte[] a = CandleCodec.encode(c);
    assertThat(new String(a, StandardCharsets.UTF_8)).isEqualTo(pinned);
    assertThat(CandleCodec.toJson(c).encode()).isEqualTo(pinned);
    assertThat(CandleCodec.decode(a)).isEqualTo(c);
    assertThat(CandleCodec.fromJson(CandleCodec.toJson(c))).isEqualTo(c);
    Candle whole =
        new Candle(
            "ETHUSD", Timeframe.M5, 1_700_000_100_000L, 1.5, 2.25, 1.0, 2.0, 1.0E-5, 42, true);
    assertThat(whole.partial()).isFalse();
    assertThat(new String(CandleCodec.encode(whole), StandardCharsets.UTF_8))
        .doesNotContain("partial");
    assertThat(CandleCodec.toJson(whole).containsKey("partial")).isFalse();
    String explicitFalse = pinned.replace("\"partial\":true", "\"partial\":false");
    assertThat(CandleCodec.decode(explicitFalse.getBytes(StandardCharsets.UTF_8))).isEqualTo(whole);
    assertThat(CandleCodec.fromJson(new JsonObject(explicitFalse))).isEqualTo(whole);
  }

  @Test
  void malformedPartialSaysWhy() {
    String base =
        "{\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":0,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":0,\"n\":0,"
            + "\"x\":true,\"partial\":";
    for (String bad : new String[] {"1}", "\"true\"}", "null}", "{}}"}) {
      assertThatThrownBy(() -> CandleCodec.decode((base + bad).getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessage("candle: field 'partial' must be a boolean");
      assertThatThrownBy(() -> CandleCodec.fromJson(new JsonObject(base + bad)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessageStartingWith("candle: malformed ");
    }
  }

  /**
   * Exchange and import candles carry {@code src} last; trades candles omit it (absent = trades).
   */
  @Test
  void sourceIsWrittenOnlyWhenNotTradesAndRoundTrips() {
    for (CandleSource src : new CandleSource[] {CandleSource.EXCHANGE, CandleSource.IMPORT}) {
      Candle c =
          new Candle(
              "AAPL", Timeframe.D1, 86_400_000L, 1.5, 2.25, 1.0, 2.0, 7.0, 0, true, false, src);
      String pinned =
          "{\"symbol\":\"AAPL\",\"tf\":\"1d\",\"t\":86400000,\"o\":1.5,\"h\":2.25,\"l\":1.0,"
              + "\"c\":2.0,\"v\":7.0,\"n\":0,\"x\":true,\"src\":\""
              + src.wire()
              + "\"}";
      byte[] a = CandleCodec.encode(c);
      assertThat(new String(a, StandardCharsets.UTF_8)).isEqualTo(pinned);
      assertThat(CandleCodec.toJson(c).encode()).isEqualTo(pinned);
      assertThat(CandleCodec.decode(a)).isEqualTo(c);
      assertThat(CandleCodec.fromJson(CandleCodec.toJson(c))).isEqualTo(c);
      assertThat(c.fromTrades()).isFalse();
    }
    Candle t = new Candle("AAPL", Timeframe.D1, 86_400_000L, 1.5, 2.25, 1.0, 2.0, 7.0, 3, true);
    assertThat(t.src()).isEqualTo(CandleSource.TRADES);
    assertThat(new String(CandleCodec.encode(t), StandardCharsets.UTF_8)).doesNotContain("src");
    String explicit =
        new String(CandleCodec.encode(t), StandardCharsets.UTF_8)
            .replace("}", ",\"src\":\"trades\"}");
    assertThat(CandleCodec.decode(explicit.getBytes(StandardCharsets.UTF_8))).isEqualTo(t);
    assertThat(CandleCodec.fromJson(new JsonObject(explicit))).isEqualTo(t);
  }

  @Test
  void malformedSourceSaysWhy() {
    String base =
        "{\"symbol\":\"BTCUSD\",\"tf\":\"1m\",\"t\":0,\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":0,\"n\":0,"
            + "\"x\":true,\"src\":";
    for (String bad : new String[] {"\"binance\"}", "\"\"}", "\"EXCHANGE\"}"}) {
      assertThatThrownBy(() -> CandleCodec.decode((base + bad).getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessageStartingWith("candle: field 'src' must be \"trades\", \"exchange\" or");
      assertThatThrownBy(() -> CandleCodec.fromJson(new JsonObject(base + bad)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessageStartingWith("candle: field 'src' must be");
    }
    for (String bad : new String[] {"1}", "null}", "true}"}) {
      assertThatThrownBy(() -> CandleCodec.decode((base + bad).getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessage("candle: field 'src' must be a string");
    }
    assertThatThrownBy(
            () ->
                new Candle(
                    "X1", Timeframe.M1, 0, 1, 1, 1, 1, 0, 0, true, false, (CandleSource) null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
