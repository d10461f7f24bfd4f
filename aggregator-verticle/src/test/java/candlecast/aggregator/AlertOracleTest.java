package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.aggregator.alerts.AlertBookCodec;
import candlecast.aggregator.alerts.AlertEffect;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Alerts of every kind over a generated trade stream folded by the real {@link PartitionFolds}, in
 * random batches, against the offline {@link AlertOracle}; and a restart from a checkpoint in the
 * middle against the uninterrupted run.
 */
class AlertOracleTest {
  private static final int N = 12_000;

  static List<JsonObject> alerts(long fromOffset, String prefix) {
    String[][] defs = {
      {"BTCUSD", "{\"kind\":\"price_above\",\"level\":100.5}", "rearm", "0"},
      {"BTCUSD", "{\"kind\":\"price_below\",\"level\":99.5}", "rearm", "5000"},
      {"ETHUSD", "{\"kind\":\"price_above\",\"level\":100.3}", "once", "0"},
      {"SOLUSD", "{\"kind\":\"price_below\",\"level\":99}", "rearm", "30000"},
      {"BTCUSD", "{\"kind\":\"move_up\",\"pct\":0.3,\"window\":\"5s\"}", "rearm", "0"},
      {"ETHUSD", "{\"kind\":\"move_down\",\"pct\":0.5,\"window\":\"30s\"}", "rearm", "1000"},
      {"SOLUSD", "{\"kind\":\"move_up\",\"pct\":1,\"window\":\"1m\"}", "once", "0"},
      {"BTCUSD", "{\"kind\":\"breakout_high\",\"tf\":\"1s\",\"n\":5}", "rearm", "0"},
      {"ETHUSD", "{\"kind\":\"breakout_low\",\"tf\":\"1m\",\"n\":2}", "rearm", "0"},
      {"BTCUSD", "{\"kind\":\"volume_spike\",\"tf\":\"1s\",\"n\":5,\"k\":2}", "rearm", "0"},
      {"SOLUSD", "{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"n\":3,\"k\":1.5}", "rearm", "0"},
      {"BTCUSD", "{\"kind\":\"rsi_above\",\"tf\":\"1s\",\"period\":5,\"level\":70}", "rearm", "0"},
      {"ETHUSD", "{\"kind\":\"rsi_below\",\"tf\":\"5m\",\"period\":2,\"level\":40}", "rearm", "0"},
      {
        "SOLUSD",
        "{\"kind\":\"rsi_below\",\"tf\":\"1s\",\"period\":14,\"level\":30}",
        "rearm",
        "2000"
      },
      {"BTCUSD", "{\"kind\":\"sma_cross_above\",\"tf\":\"1s\",\"period\":10}", "rearm", "0"},
      {"ETHUSD", "{\"kind\":\"sma_cross_below\",\"tf\":\"1m\",\"period\":3}", "rearm", "0"},
      {"SOLUSD", "{\"kind\":\"sma_cross_above\",\"tf\":\"1s\",\"period\":20}", "once", "0"}
    };
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < defs.length; i++) {
      out.add(
          new JsonObject()
              .put("id", prefix + i)
              .put("owner", "o" + (i % 3))
              .put("symbol", defs[i][0])
              .put("condition", new JsonObject(defs[i][1]))
              .put("mode", defs[i][2])
              .put("cooldownMs", Long.parseLong(defs[i][3]))
              .put("partition", 0)
              .put("fromOffset", fromOffset)
              .put("state", "armed")
              .put("fireCount", 0));
    }
    // an alert that expires mid-stream
    out.add(
        new JsonObject()
            .put("id", prefix + "x")
            .put("owner", "o0")
            .put("symbol", "BTCUSD")
            .put("condition", new JsonObject("{\"kind\":\"price_above\",\"level\":100.2}"))
            .put("mode", "rearm")
            .put("cooldownMs", 0)
            .put("expiresAt", AlertStream.T0 + 600_000)
            .put("fromOffset", fromOffset)
            .put("state", "armed")
            .put("fireCount", 0));
    return out;
  }

  /**
   * Folds records [from, to) in random batches, adding {@code late} alerts at offset {@code at}.
   */
  static void fold(
      PartitionFolds folds,
      AlertStream s,
      int from,
      int to,
      Random rnd,
      int at,
      List<JsonObject> late,
      List<AlertEffect> out) {
    int i = from;
    while (i < to) {
      if (i == at) {
        late.forEach(folds.get(0).book(AlertStream.GRACE)::add);
      }
      int end = Math.min(to, i + 1 + rnd.nextInt(400));
      if (i < at && end > at) {
        end = at;
      }
      out.addAll(folds.fold(s.poll(0, i, end)).alerts());
      i = end;
    }
  }

  private static Map<String, AlertOracle.Fire> observed(List<AlertEffect> effects) {
    Map<String, AlertOracle.Fire> m = new LinkedHashMap<>();
    for (AlertEffect e : effects) {
      if (e.fireId() == null) {
        continue;
      }
      JsonObject ev = e.event();
      JsonObject t = ev.getJsonObject("trade");
      AlertOracle.Fire f =
          new AlertOracle.Fire(
              t == null ? null : t.getLong("id"),
              t == null ? null : t.getLong("offset"),
              ev.getLong("firedAt"),
              ev.getDouble("value"));
      assertThat(m.put(e.fireId(), f)).as("fire %s twice", e.fireId()).isNull();
    }
    return m;
  }

  @Test
  void everyFireIsTheOraclesAtTheCrossingTrade() {
    AlertStream s = new AlertStream(17, N);
    List<JsonObject> early = alerts(0, "a");
    int at = N / 2;
    List<JsonObject> late = alerts(at, "b").subList(0, 7); // price and move alerts from mid-stream
    PartitionFolds folds = new PartitionFolds(AlertStream.GRACE, 100_000);
    folds.put(new PartitionState(0, 0));
    early.forEach(folds.get(0).book(AlertStream.GRACE)::add);
    List<AlertEffect> effects = new ArrayList<>();
    fold(folds, s, 0, N, new Random(5), at, late, effects);

    AlertOracle oracle = new AlertOracle(s);
    early.forEach(oracle::evaluate);
    late.forEach(oracle::evaluate);
    Map<String, AlertOracle.Fire> expected = oracle.fires();
    Map<String, AlertOracle.Fire> got = observed(effects);
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (id, f) -> {
          AlertOracle.Fire g = got.get(id);
          assertThat(g.tradeId()).as(id).isEqualTo(f.tradeId());
          assertThat(g.tradeOffset()).as(id).isEqualTo(f.tradeOffset());
          assertThat(g.firedAt()).as(id).isEqualTo(f.firedAt());
          if (f.value() == null) {
            assertThat(g.value()).as(id).isNull();
          } else {
            assertThat(g.value())
                .as(id)
                .isCloseTo(f.value(), org.assertj.core.data.Offset.offset(1e-9));
          }
        });
    // every kind fired, with candles closed by trades, by watermarks and flat
    List<String> silent = new ArrayList<>();
    for (JsonObject a : early) {
      if (expected.keySet().stream().noneMatch(k -> k.startsWith(a.getString("id") + "|"))) {
        silent.add(a.getString("id"));
      }
    }
    assertThat(silent).as("alerts that never fired").isEmpty();
    assertThat(expected.values())
        .anyMatch(f -> f.tradeId() == null)
        .anyMatch(f -> f.tradeId() != null && f.firedAt() > 0);
    assertThat(effects)
        .anyMatch(e -> e.fireId() == null && e.record().getString("state").equals("expired"));
  }

  @Test
  void aRestartFromAMidStreamCheckpointRederivesTheSameFires() throws Exception {
    AlertStream s = new AlertStream(23, N);
    List<JsonObject> recs = alerts(0, "a");
    int cp = 4_321;
    int crash = 7_000;
    // uninterrupted
    PartitionFolds a = new PartitionFolds(AlertStream.GRACE, 100_000);
    a.put(new PartitionState(0, 0));
    recs.forEach(a.get(0).book(AlertStream.GRACE)::add);
    List<AlertEffect> all = new ArrayList<>();
    fold(a, s, 0, N, new Random(1), -1, List.of(), all);
    // interrupted: checkpoint at cp, recorded fires up to the crash, restore, replay from cp
    PartitionFolds b = new PartitionFolds(AlertStream.GRACE, 100_000);
    b.put(new PartitionState(0, 0));
    recs.forEach(b.get(0).book(AlertStream.GRACE)::add);
    List<AlertEffect> before = new ArrayList<>();
    fold(b, s, 0, cp, new Random(2), -1, List.of(), before);
    PartitionState st = b.get(0);
    byte[] checkpoint =
        PartitionCheckpoint.of(
                0,
                st.nextOffset,
                st.folders.values(),
                AlertBookCodec.encode(st.book(AlertStream.GRACE), 0))
            .encode();
    List<AlertEffect> recorded = new ArrayList<>(before);
    fold(b, s, cp, crash, new Random(3), -1, List.of(), recorded);
    Map<String, JsonObject> latest = new LinkedHashMap<>();
    recs.forEach(r -> latest.put(r.getString("id"), r));
    recorded.forEach(e -> latest.put(e.alertId(), e.record()));

    PartitionState restored = PartitionLoader.decode(0, checkpoint);
    restored
        .book(AlertStream.GRACE)
        .restore(
            AlertBookCodec.decode(restored.checkpointAlerts),
            latest.values(),
            restored.nextOffset - 1);
    PartitionFolds c = new PartitionFolds(AlertStream.GRACE, 100_000);
    c.put(restored);
    List<AlertEffect> replay = new ArrayList<>();
    fold(c, s, cp, N, new Random(4), -1, List.of(), replay);

    Map<String, AlertOracle.Fire> whole = observed(all);
    Map<String, AlertOracle.Fire> first = observed(recorded);
    Map<String, AlertOracle.Fire> again = observed(replay);
    assertThat(again.keySet())
        .as("nothing recorded before the checkpoint comes again")
        .doesNotContainAnyElementsOf(observed(before).keySet());
    Map<String, AlertOracle.Fire> union = new LinkedHashMap<>(first);
    union.putAll(again);
    assertThat(union).isEqualTo(whole);
    again.forEach(
        (id, f) -> {
          if (first.containsKey(id)) {
            assertThat(f).as("replayed %s (skipped as recorded)", id).isEqualTo(first.get(id));
          }
        });
    assertThat(again.keySet()).anyMatch(first::containsKey);
  }
}
