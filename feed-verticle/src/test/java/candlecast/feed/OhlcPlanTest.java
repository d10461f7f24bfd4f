package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OhlcPlanTest {
  private static final long DAY = 86_400_000L;

  @Test
  void everyTimeframeMapsToAnExchangeStepOrIsRefused() {
    for (Timeframe tf : Timeframe.LIST) {
      long step = OhlcPlan.stepFor(tf);
      if (tf == Timeframe.S1) {
        assertThat(step).isZero();
      } else if (OhlcPlan.folded(tf)) {
        assertThat(step).isEqualTo(86_400L);
      } else {
        assertThat(step).isEqualTo(tf.seconds());
        assertThat(OhlcPlan.STEPS).contains(step);
      }
    }
    assertThatThrownBy(() -> OhlcPlan.pages(Timeframe.S1, 0, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1s history is local only");
  }

  /** Pages cover exactly the aligned windows of the range, at most 1000 bars each, no overlap. */
  @Test
  void pagesCoverTheRangeInChunksOfAtMostOneThousand() {
    long from = 1_600_000_000_000L + 1; // not aligned: first page starts at the next minute
    long to = from + 2_500L * 60_000L;
    List<OhlcPlan.Page> pages = OhlcPlan.pages(Timeframe.M1, from, to);
    long expectedFirst = Math.floorDiv(from + 59_999, 60_000) * 60;
    long expectedLast = Math.floorDiv(to, 60_000) * 60;
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).startSec()).isEqualTo(expectedFirst);
    long next = expectedFirst;
    long bars = 0;
    for (OhlcPlan.Page p : pages) {
      assertThat(p.startSec()).isEqualTo(next);
      assertThat(p.limit()).isBetween(1, 1000);
      next = p.endSec() + 60;
      bars += p.limit();
    }
    assertThat(pages.get(2).endSec()).isEqualTo(expectedLast);
    assertThat(bars).isEqualTo((expectedLast - expectedFirst) / 60 + 1);
    assertThat(OhlcPlan.pages(Timeframe.M1, 30_001, 59_999)).isEmpty();
    assertThat(OhlcPlan.path("btcusd", pages.get(0)))
        .isEqualTo(
            "/api/v2/ohlc/btcusd/?step=60&limit=1000&start="
                + expectedFirst
                + "&exclude_current_candle=true");
  }

  @Test
  void tooLargeARangeIsRefused() {
    assertThatThrownBy(() -> OhlcPlan.pages(Timeframe.M1, 0, 60_000L * 1000 * 41))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("range too large");
  }

  @Test
  void readKeepsOnlyThePageSpanAndParsesStrings() {
    OhlcPlan.Page p = new OhlcPlan.Page(600, 3, 60);
    JsonArray rows = new JsonArray();
    for (long ts : new long[] {540, 600, 660, 690, 720, 780}) {
      rows.add(
          new JsonObject()
              .put("timestamp", String.valueOf(ts))
              .put("open", "1.50")
              .put("high", "2")
              .put("low", 1.0)
              .put("close", "1.75")
              .put("volume", "0.00000001"));
    }
    List<Candle> bars =
        OhlcPlan.read(
            "BTCUSD",
            Timeframe.M1,
            p,
            new JsonObject().put("data", new JsonObject().put("ohlc", rows)));
    assertThat(bars).extracting(Candle::openTime).containsExactly(600_000L, 660_000L, 720_000L);
    assertThat(bars.get(0))
        .isEqualTo(
            new Candle(
                "BTCUSD",
                Timeframe.M1,
                600_000L,
                1.5,
                2,
                1,
                1.75,
                1e-8,
                0,
                true,
                false,
                CandleSource.EXCHANGE));
  }

  @Test
  void malformedAnswersSayWhy() {
    OhlcPlan.Page p = new OhlcPlan.Page(600, 3, 60);
    for (String bad :
        new String[] {
          "{}",
          "{\"data\":{}}",
          "{\"data\":{\"ohlc\":{}}}",
          "{\"data\":{\"ohlc\":[1]}}",
          "{\"data\":{\"ohlc\":[{\"timestamp\":\"x\"}]}}",
          "{\"data\":{\"ohlc\":[{\"timestamp\":\"600\",\"open\":\"1\",\"high\":\"1\",\"low\":\"1\","
              + "\"close\":\"NaN\",\"volume\":\"1\"}]}}"
        }) {
      assertThatThrownBy(() -> OhlcPlan.read("BTCUSD", Timeframe.M1, p, new JsonObject(bad)))
          .as(bad)
          .isInstanceOf(DecodeException.class)
          .hasMessageStartingWith("OHLC ");
    }
  }

  /** Folding daily bars into coarser windows against a direct computation. */
  @Test
  void foldBuildsCoarserWindowsFromDailyBars() {
    Timeframe d3 = Timeframe.H4; // any timeframe works for the fold itself; windows of 4 h here
    List<Candle> daily =
        List.of(
            bar(0, 1, 5, 0.5, 2, 1),
            bar(DAY / 24, 2, 3, 1, 2.5, 2),
            bar(5 * DAY / 24, 7, 8, 6, 7.5, 4));
    List<Candle> folded = OhlcPlan.fold(d3, daily, 0, Long.MAX_VALUE);
    assertThat(folded).hasSize(2);
    assertThat(folded.get(0))
        .isEqualTo(
            new Candle("BTCUSD", d3, 0, 1, 5, 0.5, 2.5, 3, 0, true, false, CandleSource.EXCHANGE));
    assertThat(folded.get(1).openTime()).isEqualTo(4 * DAY / 24);
    assertThat(OhlcPlan.fold(d3, daily, 1, Long.MAX_VALUE)).hasSize(1);
  }

  private static Candle bar(long t, double o, double h, double l, double c, double v) {
    return new Candle(
        "BTCUSD", Timeframe.D1, t, o, h, l, c, v, 0, true, false, CandleSource.EXCHANGE);
  }
}
