package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay file (the feed's CSV format {@code symbol,id,time,price,amount,side}) spanning month and
 * year boundaries, folded in file order: its 1d, 1w and 1M candles equal an offline oracle that
 * groups the file's trades by java.time's calendar ({@link OracleWindows}), not by {@link
 * Timeframe}. LEAP runs 2023-12-18 to 2024-03-12 (New Year on a Monday, the leap day 2024-02-29 in
 * the week of Monday 02-26 that also crosses into March); NEWYR runs 2025-12-15 to 2026-01-20 (the
 * week of Monday 2025-12-29 holds New Year 2026).
 */
class CalendarFoldTest {
  private static final long GRACE = 2_000;
  private static final List<Timeframe> CHECKED = List.of(Timeframe.D1, Timeframe.W1, Timeframe.MN1);

  @TempDir Path dir;

  @Test
  void weekAndMonthCandlesOfAReplayedFileEqualTheCalendarOracle() throws IOException {
    Path file = dir.resolve("calendar.csv");
    writeReplay(file);
    Map<String, Candle> folded = new HashMap<>();
    Map<String, TreeMap<Long, double[]>> oracle =
        new HashMap<>(); // key symbol|tf -> start -> ohlcvn
    Map<String, Long> lastTime = new HashMap<>();
    Map<String, CandleFolder> folders = new HashMap<>();
    CandleSink sink =
        (s, tf, t, o, h, l, c, v, n, x, p) -> {
          if (CHECKED.contains(tf)) {
            Candle k = new Candle(s, tf, t, o, h, l, c, v, n, x, p);
            folded.put(k.key(), k);
          }
        };
    long rows = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      assertThat(in.readLine()).isEqualTo("symbol,id,time,price,amount,side");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(",", -1);
        String symbol = f[0];
        long time = Long.parseLong(f[2]);
        double price = Double.parseDouble(f[3]);
        double amount = Double.parseDouble(f[4]);
        CandleFolder folder = folders.computeIfAbsent(symbol, s -> new CandleFolder(s, GRACE, 64));
        assertThat(folder.fold(Long.parseLong(f[1]), time, price, amount, sink))
            .isEqualTo(CandleFolder.FOLDED);
        if (++rows % 50 == 0) {
          folder.flush(sink);
        }
        lastTime.put(symbol, time);
        for (Timeframe tf : CHECKED) {
          oracle
              .computeIfAbsent(symbol + "|" + tf.label(), k -> new TreeMap<>())
              .merge(
                  OracleWindows.start(tf, time),
                  new double[] {price, price, price, price, amount, 1},
                  CalendarFoldTest::fold);
        }
      }
    }
    folders.values().forEach(f -> f.flush(sink));
    Map<String, Candle> expected = expected(oracle, lastTime);
    assertThat(folded).hasSameSizeAs(expected).containsExactlyInAnyOrderEntriesOf(expected);
    // the interesting windows are there
    assertThat(folded).containsKey("LEAP|1M|" + ms("2024-02-01T00:00:00Z"));
    assertThat(folded.get("LEAP|1w|" + ms("2024-02-26T00:00:00Z")).closed()).isTrue();
    assertThat(folded.get("LEAP|1w|" + ms("2023-12-25T00:00:00Z")).closed()).isTrue();
    assertThat(folded.get("NEWYR|1w|" + ms("2025-12-29T00:00:00Z")).closed()).isTrue();
    assertThat(folded.get("NEWYR|1M|" + ms("2025-12-01T00:00:00Z")).closed()).isTrue();
    assertThat(folded.get("NEWYR|1M|" + ms("2026-01-01T00:00:00Z")).closed()).isFalse();
  }

  /** Merges a later trade (b) into a window's open, high, low, close, volume, count (a). */
  private static double[] fold(double[] a, double[] b) {
    return new double[] {
      a[0], Math.max(a[1], b[1]), Math.min(a[2], b[2]), b[3], a[4] + b[4], a[5] + b[5]
    };
  }

  /**
   * The oracle's candles: every window from the first to the newest (none is empty here: trades at
   * most 40 minutes apart), closed once the last trade reaches its end plus the grace period.
   */
  private static Map<String, Candle> expected(
      Map<String, ? extends Map<Long, double[]>> oracle, Map<String, Long> lastTime) {
    Map<String, Candle> out = new HashMap<>();
    for (Map.Entry<String, ? extends Map<Long, double[]>> e : oracle.entrySet()) {
      String symbol = e.getKey().substring(0, e.getKey().indexOf('|'));
      Timeframe tf = Timeframe.parse(e.getKey().substring(e.getKey().indexOf('|') + 1));
      long prevEnd = Long.MIN_VALUE;
      for (Map.Entry<Long, double[]> w : e.getValue().entrySet()) {
        long start = w.getKey();
        assertThat(prevEnd == Long.MIN_VALUE || prevEnd == start).as("no empty window").isTrue();
        prevEnd = OracleWindows.end(tf, start);
        double[] x = w.getValue();
        boolean closed = prevEnd + GRACE <= lastTime.get(symbol);
        Candle c = new Candle(symbol, tf, start, x[0], x[1], x[2], x[3], x[4], (long) x[5], closed);
        out.put(c.key(), c);
      }
    }
    return out;
  }

  private static void writeReplay(Path file) throws IOException {
    SplittableRandom rnd = new SplittableRandom(2024);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("symbol,id,time,price,amount,side\n");
      long id = 1;
      id = writeSpan(w, rnd, "LEAP", "2023-12-18T00:00:00Z", "2024-03-12T00:00:00Z", id);
      writeSpan(w, rnd, "NEWYR", "2025-12-15T00:00:00Z", "2026-01-20T00:00:00Z", id);
    }
  }

  private static long writeSpan(
      BufferedWriter w, SplittableRandom rnd, String symbol, String from, String to, long id)
      throws IOException {
    double price = 100;
    long end = ms(to);
    // right on a boundary and just before one, then random steps of up to 40 minutes
    for (long t = ms(from); t < end; t += 1 + rnd.nextLong(40 * 60_000L)) {
      price = Math.max(1, Math.round(price * (1 + rnd.nextGaussian() * 0.002) * 100) / 100.0);
      double amount = Math.round(rnd.nextDouble() * 1e6) / 1e6 + 0.001;
      w.write(
          String.format(
              Locale.ROOT,
              "%s,%d,%d,%s,%s,%s%n",
              symbol,
              id++,
              t,
              Double.toString(price),
              Double.toString(amount),
              rnd.nextBoolean() ? "buy" : "sell"));
    }
    return id;
  }

  private static long ms(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }
}
