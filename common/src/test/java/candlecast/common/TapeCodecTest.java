package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TapeCodecTest {
  private static final TapeTrade A =
      new TapeTrade(10, 123_456_789_012L, 1_700_000_000_123L, 37_000.5, 0.0125, Side.BUY);
  private static final TapeTrade B =
      new TapeTrade(12, 123_456_789_013L, 1_700_000_000_124L, 37_001, 2, Side.SELL);

  @Test
  void anUpdateHasTheFieldsOfTheProtocolAndRoundTrips() {
    JsonObject u = TapeCodec.update("BTCUSD", 7, List.of(A, B));
    assertThat(u.encode())
        .isEqualTo(
            "{\"symbol\":\"BTCUSD\",\"prev\":7,\"trades\":["
                + "{\"seq\":10,\"id\":123456789012,\"t\":1700000000123,\"p\":37000.5,\"q\":0.0125,\"side\":\"buy\"},"
                + "{\"seq\":12,\"id\":123456789013,\"t\":1700000000124,\"p\":37001.0,\"q\":2.0,\"side\":\"sell\"}]}");
    assertThat(TapeCodec.trades(u)).containsExactly(A, B);
    assertThat(TapeCodec.trades(new JsonObject(u.encode())))
        .as("through text, as between nodes")
        .containsExactly(A, B);
  }

  @Test
  void malformedTradesAreRefusedWithTheReason() {
    JsonObject good = TapeCodec.toJson(A);
    Object[][] bad = {
      {"seq", null, "seq"},
      {"seq", 1.5, "seq"},
      {"seq", -1L, "range"},
      {"id", "x", "id"},
      {"t", null, "'t'"},
      {"p", "1", "'p'"},
      {"p", 0.0, "range"},
      {"q", -1.0, "range"},
      {"side", "hold", "side"},
      {"side", 1, "side"}
    };
    for (Object[] c : bad) {
      JsonObject j = good.copy().put((String) c[0], c[1]);
      assertThatThrownBy(() -> TapeCodec.fromJson(j))
          .as(j.encode())
          .isInstanceOf(DecodeException.class)
          .hasMessageContaining((String) c[2]);
    }
    assertThatThrownBy(() -> TapeCodec.fromJson("x")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> TapeCodec.trades(new JsonObject())).hasMessageContaining("trades");
    assertThatThrownBy(
            () ->
                TapeCodec.trades(
                    new JsonObject()
                        .put(
                            "trades",
                            new JsonArray().add(TapeCodec.toJson(B)).add(TapeCodec.toJson(A)))))
        .hasMessageContaining("out of order");
  }
}
