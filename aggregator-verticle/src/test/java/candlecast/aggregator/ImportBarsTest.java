package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImportBarsTest {
  @Test
  void minuteBarsBuildEveryCoarserTimeframeAsABruteForceFold() {
    Random rnd = new Random(3);
    List<Candle> bars = new ArrayList<>();
    long t = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, 60_000L);
    for (int i = 0; i < 3000; i++) {
      t += 60_000L * (1 + rnd.nextInt(3)); // gaps too
      double o = 100 + rnd.nextInt(50);
      double c = 100 + rnd.nextInt(50);
      bars.add(
          new Candle(
              "X1",
              Timeframe.M1,
              t,
              o,
              Math.max(o, c) + 1,
              Math.min(o, c) - 1,
              c,
              rnd.nextInt(10),
              0,
              true,
              false,
              CandleSource.IMPORT));
    }
    Map<Timeframe, List<Candle>> all = ImportBars.withCoarser(Timeframe.M1, bars);
    assertThat(all.get(Timeframe.M1)).isSameAs(bars);
    assertThat(all.keySet()).doesNotContain(Timeframe.S1).contains(Timeframe.M5, Timeframe.D1);
    for (Map.Entry<Timeframe, List<Candle>> e : all.entrySet()) {
      Timeframe tf = e.getKey();
      if (tf == Timeframe.M1) {
        continue;
      }
      List<Candle> expected = new ArrayList<>();
      for (long w : bars.stream().map(b -> tf.windowStart(b.openTime())).distinct().toList()) {
        List<Candle> in = bars.stream().filter(b -> tf.windowStart(b.openTime()) == w).toList();
        expected.add(
            new Candle(
                "X1",
                tf,
                w,
                in.get(0).open(),
                in.stream().mapToDouble(Candle::high).max().orElseThrow(),
                in.stream().mapToDouble(Candle::low).min().orElseThrow(),
                in.get(in.size() - 1).close(),
                in.stream().mapToDouble(Candle::volume).reduce(0, Double::sum),
                0,
                true,
                false,
                CandleSource.IMPORT));
      }
      assertThat(e.getValue()).as(tf.label()).isEqualTo(expected);
    }
  }

  @Test
  void dailyBarsHaveNoFinerOrEqualCoarser() {
    for (Timeframe t : Timeframe.LIST) {
      if (ImportBars.coarser(Timeframe.D1, t)) {
        assertThat(t.label()).isIn("1w", "1M");
      }
    }
    assertThat(ImportBars.coarser(Timeframe.M15, Timeframe.H1)).isTrue();
    assertThat(ImportBars.coarser(Timeframe.H1, Timeframe.M15)).isFalse();
  }

  @Test
  void startupImportEntriesParseOrSayWhy() {
    assertThat(StartupImports.parse(" AAPL:1d:/data/a:b.csv , msft:1m:x.csv,"))
        .containsExactly(
            new StartupImports.Entry("AAPL", Timeframe.D1, "/data/a:b.csv"),
            new StartupImports.Entry("MSFT", Timeframe.M1, "x.csv"));
    assertThat(StartupImports.parse("")).isEmpty();
    for (String bad : new String[] {"AAPL", "AAPL:1d", "AAPL:2d:x", "A:1d:x", "AAPL:1d: "}) {
      assertThatThrownBy(() -> StartupImports.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not SYMBOL:tf:path");
    }
  }
}
