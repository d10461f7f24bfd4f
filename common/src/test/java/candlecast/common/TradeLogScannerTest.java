package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path of {@link TradeCodec#decode} decodes exactly what the general decoder decodes, bit
 * for bit.
 */
class TradeLogScannerTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void canonicalTradesDecodeToTheSameValuesAsTheGeneralDecoder() {
    Random rnd = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      double price =
          switch (i % 5) {
            case 0 -> Math.round(rnd.nextDouble() * 1e7) / 100.0; // cents
            case 1 ->
                rnd.nextDouble() * Math.pow(10, rnd.nextInt(30) - 10); // any magnitude, 17 digits
            case 2 -> Math.exp(rnd.nextGaussian() * 10); // exponents in Double.toString
            case 3 -> rnd.nextInt(1_000_000); // integral
            default ->
                Double.longBitsToDouble(
                    rnd.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL); // random finite bits
          };
      double amount = Math.exp(rnd.nextGaussian()) * 0.01;
      Trade t =
          new Trade(
              i % 3 == 0 ? "BTCUSD" : "ETH-EUR" + (i % 7),
              rnd.nextLong() >>> rnd.nextInt(64),
              1_700_000_000_000L + rnd.nextInt(),
              price,
              amount,
              i % 2 == 0 ? Side.BUY : Side.SELL);
      byte[] bytes = TradeCodec.encode(t);
      TradeLogRecord fast = TradeLogScanner.scan(bytes);
      TradeLogRecord general = TradeCodec.decodeGeneral(bytes);
      if (fast == null) { // only ids beyond 18 digits leave the fast path
        assertThat(Long.toString(t.id()).length())
            .as(new String(bytes, StandardCharsets.UTF_8))
            .isGreaterThan(18);
        continue;
      }
      Trade f = ((TradeRecord) fast).trade();
      Trade g = ((TradeRecord) general).trade();
      assertThat(f).as(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(g).isEqualTo(t);
      assertThat(Double.doubleToRawLongBits(f.price()))
          .isEqualTo(Double.doubleToRawLongBits(g.price()));
      assertThat(Double.doubleToRawLongBits(f.amount()))
          .isEqualTo(Double.doubleToRawLongBits(g.amount()));
    }
  }

  @Test
  void numberSpellingsTheGeneratorNeverWritesStillMatch() {
    String[] numbers = {
      "0",
      "-0",
      "-0.0",
      "1",
      "10",
      "1.5",
      "0.1",
      "0.0001",
      "123456789012345",
      "1234567890123456789",
      "1E5",
      "1e-5",
      "2.5E+3",
      "9007199254740993",
      "0.30000000000000004",
      "1e22",
      "1e23",
      "1e-22",
      "1e-23",
      "4.9E-324",
      "1.7976931348623157E308",
      "100000000000000000000000",
      "0.000000000000000000000000001"
    };
    for (String n : numbers) {
      byte[] bytes =
          b(
              "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":"
                  + n
                  + ",\"amount\":"
                  + n
                  + ",\"side\":\"sell\"}");
      TradeLogRecord fast = TradeLogScanner.scan(bytes);
      assertThat(fast).as(n).isNotNull();
      Trade f = ((TradeRecord) fast).trade();
      Trade g = ((TradeRecord) TradeCodec.decodeGeneral(bytes)).trade();
      assertThat(Double.doubleToRawLongBits(f.price()))
          .as(n)
          .isEqualTo(Double.doubleToRawLongBits(g.price()));
      assertThat(Double.doubleToRawLongBits(f.amount()))
          .as(n)
          .isEqualTo(Double.doubleToRawLongBits(g.amount()));
    }
  }

  @Test
  void watermarksTakeTheFastPath() {
    byte[] bytes = TradeCodec.encodeWatermark("BTCUSD", 1_700_000_001_000L);
    assertThat(TradeLogScanner.scan(bytes))
        .isEqualTo(new WatermarkRecord("BTCUSD", 1_700_000_001_000L))
        .isEqualTo(TradeCodec.decodeGeneral(bytes));
  }

  /** Gap records are rare: the scanner leaves them to the general decoder, which decodes them. */
  @Test
  void gapsTakeTheGeneralPath() {
    byte[] bytes = TradeCodec.encodeGap("BTCUSD", 1_699_990_000_000L, 1_700_000_000_000L);
    assertThat(TradeLogScanner.scan(bytes)).isNull();
    assertThat(TradeCodec.decode(bytes))
        .isEqualTo(new GapRecord("BTCUSD", 1_699_990_000_000L, 1_700_000_000_000L));
  }

  /**
   * Anything but the canonical form goes to the general decoder, which accepts or rejects it with
   * its reason.
   */
  @Test
  void otherFormsFallBackToTheGeneralDecoder() {
    String[] other = {
      "{\"id\":1,\"symbol\":\"X\",\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"}", // field
      // order
      "{ \"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"}", // white
      // space
      "{\"symbol\":\"X\\u0041\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"}", // escape
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"BUY\"}", // side
      // spelling
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\",\"extra\":1}",
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"} ",
      "{\"symbol\":\"X\",\"id\":1.5,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"}",
      "{\"symbol\":\"X\",\"id\":01,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"}",
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":1.,\"amount\":4,\"side\":\"buy\"}",
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":.5,\"amount\":4,\"side\":\"buy\"}",
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":\"3\",\"amount\":4,\"side\":\"buy\"}",
      "{\"symbol\":\"\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"}",
      "{\"symbol\":\"X\",\"id\":1,\"time\":2,\"price\":3,\"amount\":4,\"side\":\"buy\"",
      "{\"symbol\":\"X\",\"watermark\":5.0}",
      "",
    };
    for (String s : other) {
      assertThat(TradeLogScanner.scan(b(s))).as(s).isNull();
    }
    assertThat(((TradeRecord) TradeCodec.decode(b(other[0]))).trade().side()).isEqualTo(Side.BUY);
    assertThat(((TradeRecord) TradeCodec.decode(b(other[3]))).trade().side()).isEqualTo(Side.BUY);
    assertThatThrownBy(() -> TradeCodec.decode(b(other[6])))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("'id' must be an integer");
    assertThatThrownBy(() -> TradeCodec.decode(b(other[10])))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("'price' must be a number");
    assertThatThrownBy(() -> TradeCodec.decode(b(other[12]))).isInstanceOf(DecodeException.class);
  }
}
