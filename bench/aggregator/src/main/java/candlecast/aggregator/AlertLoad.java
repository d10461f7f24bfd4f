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
 * wanders in, so none is crossed: the cost measured is that of holding them, per trade). Prints trades/s of each and their ratio (median of the rounds).
 *
 * <p>{@code java -cp bench/aggregator/target/bench-aggregator.jar candlecast.aggregator.AlertLoad
 * [--trades 1000000] [--alerts 100000] [--rounds 5]}
 */
public final class AlertLoad {
  private static final String SYMBOL = "BTCUSD";
  private static final int BATCH = 500;

  private AlertLoad() {}

  public static void main(String[] args) {
    int trades = arg(args, "--trades", 1_000_000);
    int alerts = arg(args, "--alerts", 100_000);
    int rounds = arg(args, "--rounds", 5);
    List<ConsumerRecords<byte[], byte[]>> batches = stream(trades);
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    long fires = 0;
    for (int r = 0; r < rounds; r++) {
      without[r] = run(batches, trades, 0)[0];
      double[] w = run(batches, trades, alerts);
      with[r] = w[0];
      fires = (long) w[1];
    }
    double a = median(without);
    double b = median(with);
    System.out.printf(
        "AlertLoad: %d trades of one symbol, %d rounds (median)%n"
            + "  without alerts:            %,.0f trades/s%n"
            + "  with %,d price alerts:    %,.0f trades/s (%d fires per run)%n"
            + "  ratio with/without:        %.3f%n",
        trades, rounds, a, alerts, b, fires, b / a);
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
