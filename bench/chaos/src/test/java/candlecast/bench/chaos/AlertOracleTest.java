package candlecast.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertOracleTest {
  /** Prices 10, 12, 9, 11, 11, 8, 12 at offsets 0..6, trade ids 100.., times 1000 × offset. */
  private static List<AlertOracle.LogTrade> tape() {
    double[] p = {10, 12, 9, 11, 11, 8, 12};
    List<AlertOracle.LogTrade> out = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      out.add(new AlertOracle.LogTrade(i, 100 + i, 1000L * i, p[i]));
    }
    return out;
  }

  private static JsonObject alert(
      String kind, double level, String mode, long cooldown, long from) {
    return new JsonObject()
        .put("id", "al-x")
        .put("symbol", "BTCUSD")
        .put("condition", new JsonObject().put("kind", kind).put("level", level))
        .put("mode", mode)
        .put("cooldownMs", cooldown)
        .put("fromOffset", from);
  }

  private static List<Long> offsets(List<AlertOracle.Fire> fires) {
    return fires.stream().map(f -> f.trade().offset()).toList();
  }

  @Test
  void handCheckedCrossings() {
    List<AlertOracle.LogTrade> t = tape();
    // up-crossings of 10.5: 10→12 (1), 9→11 (3), 8→12 (6)
    assertThat(offsets(AlertOracle.fires(t, alert("price_above", 10.5, "rearm", 0, 0))))
        .containsExactly(1L, 3L, 6L);
    // 2.5 s cool-down: the crossing at 3000 ms is inside 1000 + 2500, consumed
    assertThat(offsets(AlertOracle.fires(t, alert("price_above", 10.5, "rearm", 2500, 0))))
        .containsExactly(1L, 6L);
    // from offset 2 on; from offset 1 the previous trade (offset 0) still counts
    assertThat(offsets(AlertOracle.fires(t, alert("price_above", 10.5, "rearm", 0, 2))))
        .containsExactly(3L, 6L);
    assertThat(offsets(AlertOracle.fires(t, alert("price_above", 10.5, "once", 0, 1))))
        .containsExactly(1L);
    // down-crossings of 10: 12→9 (2), 11→8 (5); once fires on the first only
    assertThat(offsets(AlertOracle.fires(t, alert("price_below", 10, "rearm", 0, 0))))
        .containsExactly(2L, 5L);
    assertThat(offsets(AlertOracle.fires(t, alert("price_below", 10, "once", 0, 0))))
        .containsExactly(2L);
    // price = level counts (≥), a previous price equal to the level does not (<): 11→11 no
    assertThat(offsets(AlertOracle.fires(t, alert("price_above", 11, "rearm", 0, 0))))
        .containsExactly(1L, 3L, 6L);
    // the first trade has no previous trade: never a crossing
    assertThat(AlertOracle.fires(t, alert("price_above", 5, "rearm", 0, 0))).isEmpty();
  }

  @Test
  void fireCarriesIdTradeAndSeq() {
    List<AlertOracle.Fire> f = AlertOracle.fires(tape(), alert("price_below", 10, "rearm", 0, 0));
    assertThat(f.get(1).fire()).isEqualTo("al-x|t:5");
    assertThat(f.get(1).seq()).isEqualTo(2);
    assertThat(f.get(1).trade()).isEqualTo(new AlertOracle.LogTrade(5, 105, 5000, 8));
  }

  @Test
  void aDuplicateTradeIsNotEvaluatedAndKeepsThePreviousPrice() {
    List<AlertOracle.LogTrade> t = new ArrayList<>(tape().subList(0, 3)); // 10, 12, 9
    t.add(new AlertOracle.LogTrade(3, 101, 1000, 12)); // id 101 again: no 9→12 crossing
    t.add(new AlertOracle.LogTrade(4, 103, 3000, 11)); // 9→11 crosses
    assertThat(offsets(AlertOracle.fires(t, alert("price_above", 10.5, "rearm", 0, 0))))
        .containsExactly(1L, 4L);
  }

  @Test
  void otherKindsAreRefused() {
    JsonObject move =
        alert("price_above", 1, "once", 0, 0)
            .put("condition", new JsonObject().put("kind", "move_up").put("pct", 1.0));
    assertThatThrownBy(() -> AlertOracle.fires(tape(), move))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("move_up");
  }

  /**
   * Over random walks: the fires are exactly the set the contract's three properties pin down,
   * checked independently of the oracle's loop: every fire is a crossing at or after fromOffset;
   * fires are at least the cool-down apart; every crossing not fired lies inside the cool-down of
   * the fire before it (for once alerts: only the first crossing fires).
   */
  @Test
  void firesAreExactlyTheCrossingsOutsideTheCooldown() {
    Random rnd = new Random(19);
    for (int run = 0; run < 300; run++) {
      List<AlertOracle.LogTrade> t = new ArrayList<>();
      double p = 100;
      long time = 0;
      for (int i = 0; i < 200; i++) {
        p = Math.round((p + rnd.nextInt(5) - 2) * 100) / 100.0;
        time += 1 + rnd.nextInt(1000);
        t.add(new AlertOracle.LogTrade(i, 1000 + i, time, p));
      }
      boolean above = rnd.nextBoolean();
      double level = 95 + rnd.nextInt(11);
      String mode = rnd.nextBoolean() ? "rearm" : "once";
      long cooldown = rnd.nextInt(4) * 2000L;
      long from = rnd.nextInt(100);
      List<AlertOracle.Fire> fires =
          AlertOracle.fires(
              t, alert(above ? "price_above" : "price_below", level, mode, cooldown, from));
      List<Integer> crossings = new ArrayList<>();
      for (int i = (int) Math.max(1, from); i < t.size(); i++) {
        double a = t.get(i - 1).price();
        double b = t.get(i).price();
        if (above ? a < level && b >= level : a > level && b <= level) {
          crossings.add(i);
        }
      }
      List<Long> fired = offsets(fires);
      assertThat(crossings.stream().map(Long::valueOf).toList()).containsAll(fired);
      if ("once".equals(mode)) {
        assertThat(fired)
            .isEqualTo(crossings.isEmpty() ? List.of() : List.of((long) crossings.get(0)));
        continue;
      }
      Long prevFire = null;
      for (int c : crossings) {
        boolean isFire = fired.contains((long) c);
        boolean outside =
            prevFire == null || t.get(c).time() >= t.get(prevFire.intValue()).time() + cooldown;
        assertThat(isFire).as("run %d crossing %d", run, c).isEqualTo(outside);
        if (isFire) {
          prevFire = (long) c;
        }
      }
      for (int i = 0; i < fires.size(); i++) {
        assertThat(fires.get(i).seq()).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void levelsAreQuantilesOfThePrices() {
    List<Double> prices = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
    assertThat(AlertOracle.level(prices, 0.5)).isEqualTo(3.0);
    assertThat(AlertOracle.level(prices, 0.0)).isEqualTo(1.0);
    assertThat(AlertOracle.level(prices, 1.0)).isEqualTo(5.0);
    assertThatThrownBy(() -> AlertOracle.level(List.of(), 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The fleet's definitions over a generated run: each alert of the run fires at least once. */
  @Test
  void theFleetsLevelsAreCrossedByTheGroundTruth() {
    GroundTruth gt = GroundTruth.generate(7, ChaosMain.SYMBOLS, 5, 180, 1_700_000_000_000L);
    for (String sym : ChaosMain.SYMBOLS) {
      List<AlertOracle.LogTrade> log = new ArrayList<>();
      for (GroundTruth.Trade x : gt.of(sym)) {
        log.add(new AlertOracle.LogTrade(log.size(), x.id(), x.time(), x.price()));
      }
      List<Double> prices = gt.of(sym).stream().map(GroundTruth.Trade::price).toList();
      int i = 0;
      for (JsonObject def : AlertFleet.definitions(sym, prices)) {
        JsonObject a = def.copy().put("id", "al-" + i++).put("fromOffset", 0L);
        Map<String, AlertOracle.Fire> f = AlertOracle.fires(Map.of(sym, log), List.of(a));
        assertThat(f).as("%s %s", sym, def).isNotEmpty();
      }
    }
  }
}
