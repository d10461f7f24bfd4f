package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.DecodeException;
import candlecast.common.GapRecord;
import candlecast.common.Timeframe;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The folder and the independent oracle agree on a messy synthetic log (duplicates, disorder, late,
 * watermarks, gaps), also when the folders are checkpointed and restored in the middle of it.
 */
class OracleTest {
  private static final long GRACE = 300;

  @Test
  void folderAgreesWithOracleOnAMessyLog() {
    Oracle oracle = new Oracle(GRACE, 64);
    Result r = foldAndCompare(TradeLogGenerator.generate(42, 4, 200_000, GRACE), oracle);
    assertThat(r.latest().values()).noneMatch(Candle::partial);
  }

  /**
   * Gap records mark candles partial: open ones, later ones and closed ones re-emitted, exactly as
   * the oracle says.
   */
  @Test
  void folderAgreesWithOracleOnAMessyLogWithGaps() {
    Oracle oracle = new Oracle(GRACE, 64);
    Result r = foldAndCompare(TradeLogGenerator.generate(43, 4, 200_000, GRACE, 100), oracle);
    Map<String, Candle> latest = r.latest();
    assertThat(r.reEmitted()).as("closed candles re-emitted partial").isPositive();
    assertThat(r.forgotten()).as("gaps reaching past the kept closed windows").isPositive();
    assertThat(latest.values())
        .as("closed partial candles")
        .anyMatch(c -> c.partial() && c.closed());
    assertThat(latest.values())
        .as("open partial candles")
        .anyMatch(c -> c.partial() && !c.closed());
    assertThat(latest.values()).as("whole candles").anyMatch(c -> !c.partial());
    for (Timeframe tf : Timeframe.values()) {
      assertThat(latest.values())
          .as("partial candles at " + tf.label())
          .anyMatch(c -> c.partial() && c.tf() == tf);
    }
  }

  /**
   * Messy logs with gaps across calendar boundaries: a month and year boundary (2025-12-31 to
   * 2026-01-01, inside a week), the end of a leap-year February (2024-02-29 to 03-01), and a month
   * boundary that is also a week boundary (Monday 2024-04-01). The oracle's windows come from
   * java.time ({@link OracleWindows}), not from {@link Timeframe}.
   */
  @Test
  void folderAgreesWithOracleAcrossWeekMonthAndYearBoundaries() {
    String[] boundaries = {"2026-01-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z"};
    for (int b = 0; b < boundaries.length; b++) {
      long boundary = java.time.Instant.parse(boundaries[b]).toEpochMilli();
      List<byte[]> log =
          TradeLogGenerator.generate(44 + b, 3, 90_000, GRACE, 20, boundary - 20 * 60_000L);
      Result r = foldAndCompare(log, new Oracle(GRACE, 64));
      for (Timeframe tf : List.of(Timeframe.MN1, Timeframe.W1, Timeframe.D1)) {
        long before = OracleWindows.start(tf, boundary - 1);
        long after = OracleWindows.start(tf, boundary);
        assertThat(after != before)
            .as("%s changes window at %s", tf, boundaries[b])
            .isEqualTo(tf != Timeframe.W1 || b == 2);
        if (after != before) {
          assertThat(r.latest().values())
              .as("%s: the window before %s closed", tf, boundaries[b])
              .anyMatch(c -> c.tf() == tf && c.openTime() == before && c.closed());
          assertThat(r.latest().values())
              .as("%s: the window from %s open", tf, boundaries[b])
              .anyMatch(c -> c.tf() == tf && c.openTime() == after && c.trades() > 0);
        }
      }
    }
  }

  /**
   * The full series the history shows (synthesized flat windows included) by key, how many closed
   * candles were emitted again as partial, and how many times a gap reached back past the closed
   * windows kept.
   */
  private record Result(Map<String, Candle> latest, long reEmitted, long forgotten) {}

