package candlecast.bench.streams;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Topics;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Aggregation through Kafka, side by side: one embedded broker, one pre-filled {@code trades}
 * topic, then (one after the other, each in its own JVM with the same heap) one Candlecast
 * aggregator and one Kafka Streams application read it from the beginning. For each: time from
 * process start until its consumer group has committed the end of every partition (drain time),
 * sustained trades/s (between 10 % and 90 % of the input committed), CPU seconds of the process.
 * Then both output topics are read and every window is compared (the comparison is void if they
 * differ).
 *
 * <p>Usage: {@code java -jar bench-streams.jar [--trades N] [--symbols S] [--out DIR] [--ks-threads
 * T] [--ks-guarantee exactly_once_v2|at_least_once] [--heap 1g] [--timeout-s 600] [--order
 * candlecast,kafka-streams] [--jvm-opts "-XX:StartFlightRecording=..."]}
 */
public final class StreamsVsAggregator {
  static final int PARTITIONS = 4;

  private StreamsVsAggregator() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = args(args);
    long n = Long.parseLong(a.getOrDefault("trades", "5000000"));
    int symbols = Integer.parseInt(a.getOrDefault("symbols", "8"));
    Path out = Path.of(a.getOrDefault("out", "results"));
    int ksThreads = Integer.parseInt(a.getOrDefault("ks-threads", "1"));
    // exactly_once_v2, as Candlecast's transactional fold loop; at_least_once as runs before it
    String ksGuarantee = a.getOrDefault("ks-guarantee", "exactly_once_v2");
    String heap = a.getOrDefault("heap", "1g");
    long timeoutMs = Long.parseLong(a.getOrDefault("timeout-s", "600")) * 1000;
    List<String> order = List.of(a.getOrDefault("order", "candlecast,kafka-streams").split(","));
    // extra JVM options for the contenders, e.g. "-XX:StartFlightRecording=filename=DIR/%s.jfr" (%s
    // = contender)
    String jvmOpts = a.getOrDefault("jvm-opts", "");
    Files.createDirectories(out);

