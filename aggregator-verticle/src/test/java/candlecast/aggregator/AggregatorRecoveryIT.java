package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery, the way Kafka's own EOS tests do it: a separate aggregator JVM folds 1,000,000+
 * trades while it is killed with SIGKILL at random moments and restarted; at the end every key of
 * {@code candles} must equal the offline oracle and no closed candle may ever have been written
 * with two different values (only its partial flag may change: the log holds gap records too).
 */
class AggregatorRecoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorRecoveryIT.class);
  static final long GRACE = 300;
  static final int DEDUP = 64;

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void tearDown() {
    processes.forEach(Process::destroyForcibly);
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void killNineThreeTimesUnderLoadLeavesCandlesEqualToTheOracle() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 4);
    List<byte[]> log = TradeLogGenerator.generate(2026, 8, 1_000_000, GRACE, 20);

    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              try {
                KafkaFixture.produce(bootstrap, log, 100_000);
              } catch (InterruptedException e) {
                throw new RuntimeException(e);
              }
            });
    Random rnd = new Random();
    Process p = startAggregator(bootstrap);
    for (int kill = 1; kill <= 3; kill++) {
      long delay = 700L + rnd.nextInt(2_500);
      Thread.sleep(
          delay); // a random moment to kill at: the point of the test, not a wait for a condition
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      LOG.info("kill -9 #{} after {} ms", kill, delay);
      p = startAggregator(bootstrap);
    }
    producing.get(120, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> KafkaFixture.groupCaughtUp(bootstrap, AggregatorVerticle.GROUP_ID));
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    Oracle oracle = new Oracle(GRACE, DEDUP);
    log.forEach(oracle::accept);
    List<String> problems = new ArrayList<>();
    Map<String, byte[]> latest = KafkaFixture.latestCandles(bootstrap, problems);
    LOG.info(
        "oracle: {} trades, {} duplicates, {} late, {} candle keys; topic: {} keys",
        oracle.trades,
        oracle.duplicates,
        oracle.late,
        oracle.latest().size(),
        latest.size());
    assertThat(problems).isEmpty();
    assertThat(KafkaFixture.diff(latest, oracle)).isEmpty();
    assertThat(KafkaFixture.historyDiff(bootstrap, oracle)).isEmpty();
    assertThat(oracle.trades).isGreaterThanOrEqualTo(1_000_000);
    assertThat(oracle.latest().values())
        .as("closed candles marked partial by gaps")
        .anyMatch(c -> c.closed() && c.partial());
  }

  private Process startAggregator(String bootstrap) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
            new File(System.getProperty("java.home"), "bin/java").getPath(),
            "-Xmx512m",
            "-cp",
            cp,
            "-Dlogback.configurationFile=logback-test.xml",
            AggregatorMain.class.getName());
    pb.environment().put("CANDLECAST_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    pb.environment().put("CANDLECAST_AGGREGATOR_GRACE_MS", String.valueOf(GRACE));
    pb.environment().put("CANDLECAST_AGGREGATOR_DEDUP_SIZE", String.valueOf(DEDUP));
    pb.environment().put("CANDLECAST_AGGREGATOR_CHECKPOINT_MS", "300");
    pb.environment().put("CANDLECAST_AGGREGATOR_INSTANCE_ID", "recovery-test");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.equals("READY")) {
                    ready.complete(null);
                  } else if (line.contains("ERROR")
                      || line.contains("WARN")
                      || line.contains("took over")) {
                    LOG.info("[aggregator] {}", line);
                  }
                }
              } catch (Exception e) {
                // process killed
              }
              ready.completeExceptionally(
                  new IllegalStateException("aggregator exited before READY"));
            });
    t.setDaemon(true);
    t.start();
    ready.get(60, TimeUnit.SECONDS);
    return p;
  }
}
