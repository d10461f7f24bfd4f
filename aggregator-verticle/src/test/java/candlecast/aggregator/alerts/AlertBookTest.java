package candlecast.aggregator.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertBookTest {
  private static final long T0 = 1_767_200_000_000L;
  private static final WindowSource NONE =
      new WindowSource() {
        @Override
        public void windows(String symbol, Timeframe tf, boolean withOpen, Visitor v) {}

        @Override
        public long watermark(String symbol) {
          return Long.MIN_VALUE;
        }
      };

  private final List<AlertEffect> out = new ArrayList<>();
  private AlertBook book = new AlertBook(0, 0, NONE);
  private long offset;

  AlertBookTest() {
    book.beginBatch(out);
  }

  static JsonObject record(String id, String condition, long fromOffset) {
    return new JsonObject()
        .put("id", id)
        .put("owner", "alice")
        .put("symbol", "BTCUSD")
        .put("condition", new JsonObject(condition))
        .put("fromOffset", fromOffset)
        .put("state", "armed")
        .put("fireCount", 0);
  }

  private void trade(long time, double price) {
    book.beforeRecord(offset);
    book.onTrade("BTCUSD", offset, 1000 + offset, time, price, 1.0);
    offset++;
  }

  private List<String> fires() {
    List<String> ids = new ArrayList<>();
    for (AlertEffect e : out) {
      if (e.fireId() != null) {
        ids.add(e.fireId());
      }
    }
    return ids;
  }

  @Test
  void priceAboveFiresOnceOnTheCrossingTrade() {
    book.add(record("a", "{\"kind\":\"price_above\",\"level\":100}", 0));
    trade(T0, 101); // the first trade only sets the previous price
    trade(T0 + 1, 99);
    trade(T0 + 2, 100); // crosses: >= level after < level
    trade(T0 + 3, 99);
    trade(T0 + 4, 105);
    assertThat(fires()).containsExactly("a|t:2");
    AlertEffect e = out.get(0);
    assertThat(e.event().getJsonObject("trade").getLong("id")).isEqualTo(1002);
    assertThat(e.event().getDouble("value")).isEqualTo(100.0);
    assertThat(e.event().getBoolean("final")).isTrue();
    assertThat(e.record().getString("state")).isEqualTo("fired");
    assertThat(e.record().getInteger("fireCount")).isEqualTo(1);
    assertThat(book.holds("a")).isFalse();
  }

  @Test
  void priceBelowUsesTheLastPriceBeforeItsOffset() {
    trade(T0, 90); // before the alert: the previous price at activation is 90 (not above 95)
    book.add(record("b", "{\"kind\":\"price_below\",\"level\":95}", offset));
    trade(T0 + 1, 94);
    trade(T0 + 2, 96);
    trade(T0 + 3, 95);
    assertThat(fires()).containsExactly("b|t:3");
  }

  @Test
  void rearmFiresOnEachCrossingOutsideTheCooldown() {
    JsonObject r = record("r", "{\"kind\":\"price_above\",\"level\":10}", 0);
    book.add(r.put("mode", "rearm").put("cooldownMs", 1000));
    trade(T0, 9);
    trade(T0 + 10, 11); // fire 1
    trade(T0 + 20, 9);
    trade(T0 + 500, 11); // inside the cool-down: a crossing, not a fire
    trade(T0 + 1200, 12); // no crossing (already above)
    trade(T0 + 1300, 9);
    trade(T0 + 1400, 10); // fire 2
    assertThat(fires()).containsExactly("r|t:1", "r|t:6");
    assertThat(out.get(1).event().getInteger("seq")).isEqualTo(2);
    assertThat(out.get(1).event().getBoolean("final")).isFalse();
    assertThat(out.get(1).record().getString("state")).isEqualTo("armed");
  }

  @Test
  void theFirstTradeAtOrAfterExpiryExpiresTheAlert() {
    JsonObject r = record("x", "{\"kind\":\"price_above\",\"level\":10}", 0);
    book.add(r.put("expiresAt", T0 + 100));
    trade(T0, 9);
    trade(T0 + 100, 11); // expires before it is evaluated
    assertThat(fires()).isEmpty();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).record().getString("state")).isEqualTo("expired");
    assertThat(book.holds("x")).isFalse();
  }

  @Test
  void theHeapsFireExactlyWhatAScanOfEveryAlertFires() {
    Random rnd = new Random(7);
    int n = 5_000;
    double[] level = new double[n];
    boolean[] above = new boolean[n];
    for (int i = 0; i < n; i++) {
      level[i] = 90 + rnd.nextInt(2000) / 100.0;
      above[i] = rnd.nextBoolean();
      String kind = above[i] ? "price_above" : "price_below";
      book.add(
          record("p" + i, "{\"kind\":\"" + kind + "\",\"level\":" + level[i] + "}", 0)
              .put("mode", "rearm")
              .put("cooldownMs", 0));
    }
    List<String> expected = new ArrayList<>();
    double prev = Double.NaN;
    double price = 100;
    for (int k = 0; k < 3000; k++) {
      price = Math.max(80, Math.min(120, price + (rnd.nextInt(201) - 100) / 100.0));
      if (!Double.isNaN(prev)) {
        for (int i = 0; i < n; i++) {
          boolean cross =
              above[i]
                  ? price >= level[i] && prev < level[i]
                  : price <= level[i] && prev > level[i];
          if (cross) {
            expected.add("p" + i + "|t:" + k);
          }
        }
      }
      trade(T0 + k, price);
      prev = price;
    }
    assertThat(fires()).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected.size()).isGreaterThan(1000);
  }

  @Test
  void movesFireWhenTheWindowsMinimumIsLeftByThePercentageAndAgainOnlyAfterFalse() {
    book.add(
        record("m", "{\"kind\":\"move_up\",\"pct\":2,\"window\":\"5s\"}", 0)
            .put("mode", "rearm")
            .put("cooldownMs", 0));
    book.add(record("d", "{\"kind\":\"move_down\",\"pct\":1,\"window\":\"5s\"}", 0));
    trade(T0, 100);
    trade(T0 + 1000, 101);
    trade(T0 + 2000, 102); // +2 % over the minimum 100: fire
    trade(T0 + 2500, 102.5); // still true: no fire
    trade(T0 + 6100, 102.5); // the window [1100, 6100] min is 102: false
    trade(T0 + 6200, 104.6); // 104.6 >= 102 * 1.02 = 104.04: fire again
    trade(T0 + 6300, 103.5); // max 104.6 * 0.99 = 103.554: move down 1 %
    assertThat(fires()).containsExactly("m|t:2", "m|t:5", "d|t:6");
    assertThat(out.get(0).event().getDouble("value"))
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void breakoutsUseTheSeededWindowsAndFlatsAtThePreviousClose() {
    long w = 60_000;
    long base = Timeframe.M1.windowStart(T0);
    JsonArray seed = new JsonArray();
    seed.add(new JsonArray().add(base - 3 * w).add(100).add(110).add(95).add(100).add(5));
    seed.add(new JsonArray().add(base - 2 * w).add(100).add(104).add(99).add(103).add(5));
    // base - w: no trades (flat at 103)
    book.add(
        record("h", "{\"kind\":\"breakout_high\",\"tf\":\"1m\",\"n\":2}", 0).put("seed", seed));
    book.add(record("l", "{\"kind\":\"breakout_low\",\"tf\":\"1m\",\"n\":3}", 0).put("seed", seed));
    trade(base + 1, 103.5);
    trade(base + 2, 104.5); // above max(104, 103): fire h
    trade(base + 3, 96); // low level min(95, 99, 103) = 95: no fire
    trade(base + 4, 94.9); // below 95 after 96: fire l
    assertThat(fires()).containsExactly("h|t:1", "l|t:3");
    assertThat(out.get(0).event().getDouble("threshold")).isEqualTo(104.0);
  }

  private void closed(long t, double c, double v) {
    if (book.wantsClosed("BTCUSD", Timeframe.M1)) { // as PartitionFolds asks
      book.onClosed("BTCUSD", Timeframe.M1, t, c, c, c, c, v, 1);
    }
  }

  @Test
  void volumeSpikesCountFlatWindowsAsZero() {
    long base = Timeframe.M1.windowStart(T0);
    book.add(record("v", "{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"n\":3,\"k\":2}", 0));
    book.beforeRecord(0);
    closed(base, 10, 3);
    closed(base + 60_000, 10, 3);
    closed(base + 120_000, 10, 3);
    closed(base + 180_000, 10, 6); // 6 > 2 * 3 is false
    closed(base + 300_000, 10, 8.1); // flat at 240000: mean (3 + 6 + 0) / 3 = 3, 8.1 > 6
    assertThat(fires()).containsExactly("v|c:1m:" + (base + 300_000));
    assertThat(out.get(0).event().getDouble("value"))
        .isCloseTo(2.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(out.get(0).event().getValue("trade")).isNull();
    assertThat(out.get(0).event().getLong("firedAt")).isEqualTo(base + 360_000);
  }

  @Test
  void smaAndRsiCrossesFireOnTheClosedCandleThatCrosses() {
    long base = Timeframe.M1.windowStart(T0);
    book.add(record("s", "{\"kind\":\"sma_cross_above\",\"tf\":\"1m\",\"period\":3}", 0));
    book.add(record("r", "{\"kind\":\"rsi_above\",\"tf\":\"1m\",\"period\":2,\"level\":60}", 0));
    book.beforeRecord(0);
    double[] closes = {10, 9, 8, 7, 9, 12};
    for (int i = 0; i < closes.length; i++) {
      closed(base + i * 60_000L, closes[i], 1);
    }
    // SMA(3): 9, 8, 8, 9.33 at i = 2..5; close 9 > 8 after 7 <= 8 at i = 4.
    // RSI(2): changes -1,-1,-1,+2,+3: at i=3 gains 0 -> 0; i=4: g=(0+2)/2=1, l=(1+0)/2=0.5 -> 66.7
    // crosses 60.
    assertThat(fires())
        .containsExactlyInAnyOrder("s|c:1m:" + (base + 240_000), "r|c:1m:" + (base + 240_000));
  }

  @Test
  void theStateRoundTripsAndTheRestoredBookContinuesIdentically() throws Exception {
    List<JsonObject> recs = new ArrayList<>();
    recs.add(
        record("a", "{\"kind\":\"price_above\",\"level\":101}", 0)
            .put("mode", "rearm")
            .put("cooldownMs", 0));
    recs.add(
        record("m", "{\"kind\":\"move_down\",\"pct\":0.5,\"window\":\"10s\"}", 0)
            .put("mode", "rearm")
            .put("cooldownMs", 0));
    recs.add(
        record("b", "{\"kind\":\"breakout_high\",\"tf\":\"1s\",\"n\":3}", 0)
            .put("mode", "rearm")
            .put("cooldownMs", 0));
    recs.forEach(book::add);
    Random rnd = new Random(3);
    double[] prices = new double[400];
    for (int i = 0; i < prices.length; i++) {
      prices[i] = 100 + rnd.nextInt(300) / 100.0;
    }
    for (int i = 0; i < 200; i++) {
      trade(T0 + i * 300L, prices[i]);
    }
    byte[] state = AlertBookCodec.encode(book, 42);
    AlertBookCodec.Snapshot snap = AlertBookCodec.decode(state);
    assertThat(snap.firesOffset()).isEqualTo(42);
    AlertBook restored = new AlertBook(0, 0, NONE);
    assertThat(restored.restore(snap, recs, offset - 1)).isZero();
    List<AlertEffect> outB = new ArrayList<>();
    restored.beginBatch(outB);
    out.clear();
    for (int i = 200; i < prices.length; i++) {
      book.beforeRecord(offset);
      book.onTrade("BTCUSD", offset, offset, T0 + i * 300L, prices[i], 1);
      restored.beforeRecord(offset);
      restored.onTrade("BTCUSD", offset, offset, T0 + i * 300L, prices[i], 1);
      offset++;
    }
    assertThat(out).isNotEmpty();
    assertThat(outB.stream().map(e -> e.event().encode()).toList())
        .isEqualTo(out.stream().map(e -> e.event().encode()).toList());
    assertThat(AlertBookCodec.encode(restored, 42)).isEqualTo(AlertBookCodec.encode(book, 42));
  }

  @Test
  void aThousandArmedPriceAlertsThatNeverFiredAddNothingToTheState() {
    trade(T0, 50);
    int before = AlertBookCodec.encode(book, 0).length;
    for (int i = 0; i < 1000; i++) {
      book.add(record("q" + i, "{\"kind\":\"price_above\",\"level\":" + (100 + i) + "}", offset));
    }
    trade(T0 + 1, 51);
    assertThat(AlertBookCodec.encode(book, 0).length).isEqualTo(before);
  }

  @Test
  void removedAlertsNeverFire() {
    book.add(record("a", "{\"kind\":\"price_above\",\"level\":100}", 0));
    trade(T0, 99);
    assertThat(book.remove("a")).isTrue();
    trade(T0 + 1, 101);
    assertThat(fires()).isEmpty();
    assertThat(book.remove("a")).isFalse();
  }

  @Test
  void recordsWithoutIdOrOwnerOrWithABadConditionAreRefused() {
    JsonObject r = record("a", "{\"kind\":\"price_above\",\"level\":100}", 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> book.add(r.copy().put("id", null)))
        .hasMessage("bad_alert: id: missing");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> book.add(r.copy().put("owner", null)))
        .hasMessage("bad_alert: owner: missing");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> book.add(r.copy().put("condition", new JsonObject().put("kind", "nope"))))
        .hasMessageStartingWith("bad_alert: condition.kind: unknown kind");
    assertThat(book.size()).isZero();
  }
}
