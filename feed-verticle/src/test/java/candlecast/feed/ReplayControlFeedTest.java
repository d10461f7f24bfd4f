package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay controls at run time over the event bus, against a real Kafka broker: pause stops the
 * trades, start resumes them, a speed change re-paces, reset replays the file as a new shifted
 * pass; malformed commands and a feed without a replay are refused.
 */
class ReplayControlFeedTest {
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

  /** {@code n} trades of {@code symbol}, {@code stepMs} apart in recorded time. */
  private static List<Trade> trades(String symbol, int n, long stepMs) {
    List<Trade> out = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < n; i++) {
      out.add(
          new Trade(
              symbol,
              1_000 + i,
              t + i * stepMs,
              100 + i % 7,
              0.5,
              i % 2 == 0 ? Side.BUY : Side.SELL));
    }
    return out;
  }

  private static JsonObject command(JsonObject body) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(Addresses.FEED_REPLAY, body)).body();
  }

  private static JsonObject op(String op) throws Exception {
    return command(new JsonObject().put("op", op));
  }

  private static ReplyException refused(Object body) {
    try {
      await(vertx.eventBus().request(Addresses.FEED_REPLAY, body));
    } catch (Exception e) {
      Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      assertThat(c).isInstanceOf(ReplyException.class);
      return (ReplyException) c;
    }
    throw new AssertionError("not refused: " + body);
  }

  @Test
  void pauseStopsTradesStartResumesSpeedRepacesAndResetReplaysTheFileAsANewShiftedPass(
      @TempDir Path dir) throws Exception {
    String symbol = "RCBTCUSD";
    List<Trade> file = trades(symbol, 600, 100); // 60 s of recorded time: 10 trades/s at speed 1
    Path csv = dir.resolve("trades.csv");
    ReplayFeedTest.write(csv, file.stream().map(ReplayCsv::line).toList());
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.FEED_SYMBOLS, List.of(symbol))
            .with(Settings.REPLAY_FILE, csv.toString())
            .with(Settings.REPLAY_SPEED, "1");
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> counted(log, symbol) >= 10);

      JsonObject paused = op("pause");
      assertThat(paused.getString("state")).isEqualTo("paused");
      assertThat(paused.getString("speed")).isEqualTo("1");
      assertThat(paused.getLong("total")).isIn(-1L, 600L);
      assertThat(paused.getValue("eta")).isNull();
      long position = paused.getLong("position");
      // paused: the log's count of the symbol's trades holds still for 1.5 s and equals the
      // position
      await()
          .pollDelay(Duration.ZERO)
          .during(Duration.ofMillis(1_500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> counted(log, symbol) == position);
      assertThat(op("status").getLong("position")).isEqualTo(position);
      assertThat(refused(new JsonObject().put("op", "pause")).failureCode()).isEqualTo(409);

      // start: trades flow again at 10/s
      assertThat(op("start").getString("state")).isEqualTo("running");
      await().atMost(Duration.ofSeconds(10)).until(() -> counted(log, symbol) >= position + 10);
      assertThat(refused(new JsonObject().put("op", "start")).failureCode()).isEqualTo(409);

      // 55 s of recorded time are left; at speed 200 they take a fraction of a second
      JsonObject fast = command(new JsonObject().put("op", "speed").put("speed", 200));
      assertThat(fast.getString("speed")).isEqualTo("200");
      ReplaySource source = (ReplaySource) feed.sources().get(0);
      await().atMost(Duration.ofSeconds(8)).until(source::finished);
      JsonObject done = op("status");
      assertThat(done.getString("state")).isEqualTo("finished");
      assertThat(done.getLong("position")).isEqualTo(600);
      assertThat(done.getLong("total")).isEqualTo(600);
      assertThat(done.getLong("eta")).isZero();
      assertThat(refused(new JsonObject().put("op", "start")).getMessage()).contains("finished");

      // reset: a new pass, paused at the first trade; started at max speed it replays the file
      // shifted past the first pass
      JsonObject reset = op("reset");
      assertThat(reset.getString("state")).isEqualTo("paused");
      assertThat(reset.getLong("position")).isZero();
      assertThat(reset.getInteger("pass")).isEqualTo(1);
      command(new JsonObject().put("op", "speed").put("speed", "max"));
      op("start");
      await().atMost(Duration.ofSeconds(20)).until(() -> counted(log, symbol) >= 1_200);
      await().atMost(Duration.ofSeconds(5)).until(source::finished);

      List<Trade> expected = new ArrayList<>(file);
      Trade first = file.get(0);
      Trade last = file.get(file.size() - 1);
      long idShift = last.id() - first.id() + 1;
      long timeShift = last.time() - first.time() + 1;
      for (Trade t : file) {
        expected.add(
            new Trade(
                symbol, t.id() + idShift, t.time() + timeShift, t.price(), t.amount(), t.side()));
      }
      log.readToEnd();
      assertThat(log.trades(symbol)).isEqualTo(expected);
      TestKafka.assertWatermarkContract(symbol, log.records(symbol));

      // malformed commands: 400, naming the problem
      assertThat(refused(new JsonObject().put("op", "rewind")).failureCode()).isEqualTo(400);
      ReplyException noSpeed = refused(new JsonObject().put("op", "speed"));
      assertThat(noSpeed.failureCode()).isEqualTo(400);
      assertThat(noSpeed.getMessage()).contains("needs a speed");
      assertThat(refused("start").failureCode()).isEqualTo(400);
    } finally {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void aResetMidPassStartsTheNextPassRightAfterWhatItCutShort(@TempDir Path dir) throws Exception {
    String symbol = "RCMIDUSD";
    List<Trade> file = trades(symbol, 400, 100);
    Path csv = dir.resolve("mid.csv");
    ReplayFeedTest.write(csv, file.stream().map(ReplayCsv::line).toList());
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.FEED_SYMBOLS, List.of(symbol))
            .with(Settings.REPLAY_FILE, csv.toString())
            .with(Settings.REPLAY_SPEED, "2");
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> counted(log, symbol) >= 20);
      op("reset");
      int cut = (int) op("status").getLong("position").longValue();
      assertThat(cut).isZero();
      command(new JsonObject().put("op", "speed").put("speed", "max"));
      op("start");
      ReplaySource source = (ReplaySource) feed.sources().get(0);
      await().atMost(Duration.ofSeconds(20)).until(source::finished);
      log.readToEnd();
      List<Trade> written = log.trades(symbol);
      int firstPass = written.size() - file.size();
      assertThat(firstPass).isBetween(20, file.size() - 1);
      assertThat(written.subList(0, firstPass)).isEqualTo(file.subList(0, firstPass));
      Trade lastOfFirst = written.get(firstPass - 1);
      long idShift = lastOfFirst.id() - file.get(0).id() + 1;
      long timeShift = lastOfFirst.time() - file.get(0).time() + 1;
      List<Trade> second = new ArrayList<>();
      for (Trade t : file) {
        second.add(
            new Trade(
                symbol, t.id() + idShift, t.time() + timeShift, t.price(), t.amount(), t.side()));
      }
      assertThat(written.subList(firstPass, written.size())).isEqualTo(second);
      TestKafka.assertWatermarkContract(symbol, log.records(symbol));
    } finally {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void aFeedWithoutAReplayRefusesControlsWith409() throws Exception {
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "mock")
            .with(Settings.FEED_SYMBOLS, List.of("RCMOCKUSD"))
            .with(Settings.FEED_BOOKS, false)
            .with(Settings.MOCK_HISTORY_DAYS, 0);
    String id = await(vertx.deployVerticle(new FeedVerticle(config, kafka.bootstrapServers())));
    try {
      ReplyException e = refused(new JsonObject().put("op", "status"));
      assertThat(e.failureCode()).isEqualTo(409);
      assertThat(e.getMessage()).isEqualTo("the running source is not a replay");
    } finally {
      await(vertx.undeploy(id));
    }
    // no leader: nobody serves the address
    assertThatThrownBy(() -> op("status")).hasMessageContaining("No handlers");
  }

  private static long counted(TestKafka.TopicLog log, String symbol) {
    log.readToEnd();
    return log.tradeCount(symbol);
  }
}
