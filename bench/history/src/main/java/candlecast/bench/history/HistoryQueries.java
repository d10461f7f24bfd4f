package candlecast.bench.history;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import candlecast.deploy.SingleNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * History queries against a real single node (embedded broker, aggregator, gateway; the mock feed
 * running on BTCUSD) on loopback, whose {@code candles} topic holds a year of 1m candles of
 * BTCUSD written before it starts (the aggregator loads them as on any restart; retention 1m =
 * 9000 h). Measures, each for {@code --seconds}: 500-candle queries at random points of the year
 * over REST ({@code GET /api/candles}, keep-alive, {@code --concurrency} in flight) and over the
 * event bus ({@code candlecast.history} from the node's own Vert.x), queries/s and p50/p99; then
 * the whole year paged over REST with cursors (5,000-candle pages, the default max-limit) {@code --rounds} times, checking
 * that the pages hold each of the 525,600 candles exactly once.
 *
 * <p>Usage: {@code java -Xmx2g -jar bench-history.jar [--seconds 10] [--concurrency 16] [--rounds
 * 3]}
 */
public final class HistoryQueries {
  private static final String SYMBOL = "BTCUSD";
  private static final int YEAR_MINUTES = 525_600;

  private HistoryQueries() {}

  public static void main(String[] args) throws Exception {
    int seconds = intArg(args, "--seconds", 10);
    int concurrency = intArg(args, "--concurrency", 16);
    int rounds = intArg(args, "--rounds", 3);
    Path data = Files.createTempDirectory("bench-history");
    long end = Timeframe.M1.windowStart(System.currentTimeMillis()) - 3_600_000L;
    long start = end - YEAR_MINUTES * 60_000L;
    EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), 0);
    Vertx vertx = Vertx.vertx();
    try {
      int partitions = 4;
      KafkaTopics.ensureTopics(vertx, kafka.bootstrapServers(), partitions)
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      writeYear(kafka.bootstrapServers(), partitions, start);
      log("wrote %,d 1m candles in %.1f s", YEAR_MINUTES, (System.nanoTime() - t0) / 1e9);
      CandlecastConfig config =
          CandlecastConfig.defaults()
              .with(Settings.HTTP_HOST, "127.0.0.1")
              .with(Settings.HTTP_PORT, 0)
              .with(Settings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers())
              .with(Settings.DATA_DIR, data.toString())
              .with(Settings.FEED_SYMBOLS, List.of(SYMBOL))
              .with(Settings.AGGREGATOR_RETENTION, "1s=24h,1m=9000h");
      t0 = System.nanoTime();
      SingleNode node = await(SingleNode.start(config));
      try {
        awaitLoaded(node, start);
        log("node up with the year loaded in %.1f s", (System.nanoTime() - t0) / 1e9);
        run(node, start, end, seconds, concurrency, rounds);
      } finally {
        await(node.stop());
      }
    } finally {
      vertx.close();
      kafka.stop();
    }
  }

  private static void run(
      SingleNode node, long start, long end, int seconds, int concurrency, int rounds)
      throws Exception {
    Vertx client = Vertx.vertx();
    WebClient http =
        WebClient.create(
            client,
            new WebClientOptions().setKeepAlive(true),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(concurrency));
    int port = node.httpPort();
    SplittableRandom rnd = new SplittableRandom(7);
    Supplier<Future<Integer>> rest =
        () -> {
          long to = start + 500 * 60_000L + rnd.nextLong(end - start - 500 * 60_000L);
          return http.get(port, "127.0.0.1", "/api/candles?symbol=BTCUSD&tf=1m&limit=500&to=" + to)
              .send()
              .map(r -> count(r, 500));
        };
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(10_000);
    Supplier<Future<Integer>> bus =
        () -> {
          long to = start + 500 * 60_000L + rnd.nextLong(end - start - 500 * 60_000L);
          JsonObject req =
              new JsonObject().put("symbol", SYMBOL).put("tf", "1m").put("limit", 500).put("to", to);
          return node.vertx()
              .eventBus()
              .request(Addresses.HISTORY, req, opts)
              .map(m -> ((JsonObject) m.body()).getJsonArray("candles").size());
        };
    load("warm-up REST", rest, 2, concurrency);
    load("warm-up bus", bus, 2, concurrency);
    load("REST 500 candles", rest, seconds, 1);
    load("REST 500 candles", rest, seconds, concurrency);
    load("bus 500 candles", bus, seconds, 1);
    load("bus 500 candles", bus, seconds, concurrency);
    for (int i = 0; i < rounds; i++) {
      pageYear(http, port, start, end);
    }
    http.close();
    client.close();
  }

  /** Keeps {@code concurrency} queries in flight for {@code seconds}; prints q/s and latencies. */
  private static void load(String name, Supplier<Future<Integer>> query, int seconds, int concurrency)
      throws Exception {
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> perWorker = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    long began = System.nanoTime();
    for (int w = 0; w < concurrency; w++) {
      long[] lat = new long[400_000];
      int[] n = new int[1];
      perWorker.add(lat);
      counts.add(n);
      CompletableFuture<Void> f = new CompletableFuture<>();
      done.add(f);
      next(query, until, lat, n, f);
    }
    CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - began) / 1e9;
    long[] all = merge(perWorker, counts);
    if (!name.startsWith("warm-up")) {
      log(
          "RESULT %s, %d in flight: %,.0f queries/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d queries)",
          name, concurrency, all.length / elapsed, pct(all, 50), pct(all, 99), pct(all, 100), all.length);
    }
  }

  private static void next(
      Supplier<Future<Integer>> query, long until, long[] lat, int[] n, CompletableFuture<Void> done) {
    if (System.nanoTime() >= until || n[0] == lat.length) {
      done.complete(null);
      return;
    }
    long t = System.nanoTime();
    query
        .get()
        .onComplete(
            ar -> {
              if (ar.failed() || ar.result() != 500) {
                done.completeExceptionally(
                    ar.failed() ? ar.cause() : new IllegalStateException("got " + ar.result()));
                return;
              }
              lat[n[0]++] = System.nanoTime() - t;
              next(query, until, lat, n, done);
            });
  }

  /** The whole year over REST, max-limit pages followed by their cursor. */
  private static void pageYear(WebClient http, int port, long start, long end) throws Exception {
    String uri =
        "/api/candles?symbol=BTCUSD&tf=1m&limit=5000&from=" + start + "&to=" + (end - 1) + "&meta=true";
    long began = System.nanoTime();
    List<Long> pages = new ArrayList<>();
    long rows = 0;
    long expectedNext = end - 60_000L; // pages come newest first, each oldest first
    while (uri != null) {
      long t = System.nanoTime();
      HttpResponse<Buffer> r = await(http.get(port, "127.0.0.1", uri).send());
      pages.add(System.nanoTime() - t);
      JsonObject page = r.bodyAsJsonObject();
      JsonArray candles = page.getJsonArray("candles");
      for (int i = candles.size() - 1; i >= 0; i--) {
        long open = candles.getJsonObject(i).getLong("t");
        if (open != expectedNext) {
          throw new IllegalStateException("expected " + expectedNext + ", got " + open);
        }
        expectedNext -= 60_000L;
      }
      rows += candles.size();
      String next = page.getString("next");
      uri = next == null ? null : "/api/candles?meta=true&cursor=" + next;
    }
    if (rows != YEAR_MINUTES || expectedNext != start - 60_000L) {
      throw new IllegalStateException("paged " + rows + " candles, expected " + YEAR_MINUTES);
    }
    double s = (System.nanoTime() - began) / 1e9;
    long[] lat = pages.stream().mapToLong(Long::longValue).sorted().toArray();
    log(
        "RESULT REST year of 1m paged: %,d candles in %d pages, %.2f s (%,.0f candles/s), page p50 %.1f ms,"
            + " p99 %.1f ms",
        rows, lat.length, s, rows / s, pct(lat, 50), pct(lat, 99));
  }

  private static int count(HttpResponse<Buffer> r, int expected) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.bodyAsString());
    }
    int n = r.bodyAsJsonArray().size();
    return n == expected ? n : -n;
  }

  private static void writeYear(String bootstrap, int partitions, long start) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // a fresh topic's first produce may meet NOT_LEADER; idempotent retries then wedge on sequence
    // numbers (seen on the embedded broker): plain ordered retries instead (keys are unique)
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    int partition =
        Utils.toPositive(Utils.murmur2(SYMBOL.getBytes(StandardCharsets.UTF_8))) % partitions;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      SplittableRandom rnd = new SplittableRandom(42);
      double price = 40_000;
      for (int i = 0; i < YEAR_MINUTES; i++) {
        double open = price;
        price = Math.max(1, price * (1 + (rnd.nextDouble() - 0.5) * 0.002));
        double hi = Math.max(open, price) * (1 + rnd.nextDouble() * 0.0005);
        double lo = Math.min(open, price) * (1 - rnd.nextDouble() * 0.0005);
        Candle c =
            new Candle(
                SYMBOL, Timeframe.M1, start + i * 60_000L, open, hi, lo, price,
                rnd.nextDouble() * 3, 1 + rnd.nextInt(40), true);
        producer.send(new ProducerRecord<>(Topics.CANDLES, partition, c.key(), CandleCodec.encode(c)));
      }
      producer.flush();
    }
  }

  /** Until the history answers with the first candle of the year. */
  private static void awaitLoaded(SingleNode node, long start) throws Exception {
    JsonObject probe =
        new JsonObject().put("symbol", SYMBOL).put("tf", "1m").put("from", start).put("limit", 1)
            .put("to", start);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      try {
        JsonObject r =
            (JsonObject) await(node.vertx().eventBus().request(Addresses.HISTORY, probe)).body();
        if (!r.getJsonArray("candles").isEmpty()) {
          return;
        }
      } catch (Exception e) {
        // not owned yet
      }
      Promise<Void> p = Promise.promise();
      node.vertx().setTimer(200, t -> p.complete());
      await(p.future());
    }
    throw new IllegalStateException("the year was not loaded within 3 minutes");
  }

  private static long[] merge(List<long[]> perWorker, List<int[]> counts) {
    int total = 0;
    for (int[] n : counts) {
      total += n[0];
    }
    long[] all = new long[total];
    int at = 0;
    for (int w = 0; w < perWorker.size(); w++) {
      int n = counts.get(w)[0];
      System.arraycopy(perWorker.get(w), 0, all, at, n);
      at += n;
    }
    Arrays.sort(all);
    return all;
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }

  private static void log(String fmt, Object... args) {
    System.out.println(String.format(fmt, args));
  }
}
