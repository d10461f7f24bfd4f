package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FramesTest {

  @Test
  void candleUpdateMapsEveryField() {
    Candle c =
        new Candle(
            "ETHUSD", Timeframe.M5, 1_700_000_100_000L, 10.5, 12.25, 9.75, 11.0, 3.5, 42, true);
    JsonObject j = Frames.candleUpdate(c).toJsonObject();
    assertThat(j)
        .isEqualTo(
            new JsonObject()
                .put("type", "candle")
                .put("symbol", "ETHUSD")
                .put("tf", "5m")
                .put("t", 1_700_000_100_000L)
                .put("open", 10.5)
                .put("high", 12.25)
                .put("low", 9.75)
                .put("close", 11.0)
                .put("volume", 3.5)
                .put("trades", 42L)
                .put("unix_timestamp", 1_700_000_100L)
                .put("time_window_seconds", 300L)
                .put("closed", true));
  }

  /**
   * A partial candle ends its update and its snapshot element with "partial":true; nothing else
   * moves.
   */
  @Test
  void partialCandlesSaySoLast() {
    Candle c =
        new Candle(
            "ETHUSD",
            Timeframe.M5,
            1_700_000_100_000L,
            10.5,
            12.25,
            9.75,
            11.0,
            3.5,
            42,
            true,
            true);
    assertThat(Frames.candleUpdate(c).toString())
        .isEqualTo(
            "{\"type\":\"candle\",\"symbol\":\"ETHUSD\",\"tf\":\"5m\","
                + "\"t\":1700000100000,\"open\":10.5,\"high\":12.25,\"low\":9.75,\"close\":11.0,\"volume\":3.5,\"trades\":42,"
                + "\"unix_timestamp\":1700000100,\"time_window_seconds\":300,\"closed\":true,\"partial\":true}");
    assertThat(Frames.snapshotElement(c).encode())
        .isEqualTo(
            "{\"t\":1700000100000,\"open\":10.5,\"high\":12.25,"
                + "\"low\":9.75,\"close\":11.0,\"volume\":3.5,\"trades\":42,\"unix_timestamp\":1700000100,\"closed\":true,"
                + "\"partial\":true}");
    Candle whole =
        new Candle(
            "ETHUSD", Timeframe.M5, 1_700_000_100_000L, 10.5, 12.25, 9.75, 11.0, 3.5, 42, true);
    assertThat(Frames.candleUpdate(whole).toString())
        .isEqualTo(Frames.candleUpdate(c).toString().replace(",\"partial\":true", ""));
    assertThat(Frames.snapshotElement(whole).containsKey("partial")).isFalse();
    assertThat(
            Frames.snapshot(
                    new SeriesKey("ETHUSD", Timeframe.M5), null, null, java.util.List.of(whole, c))
                .getJsonArray("candles"))
        .containsExactly(Frames.snapshotElement(whole), Frames.snapshotElement(c));
  }

  @Test
  void timeWindowSecondsPerTimeframe() {
    long[] expected = {1, 60, 300, 900, 3600, 14400, 86400, 604800};
    for (Timeframe tf : Timeframe.values()) {
      if (tf == Timeframe.MN1) {
        continue;
      }
      Candle c = new Candle("BTCUSD", tf, tf.windowStart(0), 1, 1, 1, 1, 0, 0, false);
      assertThat(Frames.candleUpdate(c).toJsonObject().getLong("time_window_seconds"))
          .isEqualTo(expected[tf.index()]);
    }
    // 1M: the calendar month's own length (java.time), 2024-02 being a leap February
    for (String month : new String[] {"2024-02", "2025-02", "2025-04", "2025-12"}) {
      java.time.YearMonth ym = java.time.YearMonth.parse(month);
      long open = ym.atDay(1).toEpochDay() * 86_400_000L;
      Candle c = new Candle("BTCUSD", Timeframe.MN1, open, 1, 1, 1, 1, 0, 0, false);
      assertThat(Frames.candleUpdate(c).toJsonObject().getLong("time_window_seconds"))
          .as(month)
          .isEqualTo(ym.lengthOfMonth() * 86_400L);
    }
  }

  @Test
  void unixTimestampFloorsNegativeTimes() {
    Candle c = new Candle("BTCUSD", Timeframe.S1, -1_000L, 1, 1, 1, 1, 0, 0, false);
    assertThat(Frames.candleUpdate(c).toJsonObject().getLong("unix_timestamp")).isEqualTo(-1L);
  }

  @Test
  void acks() {
    assertThat(Frames.subscribed(new SeriesKey("BTCUSD", Timeframe.M1)))
        .isEqualTo(
            new JsonObject().put("type", "subscribed").put("symbol", "BTCUSD").put("tf", "1m"));
    assertThat(Frames.unsubscribed(3))
        .isEqualTo(new JsonObject().put("type", "unsubscribed").put("count", 3));
    assertThat(Frames.error("c", "m", "x".repeat(100)).getString("command")).hasSize(64);
  }

  @Test
  void wireFrameIsAFinalUnmaskedTextFrameSharedByEveryWriter() {
    Buffer b = Buffer.buffer("{\"a\":\"é\"}");
    io.netty.buffer.ByteBuf wire = Frames.wire(b);
    io.netty.buffer.ByteBuf w1 = wire.retainedDuplicate();
    io.netty.buffer.ByteBuf w2 = wire.retainedDuplicate();
    assertThat(w1.readUnsignedByte()).as("FIN + text").isEqualTo((short) 0x81);
    assertThat(w1.readUnsignedByte()).as("unmasked, 7-bit length").isEqualTo((short) b.length());
    assertThat(w1.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"é\"}");
    w1.release();
    assertThat(w2.readableBytes())
        .as("each writer reads its own duplicate")
        .isEqualTo(2 + b.length());
    w2.release();
    assertThat(wire.refCnt()).isEqualTo(1);
    assertThat(b.toString()).isEqualTo("{\"a\":\"é\"}");
    Buffer big = Buffer.buffer("x".repeat(300));
    io.netty.buffer.ByteBuf w3 = Frames.wire(big);
    assertThat(w3.getUnsignedByte(1)).as("16-bit length follows").isEqualTo((short) 126);
    assertThat(w3.getUnsignedShort(2)).isEqualTo(300);
    assertThat(w3.readableBytes()).isEqualTo(4 + 300);
  }

  /** A downloaded or imported candle ends its update and snapshot element with "src". */
  @Test
  void nonTradesCandleCarriesItsSource() {
    for (CandleSource src : CandleSource.values()) {
      Candle c =
          new Candle("AAPL", Timeframe.D1, 86_400_000L, 1, 2, 0.5, 1.5, 10, 0, true, false, src);
      JsonObject update = Frames.candleUpdate(c).toJsonObject();
      JsonObject element = Frames.snapshotElement(c);
      if (src == CandleSource.TRADES) {
        assertThat(update.containsKey("src")).isFalse();
        assertThat(element.containsKey("src")).isFalse();
      } else {
        assertThat(update.getString("src")).isEqualTo(src.wire());
        assertThat(element.getString("src")).isEqualTo(src.wire());
        assertThat(element.getLong("trades")).isZero();
      }
    }
  }
}
