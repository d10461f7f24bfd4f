package candlecast.aggregator;

import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Issue 17's price-alert load: the aggregator's fold ({@link PartitionFolds}: decode, candles at
 * every timeframe, alert evaluation) over a generated stream of one symbol, without alerts and
 * with 100,000 armed price alerts on that symbol (levels on both sides of the range the price
 * wanders in, so none is crossed: the cost measured is that of holding them, per trade). After
 * {@code --warmup} uncounted pairs, {@code --rounds} interleaved rounds (without/with, then
 * with/without, …) each give a ratio with/without; prints the medians, the median of the per-round
 * ratios and their spread (min, max, interquartile), with the load average.
 *
 * <p>{@code java -cp bench/aggregator/target/bench-aggregator.jar candlecast.aggregator.AlertLoad
 * [--trades 1000000] [--alerts 100000] [--rounds 9] [--warmup 3]}
 */
public final class AlertLoad {
  private static final String SYMBOL = "BTCUSD";
  private static final int BATCH = 500;

  private AlertLoad() {}

  public static void main(String[] args) throws java.io.IOException {
    int trades = arg(args, "--trades", 1_000_000);
    int alerts = arg(args, "--alerts", 100_000);
    int rounds = arg(args, "--rounds", 9);
    int warmup = arg(args, "--warmup", 3);
    List<ConsumerRecords<byte[], byte[]>> batches = stream(trades);
    System.out.printf(
        "AlertLoad: %,d trades of one symbol, %,d armed price alerts; %d cores, max heap %,d MiB,"
            + " load %s%n",
        trades,
        alerts,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        load());
    for (int r = 0; r < warmup; r++) { // JIT for both paths; not counted
      run(batches, trades, 0);
      run(batches, trades, alerts);
    }
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    double[] ratio = new double[rounds];
    long fires = 0;
    for (int r = 0; r < rounds; r++) {
      boolean withFirst = r % 2 == 1; // alternate the order: neither side always runs first
      if (withFirst) {
        double[] w = run(batches, trades, alerts);
        with[r] = w[0];
        fires += (long) w[1];
        without[r] = run(batches, trades, 0)[0];
      } else {
        without[r] = run(batches, trades, 0)[0];
        double[] w = run(batches, trades, alerts);
        with[r] = w[0];
        fires += (long) w[1];
      }
      ratio[r] = with[r] / without[r];
      System.out.printf(
          "  round %d (%s first): without %,.0f/s  with %,.0f/s  ratio %.3f  load %s%n",
          r + 1, withFirst ? "with" : "without", without[r], with[r], ratio[r], load());
    }
    double[] rs = ratio.clone();
    Arrays.sort(rs);
    System.out.printf(
        "  %d warm-up pairs, %d interleaved rounds; fires in all measured runs: %d%n"
            + "  without alerts (median):   %,.0f trades/s%n"
            + "  with %,d alerts (median): %,.0f trades/s%n"
            + "  ratio with/without: median of per-round ratios %.3f, min %.3f, max %.3f,"
            + " interquartile %.3f–%.3f%n"
            + "  load after: %s%n",
        warmup, rounds, fires, median(without), alerts, median(with), rs[rs.length / 2], rs[0],
        rs[rs.length - 1], rs[rs.length / 4], rs[(3 * rs.length) / 4], load());
  }

  /** The 1/5/15-minute load averages (/proc/loadavg). */
  static String load() throws java.io.IOException {
    String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ", -1);
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static int arg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Trades of one symbol every ~5 ms, price wandering around 60,000, in polls of 500. */
  static List<ConsumerRecords<byte[], byte[]>> stream(int n) {
    Random rnd = new Random(17);
    List<ConsumerRecords<byte[], byte[]>> out = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    long t = 1_767_225_600_000L;
    double p = 60_000;
    byte[] key = SYMBOL.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < n; i++) {
      t += rnd.nextInt(11);
      p = Math.max(50_000, Math.min(70_000, p * (1 + rnd.nextGaussian() * 1e-4)));
      byte[] v = TradeCodec.encode(new Trade(SYMBOL, i + 1, t, Math.round(p * 100) / 100.0, 0.01, Side.BUY));
      batch.add(new ConsumerRecord<>(Topics.TRADES, 0, i, key, v));
      if (batch.size() == BATCH || i == n - 1) {
        out.add(new ConsumerRecords<>(Map.of(new TopicPartition(Topics.TRADES, 0), batch)));
        batch = new ArrayList<>();
      }
    }
    return out;
  }

  /** Folds the stream once with {@code alerts} armed price alerts; returns {trades/s, fires}. */
  static double[] run(List<ConsumerRecords<byte[], byte[]>> batches, int trades, int alerts) {
    PartitionFolds folds = new PartitionFolds(250, 4096);
    folds.put(new PartitionState(0, 0));
    Random rnd = new Random(3);
    for (int i = 0; i < alerts; i++) {
      boolean above = i % 2 == 0;
      // levels beyond the range the price wanders in (50,000–70,000): armed all run long
      double level = above ? 70_001 + rnd.nextDouble() * 30_000 : 49_999 - rnd.nextDouble() * 20_000;
      folds
          .get(0)
          .book(250)
          .add(
              new JsonObject()
                  .put("id", "al-" + i)
                  .put("owner", "bench")
                  .put("symbol", SYMBOL)
                  .put(
                      "condition",
                      new JsonObject()
                          .put("kind", above ? "price_above" : "price_below")
                          .put("level", Math.round(level * 100) / 100.0))
                  .put("mode", "rearm")
                  .put("cooldownMs", 0)
                  .put("fromOffset", 0L));
    }
    folds.fold(batches.get(0)); // activates the alerts (placing them in the heaps), untimed
    System.gc(); // the set-up's garbage is not the fold's
    long fires = 0;
    long t0 = System.nanoTime();
    for (int i = 1; i < batches.size(); i++) {
      fires += folds.fold(batches.get(i)).alerts().size();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return new double[] {(trades - BATCH) / secs, fires};
  }
}
