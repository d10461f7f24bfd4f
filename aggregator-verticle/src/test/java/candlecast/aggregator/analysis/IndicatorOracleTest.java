package candlecast.aggregator.analysis;

import candlecast.aggregator.CandleFolder;
import candlecast.aggregator.CandleSink;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ten indicators against the oracle (ta4j 0.17 with DecimalNum, or the exact definition where
 * ta4j's convention differs; see {@link SeriesOracle}) on a replayed trade file folded by the real
 * {@link CandleFolder}, at several timeframes: every final point of every closed candle (flat ones
 * included) and every provisional point of every open-candle update.
 */
class IndicatorOracleTest {
  private static final Logger LOG = LoggerFactory.getLogger(IndicatorOracleTest.class);

  /** Every kind with its defaults, and short variants so every kind is defined on few candles. */
  static final List<AnalysisSpec> SPECS =
      Stream.of(
              "sma",
              "ema",
              "wma",
              "rsi",
              "macd",
              "bb",
              "atr",
              "stoch",
              "vwap",
              "obv",
              "sma:5",
              "ema:3",
              "wma:4",
              "rsi:3",
              "macd:3:7:4",
              "bb:5:1.5",
              "atr:3",
              "stoch:5:1",
              "stoch:1:3")
          .map(s -> s.contains(":") ? AnalysisSpec.fromKey(s) : AnalysisSpec.parse(s, Map.of()))
          .toList();

  @TempDir Path dir;

  /** About 4 hours of busy trading from 22:30 UTC, over midnight: 1s, 1m and 5m. */
  @Test
  void busyFileAt1s1m5m() throws IOException {
    Path file =
        TradeFile.write(
            dir,
            "busy.csv",
            16,
            30_000,
            Instant.parse("2026-03-14T22:30:00Z").toEpochMilli(),
            300,
            240_000);
    replay(file, 60, Set.of(Timeframe.S1, Timeframe.M1), Timeframe.S1, Timeframe.M1, Timeframe.M5);
  }

  /**
   * About four months of sparse trading over a new year: 5m, 1h, 4h and 1d (OBV's yearly session).
   */
  @Test
  void sparseFileAt5m1h4h1d() throws IOException {
    Path file =
        TradeFile.write(
            dir,
            "sparse.csv",
            17,
            25_000,
            Instant.parse("2025-11-20T07:13:00Z").toEpochMilli(),
            300_000,
            36_000_000);
    replay(
        file,
        60,
        Set.of(Timeframe.M5, Timeframe.H1),
        Timeframe.M5,
        Timeframe.H1,
        Timeframe.H4,
        Timeframe.D1);
  }

  /**
   * @param withFlats the timeframes whose windows the file's quiet stretches leave empty
   */
  private void replay(Path file, int minClosed, Set<Timeframe> withFlats, Timeframe... tfs)
      throws IOException {
    Map<Timeframe, OracleChecker> checkers = new EnumMap<>(Timeframe.class);
    for (Timeframe tf : tfs) {
      checkers.put(tf, new OracleChecker(tf, SPECS));
    }
    CandleSink sink =
        (s, tf, t, o, h, l, c, v, n, closed, partial) -> {
          OracleChecker ch = checkers.get(tf);
          if (ch != null) {
            ch.candle(t, o, h, l, c, v, closed);
          }
        };
    CandleFolder folder = new CandleFolder("BTCUSD", 0, 4096);
    int i = 0;
    for (TradeFile.Rec r : TradeFile.read(file)) {
      if (r.trade()) {
        folder.fold(r.id(), r.time(), r.price(), r.amount(), sink);
      } else {
        folder.advance(r.time(), sink);
      }
      if (++i % 3 == 0) {
        folder.flush(sink);
      }
    }
    folder.flush(sink);
    for (OracleChecker ch : checkers.values()) {
      LOG.info("{} {}", file.getFileName(), ch.summary());
      ch.assertCovered(minClosed, withFlats.contains(ch.timeframe()));
    }
  }
}
