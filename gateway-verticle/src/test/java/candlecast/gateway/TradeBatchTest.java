package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.DecodeException;
import candlecast.common.Side;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TradeBatchTest {

  private static List<TapeTrade> trades(int n, Random rnd) {
    List<TapeTrade> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double price =
          rnd.nextInt(4) == 0
              ? Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL) + 1e-300
              : 1 + rnd.nextInt(100_000) / 100.0;
      double amount = rnd.nextInt(4) == 0 ? 1e-9 * rnd.nextInt(1000) : rnd.nextDouble() * 5;
      out.add(
          new TapeTrade(
              100 + i * 3L,
              9_000_000_000_000L + i,
              1_700_000_000_000L + i,
              Math.abs(price),
              amount,
              rnd.nextBoolean() ? Side.BUY : Side.SELL));
    }
    return out;
  }

  @Test
  void framesAreSharedPerBatchSizeAndSplitTheTradesInOrder() {
    List<TapeTrade> ts = trades(7, new Random(1));
    TradeBatch b = TradeBatch.decode(TapeCodec.update("BTCUSD", 50, ts), "BTCUSD");
    Update[] three = b.frames(3);
    assertThat(b.frames(3)).as("encoded once").isSameAs(three);
    assertThat(b.frames(100)).isSameAs(b.frames(100)).hasSize(1);
    assertThat(b.frames(3)).isSameAs(three);
    assertThat(three).hasSize(3);
    List<Long> ids = new ArrayList<>();
    for (Update u : three) {
      JsonObject f = u.frame().toJsonObject();
      assertThat(f.getString("type")).isEqualTo("trades");
      f.getJsonArray("trades").forEach(o -> ids.add(((JsonObject) o).getLong("id")));
      TradeBatch.Chunk c = (TradeBatch.Chunk) u.detail();
      assertThat(c.lastId()).isEqualTo(ids.get(ids.size() - 1));
      assertThat(u.wire().readableBytes()).isGreaterThan(u.frame().length());
    }
    assertThat(ids).isEqualTo(ts.stream().map(TapeTrade::id).toList());
    assertThat(((TradeBatch.Chunk) three[2].detail()).count()).isEqualTo(1);
    Update carrier = b.carrier();
    assertThat(carrier.detail()).isSameAs(b);
    assertThat(carrier.version()).isEqualTo(ts.get(6).seq());
  }

  @Test
  void theFastEncodingReadsBackAsTheSameValuesAsJackson() {
    List<TapeTrade> ts = trades(500, new Random(2));
    JsonObject f = TradeBatch.encode("BTCUSD", ts, 500)[0].frame().toJsonObject();
    JsonArray arr = f.getJsonArray("trades");
    for (int i = 0; i < ts.size(); i++) {
      JsonObject e = arr.getJsonObject(i);
      TapeTrade t = ts.get(i);
      JsonObject viaJackson =
          new JsonObject(
              new JsonObject()
                  .put("id", t.id())
                  .put("t", t.time())
                  .put("p", t.price())
                  .put("q", t.amount())
                  .put("side", t.side().wire())
                  .encode());
      assertThat(e.getDouble("p")).isEqualTo(t.price());
      assertThat(e.getDouble("q")).isEqualTo(t.amount());
      assertThat(e.getLong("id")).isEqualTo(t.id());
      assertThat(e.encode()).isEqualTo(viaJackson.encode());
    }
  }

  @Test
  void afterKeepsOnlyTheTradesPastAPosition() {
    List<TapeTrade> ts = trades(4, new Random(3));
    TradeBatch b = new TradeBatch("BTCUSD", 10, ts);
    TradeBatch rest = b.after(ts.get(1).seq());
    assertThat(rest.trades).isEqualTo(ts.subList(2, 4));
    assertThat(rest.prev).isEqualTo(ts.get(1).seq());
    assertThat(b.after(ts.get(3).seq())).isNull();
  }

  @Test
  void malformedUpdatesAreRefused() {
    List<TapeTrade> ts = trades(2, new Random(4));
    JsonObject good = TapeCodec.update("BTCUSD", 5, ts);
    assertThatThrownBy(() -> TradeBatch.decode("x", "BTCUSD")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> TradeBatch.decode(good, "ETHUSD"))
        .hasMessageContaining("address of ETHUSD");
    assertThatThrownBy(() -> TradeBatch.decode(good.copy().put("prev", "x"), "BTCUSD"))
        .hasMessageContaining("prev");
    assertThatThrownBy(
            () -> TradeBatch.decode(good.copy().put("trades", new JsonArray()), "BTCUSD"))
        .hasMessageContaining("without trades");
    assertThatThrownBy(() -> TradeBatch.decode(good.copy().put("prev", ts.get(0).seq()), "BTCUSD"))
        .hasMessageContaining("not after 'prev'");
  }
}
