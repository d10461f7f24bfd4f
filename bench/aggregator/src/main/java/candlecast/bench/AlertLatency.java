package candlecast.bench;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.aggregator.alerts.AlertIntake;
import candlecast.common.Addresses;
import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 17's trade-to-alert-event latency: a fresh embedded broker and a real {@link
 * AggregatorVerticle} (default settings, its fold loop), {@code --armed} price alerts on one symbol
 * that no trade crosses (levels outside the range the price moves in) plus {@code --crossing}
 * rearm {@code price_above} alerts (cool-down 0, owner {@code bench-fire}) that every {@code
 * --spike-every}-th trade crosses (price 60,100 over levels 60,050…; the other trades stay within
 * 60,000 ± 5), all created through {@link AggregatorVerticle#alertIntake()}. Trades are produced
 * to {@code trades} at a steady {@code --rate} for {@code --warmup-seconds} (not counted) plus
 * {@code --seconds}, each with its wall-clock send time as the trade's time; a consumer on {@code
 * alerts.owner.bench-fire} records per fire (a) receive − send (nanoTime, the whole path: Kafka,
 * fold loop, the durable write to {@code alerts.fires}, the bus) and (b) the fire's {@code
 * recordedAt} − the trade's time (ms wall clock: the part up to the fold loop's write).
 *
 * <p>{@code java -Xmx2g -cp bench-aggregator.jar candlecast.bench.AlertLatency [--armed 100000]
 * [--crossing 10] [--rate 1000] [--spike-every 50] [--warmup-seconds 10] [--seconds 30]}
 */
public final class AlertLatency {
  private static final String SYMBOL = "BTCUSD";
  private static final String FIRE_OWNER = "bench-fire";
  private static final int PARTITIONS = 4;
  private static final int CHUNK = 2_000;

  private final Map<String, String> opts;
  private final int armed;
  private final int crossing;
  private final int rate;
  private final int spikeEvery;
  private final int warmupTrades;
  private final int total;
  private final Histogram endToEndMicros = new SynchronizedHistogram(60_000_000L, 3);
  private final Histogram foldSideMillis = new SynchronizedHistogram(60_000L, 3);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong counted = new AtomicLong();
  private long[] sendNanos;

  private AlertLatency(Map<String, String> opts) {
    this.opts = opts;
    armed = opt("armed", 100_000);
    crossing = opt("crossing", 10);
    rate = opt("rate", 1_000);
    spikeEvery = opt("spike-every", 50);
    warmupTrades = opt("warmup-seconds", 10) * rate;
    total = warmupTrades + opt("seconds", 30) * rate;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    new AlertLatency(a).run();
  }

  private int opt(String name, int dflt) {
    return Integer.parseInt(opts.getOrDefault(name, String.valueOf(dflt)));
  }