  /**
   * Folds {@code log} into folders (flushing, checkpointing and restoring on the way) and checks
   * them against it: the stored candles (those with trades, the latest value of each key) equal the
   * oracle's windows with trades; every window the folder emitted (flat ones on the live stream
   * included) finally holds the oracle's value; and the history — fed live, and rebuilt from the
   * stored records and the restored fold states as after a restart — equals the oracle's full
   * series at every timeframe, flat windows included.
   */
  private static Result foldAndCompare(List<byte[]> log, Oracle oracle) {
    long grace = GRACE;
    Map<String, CandleFolder> folders = new HashMap<>();
    Map<String, Candle> latest = new HashMap<>();
    HistoryStore live = new HistoryStore(new long[Timeframe.COUNT]);
    List<long[]> gaps = new ArrayList<>();
    List<String> gapSymbols = new ArrayList<>();
    long[] reEmitted = new long[1];
    CandleSink sink =
        (s, tf, t, o, h, l, c, v, n, x, p) -> {
          Candle k = new Candle(s, tf, t, o, h, l, c, v, n, x, p);
          Candle was = latest.put(k.key(), k);
          live.put(k);
          if (x && p && was != null && was.closed() && !was.partial()) {
            reEmitted[0]++;
          }
        };
    long forgotten = 0;
    int i = 0;
    for (byte[] rec : log) {
      oracle.accept(rec);
      TradeLogRecord r;
      try {
        r = TradeCodec.decode(rec);
      } catch (DecodeException e) {
        continue;
      }
      CandleFolder f = folders.computeIfAbsent(r.symbol(), s -> new CandleFolder(s, grace, 64));
      if (r instanceof GapRecord g && g.from() < g.to()) {
        live.gap(g.symbol(), g.from(), g.to());
        gaps.add(new long[] {g.from(), g.to()});
        gapSymbols.add(g.symbol());
      }
      forgotten += Records.apply(f, r, sink);
      if (++i % 97 == 0) {
        folders.values().forEach(x -> x.flush(sink));
      }
      if (i % 10_007 == 0) {
        // A checkpoint in mid-batch (changes not flushed yet) and a restart from it: nothing may be
        // lost or altered.
        for (Map.Entry<String, CandleFolder> e : folders.entrySet()) {
          e.setValue(roundTrip(e.getValue()));
        }
      }
    }
    folders.values().forEach(x -> x.flush(sink));
    assertThat(oracle.late).as("the generator makes late trades").isGreaterThan(0);
    assertThat(oracle.duplicates).as("the generator makes duplicates").isGreaterThan(0);
    Map<String, Candle> stored = withTrades(latest);
    assertThat(stored).containsExactlyInAnyOrderEntriesOf(withTrades(oracle.latest()));
    for (Candle c : latest.values()) {
      if (c.trades() > 0 || !c.closed()) {
        assertThat(c).as("emitted").isEqualTo(oracle.latest().get(c.key()));
      }
    }
    Map<String, Candle> history = fullSeries(live, folders.keySet());
    assertThat(history).containsExactlyInAnyOrderEntriesOf(oracle.latest());
    HistoryStore rebuilt = new HistoryStore(new long[Timeframe.COUNT]);
    stored.values().forEach(rebuilt::put);
    for (int g = 0; g < gaps.size(); g++) {
      rebuilt.gap(gapSymbols.get(g), gaps.get(g)[0], gaps.get(g)[1]);
    }
    for (CandleFolder f : folders.values()) {
      rebuilt.seed(roundTrip(f));
    }
    assertThat(fullSeries(rebuilt, folders.keySet()))
        .as("history rebuilt from the stored records and the fold states")
        .containsExactlyInAnyOrderEntriesOf(oracle.latest());
    return new Result(history, reEmitted[0], forgotten);
  }

  private static Map<String, Candle> withTrades(Map<String, Candle> m) {
    Map<String, Candle> out = new HashMap<>();
    m.forEach(
        (k, c) -> {
          if (c.trades() > 0) {
            out.put(k, c);
          }
        });
    return out;
  }

  /** Every window the history answers for the symbols, at every timeframe, by key. */
  static Map<String, Candle> fullSeries(HistoryStore store, Iterable<String> symbols) {
    Map<String, Candle> out = new HashMap<>();
    for (String s : symbols) {
      for (Timeframe tf : Timeframe.values()) {
        List<Candle> all = store.query(s, tf, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
        if (all != null) {
          all.forEach(c -> out.put(c.key(), c));
        }
      }
    }
    return out;
  }

  private static CandleFolder roundTrip(CandleFolder f) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      FolderStateCodec.write(f, new DataOutputStream(bytes));
      return FolderStateCodec.read(
          new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
