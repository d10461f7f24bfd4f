package candlecast.bench;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import candlecast.feed.FeedVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Trades per second one feed instance writes to Kafka from a replay at {@code replay.speed=max}: a
 * generated CSV of {@code rows} trades over 4 symbols, a fresh embedded broker (4 partitions, same
 * JVM, as in single-node mode) per run, timed from deployment until Kafka acknowledged every trade.
 * A first, smaller warm-up run (not counted) pays for the cold JVM. Prints each run and the median.
 *
 * <pre>java -cp bench-feed.jar candlecast.bench.FeedReplayThroughput [rows] [runs] [warm-up rows]
 * </pre>
 */
public final class FeedReplayThroughput {
  private FeedReplayThroughput() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
    Path work = Files.createTempDirectory("bench-feed");
    try {
      Path csv = work.resolve("trades.csv");
      generate(csv, rows);
      System.out.printf(
          Locale.ROOT,
          "file: %,d trades, %,d bytes; %d cores, max heap %,d MiB%n",
          rows,
          Files.size(csv),
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20);
      if (warmup > 0) {
        Path small = work.resolve("warmup.csv");
        generate(small, warmup);
        double rate = run(work.resolve("kafka-warmup"), small, warmup);
        System.out.printf(
            Locale.ROOT,
            "warm-up (cold JVM, %,d trades, not counted): %,.0f trades/s%n",
            warmup,
            rate);
      }
      List<Double> rates = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        double rate = run(work.resolve("kafka-" + run), csv, rows);
        rates.add(rate);
        System.out.printf(Locale.ROOT, "run %d: %,.0f trades/s%n", run, rate);
      }
      Collections.sort(rates);
      System.out.printf(
          Locale.ROOT, "median of %d runs: %,.0f trades/s%n", runs, rates.get(rates.size() / 2));
    } finally {
      delete(work);
    }
  }

  private static void generate(Path csv, int rows) throws IOException {
    Random rnd = new Random(1);
    String[] symbols = {"BTCUSD", "ETHUSD", "SOLUSD", "XRPUSD"};
    double[] prices = {60_000, 3_000, 150, 0.6};
    long t = 1_700_000_000_000L;
    try (BufferedWriter w = Files.newBufferedWriter(csv)) {
      w.write("symbol,id,time,price,amount,side\n");
      for (int i = 0; i < rows; i++) {
        int s = rnd.nextInt(symbols.length);
        prices[s] *= 1 + 0.0002 * rnd.nextGaussian();
        t += rnd.nextInt(3);
        w.write(symbols[s]);
        w.write(',');
        w.write(Long.toString(1_000_000_000L + i));
        w.write(',');
        w.write(Long.toString(t));
        w.write(',');
        w.write(String.format(Locale.ROOT, "%.4f", prices[s]));
        w.write(',');
        w.write(String.format(Locale.ROOT, "%.8f", 0.0001 + rnd.nextDouble()));
        w.write(rnd.nextBoolean() ? ",buy\n" : ",sell\n");
      }
    }
  }

  private static double run(Path kafkaDir, Path csv, int rows) throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, 0);
    Vertx vertx = Vertx.vertx();
    try {
      KafkaTopics.ensureTopicsBlocking(kafka.bootstrapServers(), 4);
      CandlecastConfig config =
          CandlecastConfig.defaults()
              .with(Settings.FEED_SOURCE, "replay")
              .with(Settings.FEED_SYMBOLS, List.of("BTCUSD", "ETHUSD", "SOLUSD", "XRPUSD"))
              .with(Settings.REPLAY_FILE, csv.toString())
              .with(Settings.REPLAY_SPEED, "max")
              .with(Settings.REPLAY_PROGRESS_MS, 0L);
      FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
      long t0 = System.nanoTime();
      vertx.deployVerticle(feed).await(60, TimeUnit.SECONDS);
      while (true) {
        JsonObject h =
            vertx
                .eventBus()
                .<JsonObject>request(FeedVerticle.HEALTH_ADDRESS, new JsonObject())
                .await(10, TimeUnit.SECONDS)
                .body();
        JsonObject k = h.getJsonObject("kafka");
        if (k.getLong("tradesSent") >= rows && k.getInteger("pending") == 0) {
          break;
        }
        if (k.getLong("sendErrors") > 0) {
          throw new IllegalStateException("send errors: " + h.encode());
        }
        Thread.sleep(5); // polling the feed's state; the measurement has ~5 ms resolution
      }
      long ns = System.nanoTime() - t0;
      return rows / (ns / 1e9);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      kafka.stop();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
