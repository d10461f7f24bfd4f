package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay source: files in, exactly their trades out, against a real Kafka broker. */
class ReplayFeedTest {
  private static EmbeddedKafka kafka;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.shared();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static CandlecastConfig replay(Path file, List<String> symbols, String speed) {
    return CandlecastConfig.defaults()
        .with(Settings.FEED_SOURCE, "replay")
        .with(Settings.FEED_SYMBOLS, symbols)
        .with(Settings.REPLAY_FILE, file.toString())
        .with(Settings.REPLAY_SPEED, speed)
        .with(Settings.REPLAY_PROGRESS_MS, 500L);
  }

  /** Writes a CSV (gzip when the name ends in .gz) with the header and these lines. */
  static void write(Path file, List<String> lines) throws IOException {
    var out = Files.newOutputStream(file);
    if (file.toString().endsWith(".gz")) {
      out = new GZIPOutputStream(out);
    }
    try (BufferedWriter w =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      w.write(ReplayCsv.HEADER);
      w.write('\n');
      for (String l : lines) {
        w.write(l);
        w.write('\n');
      }
    }
  }

  private static ReplaySource source(FeedVerticle feed) {
    return (ReplaySource) feed.sources().get(0);
  }

  @Test
  void maxSpeedWritesExactlyTheFilesTradesAndReportsBadRowsByLineNumber(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("trades.csv.gz");
    Random rnd = new Random(7);
    List<String> lines = new ArrayList<>();
    Map<String, List<Trade>> expected = new HashMap<>();
    Map<Integer, String> badLines = new HashMap<>(); // file line number -> expected reason
    long t = 1_700_000_000_000L;
    long id = 1L << 53;
    for (int i = 0; i < 20_000; i++) {
      String symbol = i % 3 == 0 ? "RETHUSD" : "RBTCUSD";
      t += rnd.nextInt(20);
      Trade tr =
          new Trade(
              symbol,
              id++,
              t,
              Math.round(30_000 + rnd.nextGaussian() * 100) / 100.0 * 100,
              Math.round(rnd.nextDouble() * 1e8) / 1e8,
              rnd.nextBoolean() ? Side.BUY : Side.SELL);
      lines.add(ReplayCsv.line(tr));
      expected.computeIfAbsent(symbol, k -> new ArrayList<>()).add(tr);
      if (i == 100) {
        lines.add("ROTHERUSD,5," + t + ",1.5,1,buy"); // another symbol: skipped and counted
      }
      if (i == 5_000) {
        lines.add("RBTCUSD,77," + t + ",abc,1,buy");
        badLines.put(lines.size() + 1, "bad price 'abc'");
        lines.add("RBTCUSD,78," + t + ",1.5,1");
        badLines.put(lines.size() + 1, "expected 6 fields");
        lines.add("RBTCUSD,79," + t + ",0,1,buy");
        badLines.put(lines.size() + 1, "price must be finite and > 0, was 0.0");
        lines.add("");
      }
    }
    write(file, lines);
    CandlecastConfig config = replay(file, List.of("RBTCUSD", "RETHUSD"), "max");
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String deployment = await(vertx.deployVerticle(feed));
    await().atMost(Duration.ofSeconds(60)).until(() -> source(feed).finished());
    JsonObject state = feed.health().getJsonObject("sources").getJsonObject("replay");
    assertThat(state.getString("state")).isEqualTo("finished");
    assertThat(state.getDouble("progress")).isEqualTo(1.0);
    assertThat(state.getLong("emitted")).isEqualTo(20_000);
    assertThat(state.getLong("malformed")).isEqualTo(3);
    assertThat(state.getJsonObject("otherSymbols")).isEqualTo(new JsonObject().put("ROTHERUSD", 1));
    assertThat(feed.health().getString("status")).isEqualTo("UP");
    await(vertx.undeploy(deployment));
    assertThat(feed.tradesSent()).isEqualTo(20_000);

    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      log.readToEnd();
      for (String s : List.of("RBTCUSD", "RETHUSD")) {
        assertThat(log.trades(s)).as(s).isEqualTo(expected.get(s));
        TestKafka.assertWatermarkContract(s, log.records(s));
      }
      assertThat(log.tradeCount("ROTHERUSD")).isZero();
    }
    try (TestKafka.TopicLog dlq =
        new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES_DLQ)) {
      List<JsonObject> mine =
          dlq.readToEnd().json().stream()
              .filter(
                  j ->
                      ("replay".equals(j.getString("source")) && j.encode().contains("RBTCUSD,7"))
                          || j.encode().contains("\"id\":79"))
              .toList();
      assertThat(mine).hasSize(3);
      for (JsonObject j : mine) {
        int line = j.getInteger("line");
        assertThat(badLines).containsKey(line);
        assertThat(j.getString("reason")).startsWith(badLines.get(line));
      }
    }
  }

  @Test
  void recordedSpeedIsKeptAndTheVirtualClockDrivesWatermarks(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("slow.csv");
    List<String> lines = new ArrayList<>();
    long t0 = 1_700_000_000_000L;
    for (int i = 0; i <= 20; i++) {
      // RSLOWA trades every 100 ms over 2 s of recorded time; RSLOWB once at the start.
      lines.add("RSLOWA," + (1000 + i) + "," + (t0 + i * 100L) + ",10.0,1,buy");
      if (i == 0) {
        lines.add("RSLOWB,1," + t0 + ",20.0,1,sell");
      }
    }
    write(file, lines);
    CandlecastConfig config =
        replay(file, List.of("RSLOWA", "RSLOWB"), "2").with(Settings.FEED_WATERMARK_MS, 50L);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    long start = System.nanoTime();
    String deployment = await(vertx.deployVerticle(feed));
    await().atMost(Duration.ofSeconds(20)).until(() -> source(feed).finished());
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).as("2 s of recorded time at 2x").isBetween(950L, 4_000L);
    await(vertx.undeploy(deployment));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      log.readToEnd();
      assertThat(log.trades("RSLOWA")).hasSize(21);
      assertThat(log.trades("RSLOWA").get(20).time()).isEqualTo(t0 + 2_000);
      // The quiet symbol's watermarks follow the replay's virtual clock, in recorded time, and
      // never pass a trade.
      TestKafka.assertWatermarkContract("RSLOWA", log.records("RSLOWA"));
      TestKafka.assertWatermarkContract("RSLOWB", log.records("RSLOWB"));
      List<Long> wm = log.watermarks("RSLOWB");
      assertThat(wm).isNotEmpty();
      assertThat(wm).allMatch(w -> w > t0 && w <= t0 + 2_000);
      assertThat(wm.get(wm.size() - 1)).isGreaterThan(t0 + 1_500);
    }
  }

  /**
   * Issue 19 (found by the chaos soak): a leader that takes over, or a restarted feed, goes through
   * the file again and skips what the log holds — at once, not at the recorded pace: it writes the
   * first trade still missing right away and the rest at their pace from there.
   */
  @Test
  void aTakeoverSkipsWhatTheLogHoldsWithoutWaitingForItsRecordedTime(@TempDir Path dir)
      throws Exception {
    long t0 = 1_700_000_000_000L;
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 31; i++) {
      all.add("RSKIP," + (500 + i) + "," + (t0 + i * 200L) + ",5.0,1,buy");
    }
    Path first = dir.resolve("first.csv");
    write(first, all.subList(0, 21));
    FeedVerticle one =
        new FeedVerticle(replay(first, List.of("RSKIP"), "max"), kafka.bootstrapServers());
    String d1 = await(vertx.deployVerticle(one));
    await().atMost(Duration.ofSeconds(20)).until(() -> source(one).finished());
    await(vertx.undeploy(d1));
    Path full = dir.resolve("full.csv");
    write(full, all);
    FeedVerticle two =
        new FeedVerticle(replay(full, List.of("RSKIP"), "1"), kafka.bootstrapServers());
    long start = System.nanoTime();
    String d2 = await(vertx.deployVerticle(two));
    await().atMost(Duration.ofSeconds(20)).until(() -> source(two).finished());
    long ms = (System.nanoTime() - start) / 1_000_000;
    await(vertx.undeploy(d2));
    // 21 trades (4 s recorded) are in the log: only the last 10 (1.8 s recorded) are paced, where
    // waiting for all of it would take 6 s
    assertThat(ms).as("ms from deploying to finishing the second pass").isLessThan(5_000L);
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      assertThat(log.readToEnd().trades("RSKIP"))
          .extracting(Trade::id)
          .containsExactlyElementsOf(LongStream.range(500, 531).boxed().toList());
    }
  }

  @Test
  void loopingShiftsIdsAndTimesSoNothingRepeats(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("loop.csv");
    long t0 = 1_700_000_000_000L;
    write(
        file,
        List.of(
            "RLOOP,10," + t0 + ",1.0,1,buy",
            "RLOOP,11," + (t0 + 10) + ",1.1,1,sell",
            "RLOOP,14," + (t0 + 30) + ",1.2,1,buy"));
    CandlecastConfig config =
        replay(file, List.of("RLOOP"), "max").with(Settings.REPLAY_LOOP, true);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String deployment = await(vertx.deployVerticle(feed));
    await().atMost(Duration.ofSeconds(20)).until(() -> source(feed).emitted() >= 12);
    await(vertx.undeploy(deployment));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      List<Trade> trades = log.readToEnd().trades("RLOOP");
      assertThat(trades.size()).isGreaterThanOrEqualTo(12);
      // loop n: ids + n * 5 (span 10..14), times + n * 31 ms
      assertThat(trades.subList(0, 6))
          .extracting(Trade::id)
          .containsExactly(10L, 11L, 14L, 15L, 16L, 19L);
      assertThat(trades.subList(0, 6))
          .extracting(Trade::time)
          .containsExactly(t0, t0 + 10, t0 + 30, t0 + 31, t0 + 41, t0 + 61);
      for (int i = 1; i < trades.size(); i++) {
        assertThat(trades.get(i).id()).isGreaterThan(trades.get(i - 1).id());
        assertThat(trades.get(i).time()).isGreaterThan(trades.get(i - 1).time());
        assertThat(trades.get(i).price()).isEqualTo(trades.get(i % 3).price());
      }
    }
  }
}
