package candlecast.bench.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trade source with a known ground truth: a seeded, generated replay file ({@code
 * symbol,id,time,price,amount,side}) whose every row is the truth the checker folds. Times strictly
 * increase over the whole file (no ties, no clamping by the feed's watermarks); ids are contiguous
 * per symbol, so a gap or a duplicate in any stream is visible from the ids alone.
 */
final class GroundTruth {
  /** One row of the file. */
  record Trade(String symbol, long id, long time, double price, double amount, boolean buy) {}

  static final long FIRST_ID = 1_000_000L;

  private final List<Trade> trades;
  private final Map<String, List<Trade>> bySymbol = new LinkedHashMap<>();

  GroundTruth(List<Trade> trades) {
    this.trades = List.copyOf(trades);
    for (Trade t : trades) {
      bySymbol.computeIfAbsent(t.symbol(), s -> new ArrayList<>()).add(t);
    }
  }

  /**
   * {@code ratePerSymbol} trades per second per symbol on average for {@code seconds}, starting at
   * {@code startMs}.
   */
  static GroundTruth generate(
      long seed, List<String> symbols, double ratePerSymbol, int seconds, long startMs) {
    Random rnd = new Random(seed);
    Map<String, Double> price = new HashMap<>();
    Map<String, Long> nextId = new HashMap<>();
    for (int i = 0; i < symbols.size(); i++) {
      price.put(symbols.get(i), 100.0 * (i + 1));
      nextId.put(symbols.get(i), FIRST_ID);
    }
    double meanGapMs = 1000.0 / (ratePerSymbol * symbols.size());
    List<Trade> out = new ArrayList<>();
    long t = startMs;
    long end = startMs + seconds * 1000L;
    while (t < end) {
      t += 1 + (long) (-Math.log(1 - rnd.nextDouble()) * meanGapMs);
      String s = symbols.get(rnd.nextInt(symbols.size()));
      double p = Math.max(1.0, price.get(s) * (1 + (rnd.nextDouble() - 0.5) * 0.002));
      p = Math.round(p * 100) / 100.0;
      price.put(s, p);
      double q = Math.round((0.0001 + rnd.nextDouble() * 2) * 10_000) / 10_000.0;
      long id = nextId.merge(s, 1L, Long::sum) - 1;
      out.add(new Trade(s, id, t, p, q, rnd.nextBoolean()));
    }
    return new GroundTruth(out);
  }

  void writeCsv(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("symbol,id,time,price,amount,side\n");
      for (Trade t : trades) {
        w.write(
            t.symbol()
                + ","
                + t.id()
                + ","
                + t.time()
                + ","
                + t.price()
                + ","
                + t.amount()
                + ","
                + (t.buy() ? "buy" : "sell")
                + "\n");
      }
    }
  }

  List<Trade> trades() {
    return trades;
  }

  List<Trade> of(String symbol) {
    return bySymbol.getOrDefault(symbol, List.of());
  }

  /** The first {@code count} trades of a symbol (the part of the file its log holds). */
  List<Trade> prefix(String symbol, int count) {
    List<Trade> all = of(symbol);
    return all.subList(0, Math.min(count, all.size()));
  }
}
