package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TradeCodecTest {
  @Test
  void tradeRoundTripsWithIdsBeyondDoublePrecision() {
    Trade t =
        new Trade(
            "BTCUSD",
            9_007_199_254_740_993L,
            1_700_000_000_123L,
            37000.12345678,
            0.00012345,
            Side.SELL);
    byte[] json = TradeCodec.encode(t);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"symbol\":\"BTCUSD\",\"id\":9007199254740993,\"time\":1700000000123,\"price\":37000.12345678,"
                + "\"amount\":1.2345E-4,\"side\":\"sell\"}");
    assertThat(TradeCodec.decode(json)).isEqualTo(new TradeRecord(t));
    assertThat(TradeCodec.decodeGeneral(json)).isEqualTo(new TradeRecord(t));
  }

  /** The exact bytes of a watermark on the wire. */
  @Test
  void watermarkWireFormatIsPinned() {
    assertThat(
            new String(
                TradeCodec.encodeWatermark("BTCUSD", 1_700_000_001_000L), StandardCharsets.UTF_8))
        .isEqualTo("{\"symbol\":\"BTCUSD\",\"watermark\":1700000001000}");
  }

  @Test
  void malformedValuesSayWhy() {
    assertThatThrownBy(() -> TradeCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> TradeCodec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("JSON object");
    assertThatThrownBy(
            () ->
                TradeCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"id\":1,\"time\":1,\"price\":1,\"amount\":1,\"side\":\"hold\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unknown side 'hold'");
    assertThatThrownBy(
            () ->
                TradeCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"id\":\"x\",\"time\":1,\"price\":1,\"amount\":1,\"side\":\"buy\"}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("'id' must be an integer");
  }

  @Test
  void missingFieldsAreNamed() {
    assertThatThrownBy(() -> TradeCodec.decode("{\"id\":1}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field 'symbol' must be a string");
    assertThatThrownBy(
            () ->
                TradeCodec.decode("{\"symbol\":\"A1\",\"id\":1}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field 'time' must be an integer");
    assertThatThrownBy(
            () ->
                TradeCodec.decode(
                    "{\"symbol\":\"A1\",\"id\":1,\"time\":2,\"amount\":1}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field 'price' must be a number");
    assertThatThrownBy(
            () ->
                TradeCodec.decode(
                    "{\"symbol\":\"A1\",\"id\":1,\"time\":2,\"price\":1}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field 'amount' must be a number");
    assertThatThrownBy(
            () ->
                TradeCodec.decode(
                    "{\"symbol\":\"A1\",\"time\":2,\"price\":1,\"amount\":1}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("field 'id' must be an integer");
  }

  @Test
  void tradeValidationNamesTheProblem() {
    assertThat(new Trade("BTCUSD", 1, 1, 1.0, 0.5, Side.BUY).invalidReason()).isNull();
    assertThat(new Trade("BTCUSD", 1, 1, Double.NaN, 0.5, Side.BUY).invalidReason())
        .contains("price");
    assertThat(new Trade("BTCUSD", 1, 1, 0, 0.5, Side.BUY).invalidReason()).contains("price");
    assertThat(new Trade("BTCUSD", 1, 1, -3, 0.5, Side.BUY).invalidReason()).contains("price");
    assertThat(new Trade("BTCUSD", 1, 1, 3, -0.5, Side.BUY).invalidReason()).contains("amount");
    assertThat(new Trade("BTCUSD", 1, 1, 3, Double.POSITIVE_INFINITY, Side.BUY).invalidReason())
        .contains("amount");
    assertThat(new Trade("BTCUSD", -1, 1, 3, 1, Side.BUY).invalidReason()).contains("id");
    assertThat(new Trade("BTCUSD", 1, 1, 3, 1, null).invalidReason()).contains("side");
    assertThat(new Trade("btc-usd", 1, 1, 3, 1, Side.BUY).invalidReason()).contains("symbol");
  }

  @Test
  void tradeLogRecordsAreTradesWatermarksOrGaps() {
    Trade t =
        new Trade("BTCUSD", 9_007_199_254_740_993L, 1_700_000_000_123L, 37000.5, 0.25, Side.BUY);
    assertThat(TradeCodec.decode(TradeCodec.encode(t))).isEqualTo(new TradeRecord(t));
    assertThat(TradeCodec.decode(TradeCodec.encodeWatermark("ETHUSD", 1_700_000_001_000L)))
        .isEqualTo(new WatermarkRecord("ETHUSD", 1_700_000_001_000L));
    assertThat(TradeCodec.decode(TradeCodec.encodeGap("ETHUSD", 1, 2)))
        .isEqualTo(new GapRecord("ETHUSD", 1, 2));
    assertThat(
            TradeCodec.decode(
                "{\"x\":[1,{\"y\":2}],\"symbol\":\"BTCUSD\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4.5,\"side\":\"sell\"}"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new TradeRecord(new Trade("BTCUSD", 1, 2, 3.0, 4.5, Side.SELL)));
    for (String bad :
        new String[] {
          "",
          "[]",
          "{",
          "{\"symbol\":\"BTCUSD\"}",
          "{\"symbol\":1,\"watermark\":5}",
          "{\"symbol\":\"A1\",\"watermark\":1.5}",
          "{\"symbol\":\"A1\",\"id\":99999999999999999999,\"time\":1,\"price\":1,\"amount\":1,\"side\":\"buy\"}",
          "{\"symbol\":\"A1\",\"id\":1,\"time\":1,\"price\":\"1\",\"amount\":1,\"side\":\"buy\"}",
          "{\"symbol\":\"A1\",\"id\":1,\"time\":1,\"price\":1,\"amount\":1,\"side\":\"hold\"}"
        }) {
      assertThatThrownBy(() -> TradeCodec.decode(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(DecodeException.class);
    }
  }

  /** The exact bytes of a gap record, and its round trip through both decoders. */
  @Test
  void gapWireFormatIsPinnedAndRoundTrips() {
    byte[] json = TradeCodec.encodeGap("BTCUSD", 1_699_990_000_000L, 1_700_000_000_000L);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"symbol\":\"BTCUSD\",\"gap\":{\"from\":1699990000000,\"to\":1700000000000}}");
    GapRecord g = new GapRecord("BTCUSD", 1_699_990_000_000L, 1_700_000_000_000L);
    assertThat(TradeCodec.decode(json)).isEqualTo(g);
    assertThat(TradeCodec.decodeGeneral(json)).isEqualTo(g);
    assertThat(TradeCodec.decode(TradeCodec.encodeGap("ETHUSD", 5, 5)))
        .as("an empty span is a gap")
        .isEqualTo(new GapRecord("ETHUSD", 5, 5));
    assertThat(TradeCodec.decode(TradeCodec.encodeGap("ETHUSD", -7, 3)))
        .isEqualTo(new GapRecord("ETHUSD", -7, 3));
  }

  /** Any field order, white space and extra fields, as for every record. */
  @Test
  void gapDecodesInAnyLayout() {
    assertThat(
            TradeCodec.decode(
                "{ \"gap\" : { \"to\": 20, \"note\": [1, {\"a\": 2}], \"from\": 10 }, \"x\": 1, \"symbol\": \"A1\" }"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new GapRecord("A1", 10, 20));
  }

  @Test
  void malformedGapsSayWhy() {
    String[][] cases = {
      {"{\"symbol\":\"A1\",\"gap\":5}", "field 'gap' must be an object {\"from\":ms,\"to\":ms}"},
      {
        "{\"symbol\":\"A1\",\"gap\":[1,2]}", "field 'gap' must be an object {\"from\":ms,\"to\":ms}"
      },
      {"{\"symbol\":\"A1\",\"gap\":null}", "field 'gap' must be an object {\"from\":ms,\"to\":ms}"},
      {"{\"symbol\":\"A1\",\"gap\":{}}", "field 'gap.from' must be an integer"},
      {"{\"symbol\":\"A1\",\"gap\":{\"from\":1}}", "field 'gap.to' must be an integer"},
      {"{\"symbol\":\"A1\",\"gap\":{\"to\":1}}", "field 'gap.from' must be an integer"},
      {
        "{\"symbol\":\"A1\",\"gap\":{\"from\":1.5,\"to\":2}}", "field 'gap.from' must be an integer"
      },
      {
        "{\"symbol\":\"A1\",\"gap\":{\"from\":1,\"to\":\"2\"}}", "field 'gap.to' must be an integer"
      },
      {
        "{\"symbol\":\"A1\",\"gap\":{\"from\":1,\"to\":99999999999999999999}}",
        "field 'gap.to' must be an integer"
      },
      {"{\"symbol\":\"A1\",\"gap\":{\"from\":3,\"to\":2}}", "gap: 'from' (3) is after 'to' (2)"},
      {"{\"gap\":{\"from\":1,\"to\":2}}", "field 'symbol' must be a string"},
      {"{\"symbol\":7,\"gap\":{\"from\":1,\"to\":2}}", "field 'symbol' must be a string"}
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> TradeCodec.decode(c[0].getBytes(StandardCharsets.UTF_8)))
          .as(c[0])
          .isInstanceOf(DecodeException.class)
          .hasMessage(c[1]);
    }
    assertThatThrownBy(
            () ->
                TradeCodec.decode(
                    "{\"symbol\":\"A1\",\"gap\":{\"from\":1,".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("malformed JSON: ");
  }

  @Test
  void aGapEndingBeforeItStartsIsRefusedOnBothSides() {
    assertThatThrownBy(() -> TradeCodec.encodeGap("A1", 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gap of A1: from 2 is after to 1");
    assertThatThrownBy(() -> new GapRecord("A1", 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