    Path dir = Files.createTempDirectory("cc-vs-ks");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
    String bootstrap = kafka.bootstrapServers();
    JsonObject result =
        new JsonObject()
            .put("benchmark", "aggregation")
            .put("trades", n)
            .put("symbols", symbols)
            .put("partitions", PARTITIONS)
            .put("heap", heap)
            .put("kafkaStreamsThreads", ksThreads)
            .put("kafkaStreamsGuarantee", ksGuarantee)
            .put("loadAverageBefore", loadAverage());
    int exit = 0;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      KafkaTopics.ensureTopicsBlocking(bootstrap, PARTITIONS);
      admin
          .createTopics(
              List.of(
                  new NewTopic(KafkaStreamsCandles.OUTPUT, PARTITIONS, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
      TradeInput.Written w = TradeInput.prefill(bootstrap, n, symbols, 42);
      System.out.printf(
          "prefilled %,d trades over %d symbols (%.0f s of event time) in %.1f s%n",
          n, symbols, (w.lastTime() - w.firstTime()) / 1e3, w.seconds());
      result
          .put("prefillSeconds", w.seconds())
          .put("eventTimeSeconds", (w.lastTime() - w.firstTime()) / 1e3);
      Map<TopicPartition, Long> end = endOffsets(admin);
      long total = end.values().stream().mapToLong(Long::longValue).sum();

      JsonObject contenders = new JsonObject();
      for (String who : order) {
        String main;
        String group;
        List<String> extra = new ArrayList<>();
        if (who.equals("candlecast")) {
          main = CandlecastAggregator.class.getName();
          group = AggregatorVerticle.GROUP_ID;
        } else if (who.equals("kafka-streams")) {
          main = KafkaStreamsCandles.class.getName();
          group = KafkaStreamsCandles.APPLICATION_ID;
          extra.add(Integer.toString(ksThreads));
          extra.add(ksGuarantee);
        } else {
          throw new IllegalArgumentException("unknown contender " + who);
        }
        JsonObject r =
            drain(
                who,
                main,
                group,
                bootstrap,
                extra,
                admin,
                end,
                total,
                heap,
                jvmOpts.isBlank()
                    ? List.of()
                    : List.of(String.format(jvmOpts, who).trim().split("\\s+")),
                timeoutMs,
                out);
        contenders.put(who, r);
        System.out.printf(
            "RESULT %-13s drained %,d trades in %.2f s; sustained %,.0f trades/s; %.1f CPU s%s%n",
            who,
            total,
            r.getDouble("drainSeconds"),
            r.getDouble("sustainedTradesPerSec"),
            r.getDouble("cpuSeconds"),
            r.getBoolean("finished") ? "" : " (DID NOT FINISH)");
      }
      result.put("contenders", contenders);

      JsonObject eq = compare(bootstrap);
      result.put("equivalence", eq);
      System.out.println("equivalence: " + eq.encode());
      JsonObject cc = contenders.getJsonObject("candlecast");
      JsonObject ks = contenders.getJsonObject("kafka-streams");
      if (cc != null && ks != null) {
        result.put(
            "ratio",
            new JsonObject()
                .put(
                    "sustainedTradesPerSec",
                    cc.getDouble("sustainedTradesPerSec") / ks.getDouble("sustainedTradesPerSec"))
                .put("drainTime", ks.getDouble("drainSeconds") / cc.getDouble("drainSeconds"))
                .put("cpuPerTrade", ks.getDouble("cpuSeconds") / cc.getDouble("cpuSeconds")));
        System.out.printf(
            "RESULT ratio candlecast/kafka-streams: sustained %.1fx, drain time %.1fx, CPU %.1fx%n",
            result.getJsonObject("ratio").getDouble("sustainedTradesPerSec"),
            result.getJsonObject("ratio").getDouble("drainTime"),
            result.getJsonObject("ratio").getDouble("cpuPerTrade"));
      }
      if (!eq.getBoolean("equal")) {
        System.out.println("RESULT VOID: the two outputs differ (see equivalence)");
        exit = 3;
      }
    } finally {
      result.put("loadAverageAfter", loadAverage());
      Files.writeString(out.resolve("aggregation.json"), result.encodePrettily());
      System.out.println("results: " + out.resolve("aggregation.json"));
      kafka.stop();
    }
    System.exit(exit);
  }

  // ------------------------------------------------------------------ one contender

  static JsonObject drain(
      String who,
      String main,
      String group,
      String bootstrap,
      List<String> extra,
      Admin admin,
      Map<TopicPartition, Long> end,
      long total,
      String heap,
      List<String> jvmOpts,
      long timeoutMs,
      Path out)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar =
        new File(
                StreamsVsAggregator.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .getPath();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
    cmd.addAll(jvmOpts);
    cmd.addAll(List.of("-cp", jar, main, bootstrap));
    cmd.addAll(extra);
    File log = out.resolve("aggregation-" + who + ".log").toFile();
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    JsonArray timeline = new JsonArray();
    double t10 = -1;
    double t90 = -1;
    long c10 = 0;
    long c90 = 0;
    double firstProgress = -1;
    double doneAt = -1;
    long committed = 0;
    Duration cpu = Duration.ZERO;
    while (true) {
      Thread.sleep(100);
      double t = (System.nanoTime() - start) / 1e9;
      cpu = p.info().totalCpuDuration().orElse(cpu);
      committed = committed(admin, group, end);
      timeline.add(new JsonArray().add(Math.round(t * 1000) / 1000.0).add(committed));
      if (committed > 0 && firstProgress < 0) {
        firstProgress = t;
      }
      if (t10 < 0 && committed >= total / 10) {
        t10 = t;
        c10 = committed;
      }
      if (t90 < 0 && committed >= total * 9 / 10) {
        t90 = t;
        c90 = committed;
      }
      if (committed >= total) {
        doneAt = t;
        break;
      }
      if (!p.isAlive()) {
        System.out.println(who + " exited early with " + p.exitValue() + "; see " + log);
        break;
      }
      if (t * 1000 > timeoutMs) {
        System.out.println(who + " did not finish within " + timeoutMs / 1000 + " s");
        break;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    p.destroy(); // SIGTERM: a clean stop
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
    boolean finished = doneAt >= 0;
    double sustained;
    if (t10 >= 0 && t90 > t10) {
      sustained = (c90 - c10) / (t90 - t10);
    } else {
      sustained = committed / Math.max(1e-9, elapsed - Math.max(0, firstProgress));
    }
    return new JsonObject()
        .put("finished", finished)
        .put("drainSeconds", finished ? doneAt : elapsed)
        .put("tradesCommitted", committed)
        .put("firstCommitSeconds", firstProgress)
        .put("sustainedTradesPerSec", sustained)
        .put("drainTradesPerSec", committed / (finished ? doneAt : elapsed))
        .put("cpuSeconds", cpu.toMillis() / 1000.0)
        .put("cpuSecondsPerMillionTrades", cpu.toMillis() / 1000.0 / (Math.max(1, committed) / 1e6))
        .put(
            "command",
            String.join(" ", cmd.subList(1, cmd.size())).replace(jar, "bench-streams.jar"))
        .put("timeline", timeline);
  }

  static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      req.put(new TopicPartition(Topics.TRADES, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  static long committed(Admin admin, String group, Map<TopicPartition, Long> end) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> c =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long sum = 0;
    for (TopicPartition tp : end.keySet()) {
      OffsetAndMetadata o = c.get(tp);
      if (o != null) {
        sum += Math.min(o.offset(), end.get(tp));
      }
    }
    return sum;
  }

  // ------------------------------------------------------------------ equivalence

  /**
   * Latest value of every key of both output topics; compares open, high, low, close, volume and
   * count (exact double equality) of every window with trades. Candlecast's flat windows (n = 0)
   * have no Kafka Streams counterpart and are counted, not compared (the input is built to have
   * none); so are its calendar windows (1w, 1M), which Kafka Streams' TimeWindows cannot express.
   */
  static JsonObject compare(String bootstrap) {
    Map<String, Candle> cc = latest(bootstrap, Topics.CANDLES);
    Map<String, Candle> ks = latest(bootstrap, KafkaStreamsCandles.OUTPUT);
    long compared = 0;
    long mismatches = 0;
    long onlyCc = 0;
    long flat = 0;
    long calendar = 0;
    long closed = 0;
    JsonArray examples = new JsonArray();
    Map<String, Long> perTf = new java.util.TreeMap<>();
    for (Map.Entry<String, Candle> e : cc.entrySet()) {
      Candle c = e.getValue();
      if (c.trades() == 0) {
        flat++;
        continue;
      }
      if (!KafkaStreamsCandles.epochAligned(c.tf())) {
        calendar++; // 1w and 1M: Kafka Streams' TimeWindows cannot express them
        continue;
      }
      if (c.closed()) {
        closed++;
      }
      Candle k = ks.get(e.getKey());
      if (k == null) {
        onlyCc++;
        if (examples.size() < 5) {
          examples.add("only in candlecast: " + e.getKey());
        }
        continue;
      }
      compared++;
      perTf.merge(c.tf().label(), 1L, Long::sum);
      boolean same =
          c.open() == k.open()
              && c.high() == k.high()
              && c.low() == k.low()
              && c.close() == k.close()
              && c.volume() == k.volume()
              && c.trades() == k.trades();
      if (!same) {
        mismatches++;
        if (examples.size() < 5) {
          examples.add("differs: " + c + " vs " + k);
        }
      }
    }
    Set<String> onlyKsKeys = new TreeSet<>(ks.keySet());
    onlyKsKeys.removeAll(cc.keySet());
    for (String k : onlyKsKeys) {
      if (examples.size() < 5) {
        examples.add("only in kafka streams: " + k);
      }
    }
    boolean equal = compared > 0 && mismatches == 0 && onlyCc == 0 && onlyKsKeys.isEmpty();
    return new JsonObject()
        .put("equal", equal)
        .put("windowsCompared", compared)
        .put("perTimeframe", new JsonObject(new HashMap<>(perTf)))
        .put("closedInCandlecast", closed)
        .put("mismatches", mismatches)
        .put("onlyInCandlecast", onlyCc)
        .put("onlyInKafkaStreams", onlyKsKeys.size())
        .put("flatWindowsSkipped", flat)
        .put("calendarWindowsSkipped", calendar)
        .put("candlecastKeys", cc.size())
        .put("kafkaStreamsKeys", ks.size())
        .put("examples", examples);
  }

  static Map<String, Candle> latest(String bootstrap, String topic) {
    Map<String, Object> props = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
    props.put("max.poll.records", 10_000);
    Map<String, Candle> out = new HashMap<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            out.put(r.key(), CandleCodec.decode(r.value()));
          }
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  static Map<String, String> args(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "expected --name value pairs, got " + String.join(" ", args));
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }
}
