package candlecast.aggregator.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class PositionsTest {
  private static final Predicate<String> KNOWN = Set.of("BTCUSD", "ETHUSD")::contains;

  private static JsonObject pos(Object symbol, Object quantity, Object avgCost) {
    JsonObject j = new JsonObject();
    if (symbol != null) {
      j.put("symbol", symbol);
    }
    if (quantity != null) {
      j.put("quantity", quantity);
    }
    if (avgCost != null) {
      j.put("avgCost", avgCost);
    }
    return j;
  }

  @Test
  void canonicalisesGoodPositions() {
    JsonArray out =
        Positions.all(
            new JsonArray().add(pos("btc-usd", 0.5, 42000)).add(pos("ETHUSD", -2, 3000.5)), KNOWN);
    assertThat(out)
        .containsExactly(
            new JsonObject().put("symbol", "BTCUSD").put("quantity", 0.5).put("avgCost", 42000.0),
            new JsonObject().put("symbol", "ETHUSD").put("quantity", -2.0).put("avgCost", 3000.5));
  }

  @Test
  void refusesEveryBadField() {
    bad(pos(null, 1, 1), "bad_position: position.symbol: missing");
    bad(pos(42, 1, 1), "bad_position: position.symbol: '42' is not a symbol");
    bad(pos("B", 1, 1), "bad_position: position.symbol: 'B' is not a symbol");
    bad(pos("BTCUSD", null, 1), "bad_position: position.quantity: missing");
    bad(pos("BTCUSD", "1", 1), "bad_position: position.quantity: must be a number");
    bad(pos("BTCUSD", 0, 1), "bad_position: position.quantity: must not be 0");
    bad(pos("BTCUSD", Double.NaN, 1), "bad_position: position.quantity: must be finite");
    bad(
        pos("BTCUSD", Double.POSITIVE_INFINITY, 1),
        "bad_position: position.quantity: must be finite");
    bad(pos("BTCUSD", 1, null), "bad_position: position.avgCost: missing");
    bad(pos("BTCUSD", 1, 0), "bad_position: position.avgCost: must be > 0");
    bad(pos("BTCUSD", 1, -3), "bad_position: position.avgCost: must be > 0");
    bad(pos("BTCUSD", 1, Double.NaN), "bad_position: position.avgCost: must be finite");
    bad(pos("BTCUSD", 1, true), "bad_position: position.avgCost: must be a number");
    assertThatThrownBy(() -> Positions.one("x", KNOWN))
        .hasMessageStartingWith("bad_position: position: must be an object");
    assertThatThrownBy(() -> Positions.one(pos("XRPUSD", 1, 1), KNOWN))
        .isInstanceOf(Positions.UnknownSymbol.class)
        .hasMessage("unknown_symbol: XRPUSD");
  }

  @Test
  void refusesBadPortfolios() {
    assertThatThrownBy(() -> Positions.all(new JsonObject(), KNOWN))
        .hasMessageStartingWith("bad_position: positions: must be an array");
    assertThatThrownBy(() -> Positions.all(null, KNOWN))
        .hasMessageStartingWith("bad_position: positions: must be an array");
    assertThatThrownBy(
            () ->
                Positions.all(
                    new JsonArray().add(pos("BTCUSD", 1, 1)).add(pos("BTC-USD", 2, 2)), KNOWN))
        .hasMessageStartingWith("bad_position: positions[1].symbol: a second position in BTCUSD");
    assertThatThrownBy(() -> Positions.all(new JsonArray().add(pos("BTCUSD", 1, 0)), KNOWN))
        .hasMessageStartingWith("bad_position: positions[0].avgCost");
    JsonArray many = new JsonArray();
    for (int i = 0; i <= Positions.MAX; i++) {
      many.add(pos("S" + i + "USD", 1, 1));
    }
    assertThatThrownBy(() -> Positions.all(many, s -> true))
        .hasMessage("bad_position: positions: at most 200 positions, got 201");
    JsonArray full = new JsonArray();
    for (int i = 0; i < Positions.MAX; i++) {
      full.add(pos("S" + i + "USD", 1.0, 1.0));
    }
    assertThat(Positions.all(full, s -> true)).hasSize(Positions.MAX);
    assertThatThrownBy(() -> Positions.upsert(full, pos("NEWUSD", 1.0, 1.0)))
        .hasMessageStartingWith("bad_position: positions: at most 200");
  }

  @Test
  void upsertReplacesOrAppendsAndRemoveDrops() {
    JsonArray cur = Positions.all(new JsonArray().add(pos("BTCUSD", 1, 10)), KNOWN);
    JsonObject eth = Positions.one(pos("ETHUSD", 3, 5), KNOWN);
    JsonObject btc = Positions.one(pos("BTCUSD", -1, 20), KNOWN);
    JsonArray two = Positions.upsert(cur, eth);
    assertThat(two).containsExactly(cur.getJsonObject(0), eth);
    assertThat(Positions.upsert(two, btc)).containsExactly(btc, eth);
    assertThat(Positions.remove(two, "BTCUSD")).containsExactly(eth);
    assertThat(Positions.remove(two, "XRPUSD")).isNull();
  }

  @Test
  void ownerRule() {
    assertThat(Positions.validOwner("alice@example.com")).isTrue();
    assertThat(Positions.validOwner("a:b-c_d.e")).isTrue();
    assertThat(Positions.validOwner("x".repeat(64))).isTrue();
    assertThat(Positions.validOwner("x".repeat(65))).isFalse();
    assertThat(Positions.validOwner("")).isFalse();
    assertThat(Positions.validOwner("a b")).isFalse();
    assertThat(Positions.validOwner(7)).isFalse();
  }

  private static void bad(JsonObject p, String prefix) {
    assertThatThrownBy(() -> Positions.one(p, KNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(prefix);
  }
}
