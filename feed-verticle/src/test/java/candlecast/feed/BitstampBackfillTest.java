package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Side;
import candlecast.common.Trade;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST back-fill on its own: against {@link FakeBitstamp}'s REST endpoint (the real shapes, its
 * ground truth), and against a canned loopback server where a test needs chosen times, statuses or
 * broken rows. Runs on a Vert.x context like the feed.
 */
class BitstampBackfillTest {
  private static Vertx vertx;
  private static Context context;
  private FakeBitstamp fake;
  private HttpServer canned;
  private final Map<String, Object[]> cannedReplies = new ConcurrentHashMap<>();
  private final List<String> cannedRequests = Collections.synchronizedList(new ArrayList<>());
  private final TradeGateTest.ListLog log = new TradeGateTest.ListLog();
  private final TradeGate gate = new TradeGate("bitstamp", log, 1_000, 60_000);
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private BitstampBackfill backfill;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (backfill != null) {
      await(on(backfill::close));
    }
    if (fake != null) {
      fake.close();
    }
    if (canned != null) {
      await(canned.close());
    }
  }

  private static <T> T on(Callable<T> action) throws Exception {
    return FakeBitstamp.on(context, action);
  }

  private BitstampBackfill backfill(String restUrl) throws Exception {
    backfill = new BitstampBackfill(vertx, restUrl, gate, problems::add);
    on(
        () -> {
          backfill.open();
          return null;
        });
    return backfill;
  }

  private BitstampBackfill.Round fetch(Map<String, BitstampBackfill.From> from, long sinceMs)
      throws Exception {
    return await(on(() -> backfill.fetch(from, sinceMs, System.currentTimeMillis())));
  }

  private BitstampBackfill.Written write(BitstampBackfill.Round round) throws Exception {
    return on(() -> backfill.write(round));
  }

  /**
   * A loopback REST server answering {@code /api/v2/transactions/<pair>/} with {@link
   * #cannedReplies}.
   */
  private String cannedRest() throws Exception {
    canned =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      cannedRequests.add(req.uri());
                      String pair =
                          req.path().replace("/api/v2/transactions/", "").replace("/", "");
                      Object[] reply =
                          cannedReplies.getOrDefault(
                              pair, new Object[] {404, "{\"reason\":\"unknown pair\"}"});
                      req.response().setStatusCode((Integer) reply[0]).end((String) reply[1]);
                    })
                .listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + canned.actualPort() + "/";
  }

  private static JsonObject row(long tid, long dateSec, String price) {
    return new JsonObject()
        .put("date", String.valueOf(dateSec))
        .put("tid", String.valueOf(tid))
        .put("price", price)
        .put("amount", "0.50000000")
        .put("type", "1");
  }

  private static List<Long> ids(List<Trade> trades) {
    return trades.stream().map(Trade::id).toList();
  }

  @Test
  void writesTheRestTradesAfterTheStartingIdInIdOrderWithRestsWholeSeconds() throws Exception {
    fake = FakeBitstamp.start("bfonebtc");
    List<Trade> truth = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      truth.add(fake.emit("bfonebtc"));
    }
    backfill(fake.restUrl());
    long now = System.currentTimeMillis();
    BitstampBackfill.Round round =
        fetch(Map.of("BFONEBTC", new BitstampBackfill.From(truth.get(1).id(), 0)), now - 10_000);
    assertThat(round.window()).isEqualTo("minute");
    assertThat(fake.restCalls).containsExactly("bfonebtc?time=minute");
    assertThat(on(backfill::running)).isFalse();

    BitstampBackfill.Written w = write(round);
    assertThat(w.fromRest()).isEqualTo(4);
    assertThat(w.refused()).isNull();
    List<Trade> written = log.trades();
    assertThat(ids(written)).isEqualTo(ids(truth.subList(2, 6)));
    for (int i = 0; i < written.size(); i++) {
      Trade want = truth.get(i + 2);
      assertThat(written.get(i).time()).isEqualTo(want.time() / 1000 * 1000);
      assertThat(written.get(i).price()).isEqualTo(want.price());
      assertThat(written.get(i).side()).isEqualTo(want.side());
    }
    assertThat(backfill.addStats(new JsonObject()))
        .isEqualTo(
            new JsonObject()
                .put("backfills", 1L)
                .put("backfillFailures", 0L)
                .put("backfilled", 4L));
  }

  @Test
  void bufferedLiveTradesAreMergedInAndWinOverTheirRestCopy() throws Exception {
    fake = FakeBitstamp.start("bftwobtc");
    List<Trade> truth = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      truth.add(fake.emit("bftwobtc"));
    }
    backfill(fake.restUrl());
    BitstampBackfill.Round round =
        fetch(
            Map.of("BFTWOBTC", new BitstampBackfill.From(truth.get(0).id(), 0)),
            System.currentTimeMillis() - 10_000);
    Trade newer =
        new Trade("BFTWOBTC", truth.get(3).id() + 10, truth.get(3).time(), 100.0, 1.0, Side.BUY);
    on(
        () -> {
          backfill.buffer(newer);
          backfill.buffer(truth.get(3)); // arrives out of order; written in id order
          return null;
        });

    BitstampBackfill.Written w = write(round);
    assertThat(w.fromRest()).as("only the trades REST alone delivered").isEqualTo(2);
    assertThat(log.trades())
        .containsExactly(
            new Trade(
                "BFTWOBTC",
                truth.get(1).id(),
                truth.get(1).time() / 1000 * 1000,
                truth.get(1).price(),
                truth.get(1).amount(),
                truth.get(1).side()),
            new Trade(
                "BFTWOBTC",
                truth.get(2).id(),
                truth.get(2).time() / 1000 * 1000,
                truth.get(2).price(),
                truth.get(2).amount(),
                truth.get(2).side()),
            truth.get(3), // the live copy, with its exact time
            newer);

    // The buffer is empty after a round: an empty round offers nothing.
    long offered = gate.tradesIn();
    write(
        new BitstampBackfill.Round(
            "minute",
            round.from(),
            Map.of("BFTWOBTC", List.of()),
            BitstampBackfill.Round.COMPLETE));
    assertThat(gate.tradesIn()).isEqualTo(offered);
  }

  @Test
  void withNothingWrittenYetTheRoundStartsAtTheGivenTimeAndBrokenRowsGoToTheDeadLetterTopic()
      throws Exception {
    long sec = System.currentTimeMillis() / 1000 - 40;
    cannedReplies.put(
        "bfthree",
        new Object[] {
          200,
          new JsonArray() // newest first, as Bitstamp sends them
              .add(row(50, sec + 20, "10.30"))
              .add(
                  new JsonObject()
                      .put("date", String.valueOf(sec + 15))
                      .put("tid", "x")
                      .put("price", "1")
                      .put("amount", "1")
                      .put("type", "0"))
              .add(
                  row(
                      40, sec + 10,
                      "10.20")) // the start's own second: REST times are whole seconds, kept
              .add(row(30, sec + 9, "10.10")) // before the start: written before the outage
              .add(row(20, sec + 8, "10.00"))
              .encode()
        });
    backfill(cannedRest());
    long since = (sec + 10) * 1000 + 500;
    BitstampBackfill.Round round =
        fetch(Map.of("BFTHREE", new BitstampBackfill.From(-1, since)), since);
    assertThat(round.window()).as("about 30 s back plus 5 s").isEqualTo("minute");

    assertThat(write(round).fromRest()).isEqualTo(2);
    assertThat(ids(log.trades())).containsExactly(40L, 50L);
    assertThat(log.dlq())
        .singleElement()
        .satisfies(
            j -> assertThat(j.getString("reason")).isEqualTo("back-fill row: malformed tid 'x'"));
  }

  @Test
  void aSymbolRestDoesNotKnowIsReportedAndTheOthersAreBackFilled() throws Exception {
    long sec = System.currentTimeMillis() / 1000;
    cannedReplies.put(
        "bffour", new Object[] {200, new JsonArray().add(row(7, sec, "5.00")).encode()});
    backfill(cannedRest());
    Map<String, BitstampBackfill.From> from = new LinkedHashMap<>();
    from.put("BFNOPE", new BitstampBackfill.From(-1, 0));
    from.put("BFFOUR", new BitstampBackfill.From(-1, 0));
    BitstampBackfill.Round round = fetch(from, System.currentTimeMillis() - 30 * 60_000);
    assertThat(round.window()).isEqualTo("hour");
    assertThat(cannedRequests)
        .containsExactlyInAnyOrder(
            "/api/v2/transactions/bfnope/?time=hour", "/api/v2/transactions/bffour/?time=hour");
    assertThat(problems)
        .containsExactly(
            "GET "
                + "http://127.0.0.1:"
                + canned.actualPort()
                + "/api/v2/transactions/bfnope/?time=hour answered 404: {\"reason\":\"unknown pair\"}; BFNOPE cannot be "
                + "back-filled");
    assertThat(round.rows().get("BFNOPE")).isEmpty();
    assertThat(write(round).fromRest()).isEqualTo(1);
    assertThat(ids(log.trades())).containsExactly(7L);
  }

  @Test
  void anOutageOverADayIsReportedAndFetchedWithTheDayWindow() throws Exception {
    cannedReplies.put("bffive", new Object[] {200, "[]"});
    backfill(cannedRest());
    BitstampBackfill.Round round =
        fetch(
            Map.of("BFFIVE", new BitstampBackfill.From(3, 0)),
            System.currentTimeMillis() - 2 * 86_400_000L);
    assertThat(round.window()).isEqualTo("day");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> assertThat(p).startsWith("outage of 17280").contains("is longer than a day"));
  }

  @Test
  void aFailedCallFailsTheRoundAndIsCountedAndTheNextRoundSucceeds() throws Exception {
    fake = FakeBitstamp.start("bfsixbtc");
    Trade t = fake.emit("bfsixbtc");
    backfill(fake.restUrl());
    fake.restFailures.set(1);
    Map<String, BitstampBackfill.From> from = Map.of("BFSIXBTC", new BitstampBackfill.From(-1, 0));
    assertThatThrownBy(() -> fetch(from, System.currentTimeMillis()))
        .hasMessageContaining("/api/v2/transactions/bfsixbtc/?time=minute answered 500");
    assertThat(on(backfill::running)).isFalse();
    assertThat(write(fetch(from, System.currentTimeMillis())).fromRest()).isEqualTo(1);
    assertThat(ids(log.trades())).containsExactly(t.id());
    assertThat(backfill.addStats(new JsonObject()))
        .isEqualTo(
            new JsonObject()
                .put("backfills", 2L)
                .put("backfillFailures", 1L)
                .put("backfilled", 1L));
  }

  @Test
  void aCancelledRoundFailsWithCancelledAndCountsNoFailure() throws Exception {
    fake = FakeBitstamp.start("bfsevbtc");
    fake.emit("bfsevbtc");
    backfill(fake.restUrl());
    Future<BitstampBackfill.Round> round =
        on(
            () -> {
              long now = System.currentTimeMillis();
              Future<BitstampBackfill.Round> f =
                  backfill.fetch(Map.of("BFSEVBTC", new BitstampBackfill.From(-1, 0)), now, now);
              assertThat(backfill.running()).isTrue();
              backfill.cancel();
              assertThat(backfill.running()).isFalse();
              return f;
            });
    assertThatThrownBy(() -> await(round)).isSameAs(BitstampBackfill.CANCELLED);
    assertThat(backfill.addStats(new JsonObject()).getLong("backfillFailures")).isZero();
    assertThat(log.records).isEmpty();
  }

  @Test
  void whenKafkaRefusesATradeTheRoundStopsThereAndDropsTheBuffer() throws Exception {
    fake = FakeBitstamp.start("bfeigbtc", "bfeigeth");
    List<Trade> btc = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      btc.add(fake.emit("bfeigbtc"));
    }
    fake.emit("bfeigeth");
    backfill(fake.restUrl());
    Map<String, BitstampBackfill.From> from = new LinkedHashMap<>();
    from.put("BFEIGBTC", new BitstampBackfill.From(-1, 0));
    from.put("BFEIGETH", new BitstampBackfill.From(-1, 0));
    BitstampBackfill.Round round = fetch(from, System.currentTimeMillis());
    Trade live = new Trade("BFEIGBTC", btc.get(3).id() + 1, btc.get(3).time(), 1.0, 1.0, Side.SELL);
    on(
        () -> {
          backfill.buffer(live);
          return null;
        });
    log.capacity = 2;

    BitstampBackfill.Written w = write(round);
    assertThat(w.fromRest()).isEqualTo(2);
    assertThat(w.refused().id()).isEqualTo(btc.get(2).id());
    assertThat(ids(log.trades()))
        .as("nothing of the second symbol")
        .isEqualTo(ids(btc.subList(0, 2)));

    log.capacity = Integer.MAX_VALUE;
    long offered = gate.tradesIn();
    write(
        new BitstampBackfill.Round(
            "minute",
            from,
            Map.of("BFEIGBTC", List.of(), "BFEIGETH", List.of()),
            BitstampBackfill.Round.COMPLETE));
    assertThat(gate.tradesIn())
        .as("the buffered live trade was dropped with the round")
        .isEqualTo(offered);
  }
}