  private void run() throws Exception {
    System.out.printf(
        "AlertLatency: %,d armed (never crossed) + %d crossing price alerts on %s; %,d trades/s,"
            + " a spike every %d trades, %,d warm-up + %,d measured trades; %d cores, load %s%n",
        armed, crossing, SYMBOL, rate, spikeEvery, warmupTrades, total - warmupTrades,
        Runtime.getRuntime().availableProcessors(), AnalysisResult.load());
    Path dir = Files.createTempDirectory("cc-alert-latency");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, PARTITIONS);
    Vertx vertx = Vertx.vertx();
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      AggregatorVerticle agg = new AggregatorVerticle(CandlecastConfig.defaults(), bootstrap);
      vertx.deployVerticle(agg).await(60, TimeUnit.SECONDS);
      sendNanos = new long[total + 2];
      send(producer, 0, 60_000); // the symbol's partition is assigned and held after this
      long c0 = System.nanoTime();
      createAlerts(agg.alertIntake());
      System.out.printf(
          "created %,d alerts in %.1f s%n", armed + crossing, (System.nanoTime() - c0) / 1e9);
      vertx
          .eventBus()
          .<JsonObject>consumer(Addresses.alertsOwner(FIRE_OWNER), m -> record(m.body()))
          .completion()
          .await(10, TimeUnit.SECONDS);
      produce(producer);
      awaitFires();
      report();
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
      kafka.stop();
      delete(dir);
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(bootstrap));
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0); // each trade leaves at once: latency, not batching
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends trade {@code id} now, its time the wall clock; keeps its send nanoTime. */
  private void send(KafkaProducer<String, byte[]> p, int id, double price) {
    sendNanos[id] = System.nanoTime();
    Trade t = new Trade(SYMBOL, id + 1, System.currentTimeMillis(), price, 0.01, Side.BUY);
    var unused =
        p.send(
            new ProducerRecord<>(Topics.TRADES, SYMBOL, TradeCodec.encode(t)),
            (md, e) -> {
              if (e != null) {
                throw new IllegalStateException("produce failed", e);
              }
            });
  }

  /** The trades, paced at the rate: 60,000 ± 5, every spikeEvery-th at 60,100 (crossing all). */
  private void produce(KafkaProducer<String, byte[]> p) {
    Random rnd = new Random(17);
    long start = System.nanoTime();
    double gap = 1e9 / rate;
    for (int i = 1; i <= total; i++) {
      long due = start + (long) (i * gap);
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(due - now); // pacing to the rate
      }
      double price = i % spikeEvery == 0 ? 60_100 : 60_000 + Math.round(rnd.nextDouble() * 1000 - 500) / 100.0;
      send(p, i, price);
    }
    p.flush();
  }

  private void createAlerts(AlertIntake intake) throws Exception {
    Random rnd = new Random(3);
    JsonObject first = alertAt(0, rnd);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!created(intake, first)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the aggregator does not hold " + SYMBOL + "'s partition");
      }
      Thread.sleep(100); // the first trade's partition is being assigned
    }
    List<Future<JsonObject>> pending = new ArrayList<>();
    for (int i = 1; i < armed + crossing; i++) {
      pending.add(intake.create(alertAt(i, rnd)));
      if (pending.size() == CHUNK || i == armed + crossing - 1) {
        Future.all(pending).await(120, TimeUnit.SECONDS);
        pending.clear();
      }
    }
  }

  private static boolean created(AlertIntake intake, JsonObject alert) throws Exception {
    try {
      intake.create(alert).await(30, TimeUnit.SECONDS);
      return true;
    } catch (ReplyException e) {
      if (e.failureCode() == 503) {
        return false;
      }
      throw e;
    }
  }

  /** Alert {@code i} of all: the armed ones first, then the crossing ones. */
  private JsonObject alertAt(int i, Random rnd) {
    return i < armed ? armedAlert(i, rnd) : crossingAlert(i - armed);
  }

  private JsonObject armedAlert(int i, Random rnd) {
    boolean above = i % 2 == 0;
    double level = above ? 70_001 + rnd.nextDouble() * 30_000 : 49_999 - rnd.nextDouble() * 20_000;
    return alert("al-a" + i, "bench", above ? "price_above" : "price_below", level);
  }

  private JsonObject crossingAlert(int i) {
    return alert("al-c" + i, FIRE_OWNER, "price_above", 60_050 + i);
  }

  private static JsonObject alert(String id, String owner, String kind, double level) {
    return new JsonObject()
        .put("id", id)
        .put("owner", owner)
        .put("symbol", SYMBOL)
        .put("condition", new JsonObject().put("kind", kind).put("level", Math.round(level * 100) / 100.0))
        .put("mode", "rearm")
        .put("cooldownMs", 0)
        .put("createdAt", System.currentTimeMillis());
  }

  /** One fire on the bus (event loop). */
  private void record(JsonObject fire) {
    long now = System.nanoTime();
    received.incrementAndGet();
    JsonObject trade = fire.getJsonObject("trade");
    int idx = (int) (trade.getLong("id") - 1);
    if (idx < warmupTrades) {
      return;
    }
    endToEndMicros.recordValue((now - sendNanos[idx]) / 1_000);
    foldSideMillis.recordValue(Math.max(0, fire.getLong("recordedAt") - trade.getLong("t")));
    counted.incrementAndGet();
  }

  private long expectedFires() {
    // spikes among the measured trades: multiples of spikeEvery in [warmupTrades, total]
    long spikes = (long) total / spikeEvery - (warmupTrades - 1) / spikeEvery;
    return spikes * crossing;
  }

  private void awaitFires() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (counted.get() < expectedFires() && System.nanoTime() < deadline) {
      Thread.sleep(20); // the last fires are on their way
    }
  }

  private void report() {
    System.out.printf(
        "fires: %,d measured of %,d expected (%,d received in all, warm-up included); load %s%n",
        counted.get(), expectedFires(), received.get(), AnalysisResult.load());
    Histogram e = endToEndMicros;
    System.out.printf(
        "  trade produced -> fire on alerts.owner.%s: p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms"
            + "  max %.2f ms%n",
        FIRE_OWNER, e.getValueAtPercentile(50) / 1e3, e.getValueAtPercentile(99) / 1e3,
        e.getValueAtPercentile(99.9) / 1e3, e.getMaxValue() / 1e3);
    Histogram f = foldSideMillis;
    System.out.printf(
        "  trade produced -> fire recordedAt (fold side, ms clock): p50 %d ms  p99 %d ms  max %d ms%n",
        f.getValueAtPercentile(50), f.getValueAtPercentile(99), f.getMaxValue());
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
