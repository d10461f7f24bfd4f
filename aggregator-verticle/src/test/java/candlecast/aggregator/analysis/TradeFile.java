package candlecast.aggregator.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic, seeded random-walk trade file (one record a line: {@code T,id,time,price,amount}
 * for a trade, {@code W,time} for a watermark) with bursts, quiet stretches (so flat windows occur)
 * and repeated prices, around a price level of 50,000.
 */
final class TradeFile {
  /** One line of the file: a trade, or a watermark (then id, price and amount are unused). */
  record Rec(boolean trade, long id, long time, double price, double amount) {}

  private TradeFile() {}

  /**
   * Writes {@code count} trades starting at {@code start} (epoch ms), on average {@code meanGapMs}
   * apart, with a quiet stretch of up to {@code maxQuietMs} before about one trade in 200.
   */
  static Path write(
      Path dir, String name, long seed, int count, long start, int meanGapMs, long maxQuietMs)
      throws IOException {
    Random rnd = new Random(seed);
    List<String> lines = new ArrayList<>(count + 1000);
    long t = start;
    long price = 5_000_000; // cents: 50,000.00
    for (int i = 0; i < count; i++) {
      if (rnd.nextInt(200) == 0) {
        long quiet = 1 + (long) (rnd.nextDouble() * maxQuietMs);
        if (rnd.nextBoolean()) {
          lines.add("W," + (t + quiet / 2));
        }
        t += quiet;
      }
      t += rnd.nextInt(2 * meanGapMs + 1);
      int move = rnd.nextInt(10);
      if (move >= 4) { // 60 %: a move of up to ±5.00; else the same price again
        price += rnd.nextInt(1001) - 500;
      }
      double amount = (1 + rnd.nextInt(2_000_000)) / 1e6;
      lines.add("T," + (i + 1) + "," + t + "," + price / 100.0 + "," + amount);
    }
    Path file = dir.resolve(name);
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  static List<Rec> read(Path file) throws IOException {
    List<Rec> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split(",", -1);
      if ("W".equals(f[0])) {
        out.add(new Rec(false, 0, Long.parseLong(f[1]), 0, 0));
      } else {
        out.add(
            new Rec(
                true,
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4])));
      }
    }
    return out;
  }
}
