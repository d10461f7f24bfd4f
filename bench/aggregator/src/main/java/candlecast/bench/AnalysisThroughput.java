package candlecast.bench;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 16's end-to-end analysis benchmark: the aggregator's trades/s with 1,000 live analysis
 * series vs none, on identical input. Each run has a fresh embedded broker and a real {@link
 * AggregatorVerticle} (default settings); first one trade per symbol, waited for until the
 * aggregator knows every symbol (symbol list and history); in the "on" run 1,000 distinct series
 * are then opened over {@code candlecast.analysis} and renewed every 5 s ({@link AnalysisLoad}).
 * Then N trades of {@link ReplayTrades} are produced in one Kafka transaction (untimed: a producer
 * racing the aggregator on the same two cores would measure the producer), and the run is timed
 * from the transaction's commit, which makes all N visible at once to the aggregator (it reads
 * {@code read_committed}), until (a) the group's committed offsets pass the last trade of every
 * partition ("committed", what {@link AggregationThroughput} measures; the fold loop commits with
 * its checkpoints, every second by default, so this figure moves in steps of up to a second) and
 * (b) everything the aggregator does after the fold loop is done: each symbol's last 1s candle, with all its
 * trades, was published on the bus and, in the "on" run, the last analysis update arrived
 * ("done"). The fold loop commits without waiting for the event loop's work (history, publishing,
 * analysis), so (b) is the figure that includes all of analysis.
 *
 * <p>Usage: {@code java -Xmx2g -cp bench-aggregator.jar candlecast.bench.AnalysisThroughput
 * [--trades N] [--series 1000] [--symbols 8] [--gap-ms 6] [--rounds 1] [--modes off,on]
 * [--warmup min(N, 1000000)] [--consumers true]}: first a warm-up run ("on", not counted: all the code JIT-compiled
 * before anything is measured), then each round runs "off" and "on", in alternating order; the
 * summary compares the medians. {@code --consumers false} leaves the update addresses without
 * consumers (publishing then delivers nothing), to tell computing from delivering.
 */
public final class AnalysisThroughput {
  private static final int PARTITIONS = 4;
  private static final long SEED = 16;

  private final int trades;
  private final int symbols;
  private final int seriesCount;
  private final int gapMs;
  private final boolean consume;

  private AnalysisThroughput(
      int trades, int symbols, int seriesCount, int gapMs, boolean consume) {
    this.trades = trades;
    this.symbols = symbols;
    this.seriesCount = seriesCount;
    this.gapMs = gapMs;
    this.consume = consume;
  }


  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    int n = Integer.parseInt(a.getOrDefault("trades", "3000000"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "1"));
    AnalysisThroughput bench =
        new AnalysisThroughput(
            n,
            Integer.parseInt(a.getOrDefault("symbols", "8")),
            Integer.parseInt(a.getOrDefault("series", "1000")),
            Integer.parseInt(a.getOrDefault("gap-ms", "6")),
            Boolean.parseBoolean(a.getOrDefault("consumers", "true")));
    System.out.printf(
        "analysis on vs off: %,d trades over %d symbols (mean gap %d ms, %.1f h of market time"
            + " around 2025-09-01T00:00Z), %,d series, update consumers %s; %d cores, max heap %,d MiB, load %s%n",
        n,
        bench.symbols,
        bench.gapMs,
        n * (double) bench.gapMs / 3.6e6,
        bench.seriesCount,
        bench.consume ? "on" : "off",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        AnalysisResult.load());
    int warmup =
        Integer.parseInt(a.getOrDefault("warmup", String.valueOf(Math.min(n, 1_000_000))));
    if (warmup > 0) {
      AnalysisThroughput w =
          new AnalysisThroughput(
              warmup, bench.symbols, bench.seriesCount, bench.gapMs, bench.consume);
      System.out.println("warm-up run (JIT; not counted):");
      AnalysisResult.report(warmup, w.run(true));
    }
    List<AnalysisResult> offs = new ArrayList<>();
    List<AnalysisResult> ons = new ArrayList<>();
    String modes = a.getOrDefault("modes", "off,on");
    for (int r = 0; r < rounds; r++) {
      boolean onFirst = r % 2 == 1; // alternate the order: neither mode always runs first
      for (boolean on : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
        if (modes.contains(on ? "on" : "off")) {
          (on ? ons : offs).add(AnalysisResult.report(n, bench.run(on)));
        }
      }
    }
    if (!offs.isEmpty() && !ons.isEmpty()) {
      AnalysisResult.summary(n, offs, ons);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    return a;
  }

  private AnalysisResult run(boolean on) throws Exception {
    Path dir = Files.createTempDirectory("cc-analysis-bench");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, PARTITIONS);
    Vertx vertx = Vertx.vertx();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      vertx
          .deployVerticle(new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap))
          .await(60, TimeUnit.SECONDS);
      ReplayTrades stream = new ReplayTrades(SEED, symbols, gapMs, trades);
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < symbols; i++) {
        send(producer, stream.first(i), null);
      }
      producer.commitTransaction();
      awaitSymbols(vertx);
      LastCandles last = new LastCandles(vertx, expectedLastCandles());
      AnalysisLoad load = new AnalysisLoad(vertx, symbols, seriesCount, consume);
      if (on) {
        load.open();
        System.out.printf("opened %,d series%n", load.series().size());
      }
      long p0 = System.nanoTime();
      AtomicLongArray lastOffsets = new AtomicLongArray(PARTITIONS);
      producer.beginTransaction();
      for (int k = 0; k < trades; k++) {
        send(producer, stream.next(), lastOffsets);
      }
      producer.flush();
      double producedSecs = (System.nanoTime() - p0) / 1e9;
      String loadBefore = AnalysisResult.load();
      long t0 = System.nanoTime();
      producer.commitTransaction(); // the aggregator (read_committed) sees all N trades at once
      while (!caughtUp(admin, lastOffsets)) {
        Thread.sleep(20); // polling the group's committed offsets
      }
      long committed = System.nanoTime();
      long done = last.await();
      if (on) {
        done = Math.max(done, quiet(load));
      }
      load.close();
      last.close();
      if (on) {
        System.out.println("analysis messages per timeframe: " + load.updatesByTf());
        System.out.println("analysis points per timeframe: " + load.pointsByTf());
      }
      return new AnalysisResult(
          on,
          producedSecs,
          (committed - t0) / 1e9,
          (done - t0) / 1e9,
          load.updates(),
          load.points(),
          load.renewals(),
          load.renewFailures(),
          loadBefore,
          AnalysisResult.load());
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
      kafka.stop();
      delete(dir);
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "analysis-bench");
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends one trade; {@code lastOffsets} (if not null) keeps each partition's highest offset. */
  private static void send(KafkaProducer<String, byte[]> p, Trade t, AtomicLongArray lastOffsets) {
    var unused =
        p.send(
            new ProducerRecord<>(Topics.TRADES, t.symbol(), TradeCodec.encode(t)),
            (md, e) -> {
              if (e != null) {
                throw new IllegalStateException("produce failed", e);
              }
              if (lastOffsets != null) {
                lastOffsets.accumulateAndGet(md.partition(), md.offset(), Math::max);
              }
            });
  }

  /** Waits until the symbol list names every symbol and a history request answers for each. */
  private void awaitSymbols(Vertx vertx) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    for (int i = 0; i < symbols; i++) {
      String s = ReplayTrades.symbol(i);
      while (!known(vertx, s)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the aggregator does not know " + s + " after a minute");
        }
        Thread.sleep(100); // the first candles are on their way through the fold loop
      }
    }
  }

  private static boolean known(Vertx vertx, String symbol) {
    try {
      JsonObject all =
          vertx
              .eventBus()
              .<JsonObject>request(Addresses.SYMBOLS, new JsonObject())
              .await(10, TimeUnit.SECONDS)
              .body();
      if (!all.getJsonArray("symbols", new JsonArray()).contains(symbol)) {
        return false;
      }
      JsonObject h =
          vertx
              .eventBus()
              .<JsonObject>request(
                  Addresses.HISTORY, new JsonObject().put("symbol", symbol).put("tf", "1m"))
              .await(10, TimeUnit.SECONDS)
              .body();
      return !h.getJsonArray("candles", new JsonArray()).isEmpty();
    } catch (Exception e) {
      return false; // 404 / 503 while the owner is still loading
    }
  }

  /** Each symbol's last 1s window and its number of trades, from a dry pass over the stream. */
  private long[][] expectedLastCandles() {
    long[][] last = new long[symbols][2];
    ReplayTrades dry = new ReplayTrades(SEED, symbols, gapMs, trades);
    for (int i = 0; i < symbols; i++) {
      Trade t = dry.first(i);
      last[i][0] = Timeframe.S1.windowStart(t.time());
      last[i][1] = 1;
    }
    for (int k = 0; k < trades; k++) {
      Trade t = dry.next();
      int i = Integer.parseInt(t.symbol().substring(3));
      long w = Timeframe.S1.windowStart(t.time());
      last[i][1] = w == last[i][0] ? last[i][1] + 1 : 1;
      last[i][0] = w;
    }
    return last;
  }

  /** Waits until no analysis update arrived for 2 s; returns the last one's nanoTime. */
  private static long quiet(AnalysisLoad load) throws InterruptedException {
    while (System.nanoTime() - load.lastUpdateNanos() < TimeUnit.SECONDS.toNanos(2)) {
      Thread.sleep(50); // updates still arriving
    }
    return load.lastUpdateNanos();
  }

  /**
   * Whether the group's committed offset of every partition is past its last measured trade (the
   * aggregator commits the offset after the last record it folded, so the transaction's commit
   * marker that follows is not counted).
   */
  private static boolean caughtUp(Admin admin, AtomicLongArray lastOffsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(AggregatorVerticle.GROUP_ID)
            .partitionsToOffsetAndMetadata()
            .get();
    for (int p = 0; p < PARTITIONS; p++) {
      OffsetAndMetadata c = committed.get(new TopicPartition(Topics.TRADES, p));
      long last = lastOffsets.get(p);
      if (last > 0 && (c == null || c.offset() <= last)) {
        return false;
      }
    }
    return true;
  }


  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }




  /**
   * Watches each symbol's 1s candles on the bus and records when the last window of every symbol
   * was published with all its trades.
   */
  private static final class LastCandles {
    private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    private final AtomicLong remaining;
    private final AtomicLong doneNanos = new AtomicLong();

    LastCandles(Vertx vertx, long[][] expected) {
      remaining = new AtomicLong(expected.length);
      for (int i = 0; i < expected.length; i++) {
        long window = expected[i][0];
        long count = expected[i][1];
        boolean[] seen = new boolean[1];
        consumers.add(
            vertx
                .eventBus()
                .<JsonObject>localConsumer(
                    Addresses.candles(ReplayTrades.symbol(i), Timeframe.S1),
                    m -> {
                      JsonObject c = m.body();
                      if (!seen[0]
                          && c.getLong("t") == window
                          && c.getLong("n") == count) {
                        seen[0] = true;
                        long now = System.nanoTime();
                        if (remaining.decrementAndGet() == 0) {
                          doneNanos.set(now);
                        }
                      }
                    }));
      }
    }

    long await() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (remaining.get() > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(remaining.get() + " symbols' last candles never came");
        }
        Thread.sleep(20); // the event loop is still publishing
      }
      return doneNanos.get();
    }

    void close() throws Exception {
      for (MessageConsumer<JsonObject> c : consumers) {
        c.unregister().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
