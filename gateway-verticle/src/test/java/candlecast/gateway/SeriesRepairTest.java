package candlecast.gateway;

import static candlecast.gateway.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A series whose closes get lost on the bus reaches its subscribers whole: the hub fills the hole
 * from the history service (here a consumer of {@code candlecast.history} on the real local bus
 * that answers from the same candles the "aggregator" published) and drops re-published windows.
 */
@ExtendWith(VertxExtension.class)
class SeriesRepairTest {
  private static final SeriesKey KEY = new SeriesKey("BTCUSD", Timeframe.S1);
  private Vertx vertx;
  private Context ctx;
  private SeriesHub hub;

  /** Everything the owner folded (its history), by open time. */
  private final TreeMap<Long, Candle> history = new TreeMap<>();

  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<Update> got = new CopyOnWriteArrayList<>();

  /** Answers of the history service still to fail with this code (0: answer). */
  private final AtomicInteger failuresLeft = new AtomicInteger();

  private volatile int failureCode = 503;

  /** Windows the history service leaves out of its answers. */
  private final Set<Long> notInHistory = ConcurrentHashMap.newKeySet();

  /** Every update and every gap notice, in the order the subscriber got them. */
  private final SeriesHub.Subscriber subscriber =
      new SeriesHub.Subscriber() {
        @Override
        public void deliver(Update u) {
          got.add(u);
        }

        @Override
        public void gap(Update notice) {
          got.add(notice);
        }
      };

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    // history requests wait 300 ms; a hole is asked for again for 2 s at most
    this.hub = Await.onContext(ctx, () -> new SeriesHub(vertx, (a, d) -> {}, n -> {}, 300, 2_000));
    await(Await.onContext(ctx, () -> hub.subscribe(KEY, subscriber)));
  }

  private MessageConsumer<JsonObject> serveHistory() throws Exception {
    MessageConsumer<JsonObject> c =
        vertx
            .eventBus()
            .consumer(
                Addresses.HISTORY,
                msg -> {
                  JsonObject q = msg.body();
                  requests.add(q);
                  if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    msg.fail(failureCode, "symbol BTCUSD is being taken over; retry shortly");
                    return;
                  }
                  JsonArray out = new JsonArray();
                  List<Candle> range =
                      new ArrayList<>(
                          history
                              .subMap(
                                  q.getLong("from", Long.MIN_VALUE),
                                  true,
                                  q.getLong("to", Long.MAX_VALUE),
                                  true)
                              .values());
                  int limit = q.getInteger("limit");
                  range.removeIf(x -> notInHistory.contains(x.openTime()));
                  range.subList(Math.max(0, range.size() - limit), range.size()).stream()
                      .map(CandleCodec::toJson)
                      .forEach(out::add);
                  msg.reply(new JsonObject().put("candles", out));
                });
    await(c.completion());
    return c;
  }

  /** The owner folds window {@code t}; {@code onBus} says whether the close reached the bus. */
  private Candle close(long t, double price, boolean onBus) {
    Candle c =
        new Candle("BTCUSD", Timeframe.S1, t, price, price + 1, price - 1, price, 2, 3, true);
    history.put(t, c);
    if (onBus) {
      vertx.eventBus().publish(KEY.address(), CandleCodec.toJson(c));
    }
    return c;
  }

  private List<Long> closedTimes() {
    return got.stream().filter(Update::closed).map(Update::time).toList();
  }

  /** What the subscriber got: closed windows by open time, notices as "gap[from,to)". */
  private List<String> stream() {
    return got.stream()
        .map(
            u ->
                u.detail() instanceof SeriesGap g
                    ? "gap[" + g.from() + "," + g.to() + ")"
                    : u.time() + (u.closed() ? "" : "open"))
        .toList();
  }

  /** The notice's frame, as a client reads it. */
  private static JsonObject frame(Update notice) {
    return new JsonObject(notice.frame().toString());
  }

  @Test
  void lostClosesAreFetchedAndSentInOrderBeforeTheStreamGoesOn() throws Exception {
    serveHistory();
    for (long t = 1_000; t <= 3_000; t += 1_000) {
      close(t, t / 10.0, true);
    }
    for (long t = 4_000; t <= 7_000; t += 1_000) {
      close(t, t / 10.0, false); // lost while the cluster re-formed
    }
    close(8_000, 800, true);
    close(9_000, 900, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 9);
    assertThat(closedTimes())
        .containsExactly(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L, 8_000L, 9_000L);
    for (Update u : got) { // each equals what the owner folded
      assertThat((Candle) u.detail()).isEqualTo(history.get(u.time()));
    }
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).getLong("from")).isEqualTo(4_000L);
    assertThat(requests.get(0).getLong("to")).isEqualTo(7_999L);
    assertThat(hub.holesSeen()).isEqualTo(1);
    assertThat(hub.windowsRepaired()).isEqualTo(4);
  }

  @Test
  void aNewSeriesStartsFromHistorysNewestCloseSoACloseLostWhileItsRegistrationSpreadIsRepaired()
      throws Exception {
    serveHistory();
    for (long t = 1_000; t <= 3_000; t += 1_000) {
      close(t, t / 10.0, false); // folded before this gateway carried the series
    }
    List<Long> second = new CopyOnWriteArrayList<>();
    SeriesHub.Subscriber late =
        new SeriesHub.Subscriber() {
          @Override
          public void deliver(Update u) {
            if (u.closed()) {
              second.add(u.time());
            }
          }
        };
    SeriesHub fresh =
        Await.onContext(ctx, () -> new SeriesHub(vertx, (a, d) -> {}, n -> {}, 300, 2_000));
    // the same series on a second hub (another gateway): primed from history once registered
    await(Await.onContext(ctx, () -> fresh.subscribe(KEY, late)));
    await().atMost(Duration.ofSeconds(5)).until(() -> !requests.isEmpty());
    assertThat(requests.get(0).containsKey("from")).isFalse();
    assertThat(requests.get(0).getInteger("limit")).isEqualTo(SeriesRepair.PRIME_LIMIT);
    close(4_000, 400, false); // its close is published before the owner knows this gateway
    close(5_000, 500, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> second.contains(5_000L));
    assertThat(second).containsSubsequence(4_000L, 5_000L);
    assertThat(second).doesNotHaveDuplicates();
    assertThat(fresh.holesSeen()).isEqualTo(1);
  }

  @Test
  void aTakeoverRepublishingRestoredWindowsReachesNobodyTwice() throws Exception {
    close(1_000, 100, true);
    Candle two = close(2_000, 200, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
    // the new owner re-opens and closes again the windows it restored
    Candle reopened = new Candle("BTCUSD", Timeframe.S1, 2_000, 200, 201, 199, 200, 1, 1, false);
    vertx.eventBus().publish(KEY.address(), CandleCodec.toJson(reopened));
    vertx.eventBus().publish(KEY.address(), CandleCodec.toJson(two));
    // a gap record arriving later marks a closed window partial: that one the client must see
    Candle partial = new Candle("BTCUSD", Timeframe.S1, 1_000, 100, 101, 99, 100, 2, 3, true, true);
    vertx.eventBus().publish(KEY.address(), CandleCodec.toJson(partial));
    close(3_000, 300, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 4);
    assertThat(got.stream().map(u -> u.time() + (u.partial() ? "p" : "")).toList())
        .containsExactly("1000", "2000", "1000p", "3000");
    assertThat(hub.republishedDropped()).isEqualTo(2);
  }

  @Test
  void aHistoryAnsweringOnlyAfterTheTakeoverStillFillsTheHoleInOrder() throws Exception {
    serveHistory();
    failuresLeft.set(2); // the owner moves: two 503s, then it answers
    close(1_000, 100, true);
    close(2_000, 200, false);
    close(3_000, 300, false);
    close(4_000, 400, true);
    close(5_000, 500, true); // waits behind the repair
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 5);
    assertThat(stream()).containsExactly("1000", "2000", "3000", "4000", "5000");
    for (Update u : got) {
      assertThat((Candle) u.detail()).isEqualTo(history.get(u.time()));
    }
    assertThat(requests).hasSize(3);
    assertThat(requests).allSatisfy(q -> assertThat(q.getLong("from")).isEqualTo(2_000L));
    assertThat(hub.repairRetries()).isEqualTo(2);
    assertThat(hub.repairsFailed()).isZero();
    assertThat(hub.gapsAnnounced()).isZero();
  }

  @Test
  void aHoleHistoryNeverFillsIsAnnouncedRightWhereItIs() throws Exception {
    close(1_000, 100, true);
    close(2_000, 200, false);
    close(3_000, 300, false);
    long seen = System.nanoTime();
    close(4_000, 400, true); // nobody answers candlecast.history, ever
    close(5_000, 500, true);
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 4);
    long waitedMs = (System.nanoTime() - seen) / 1_000_000;
    assertThat(stream()).containsExactly("1000", "gap[2000,4000)", "4000", "5000");
    JsonObject notice = frame(got.get(1));
    assertThat(notice)
        .isEqualTo(
            new JsonObject()
                .put("type", "gap")
                .put("channel", "candles")
                .put("symbol", "BTCUSD")
                .put("tf", "1s")
                .put("from", 2_000L)
                .put("to", 4_000L));
    // asked again after 250, 500 ms ... until 2 s after the hole was seen, not longer than ~3 s
    assertThat(hub.repairRetries()).isGreaterThanOrEqualTo(2);
    assertThat(waitedMs).isBetween(1_500L, 6_000L);
    assertThat(hub.repairsFailed()).isEqualTo(1);
    assertThat(hub.gapsAnnounced()).isEqualTo(1);
  }

  @Test
  void aFailureThatNoRetryCuresIsAnnouncedAtOnce() throws Exception {
    serveHistory();
    failureCode = 404;
    failuresLeft.set(100);
    close(1_000, 100, true);
    close(2_000, 200, false);
    close(3_000, 300, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 3);
    assertThat(stream()).containsExactly("1000", "gap[2000,3000)", "3000");
    assertThat(requests).hasSize(1);
    assertThat(hub.repairRetries()).isZero();
  }

  @Test
  void windowsMissingFromTheAnswerAreAnnouncedWhereTheyAreMissing() throws Exception {
    serveHistory();
    close(1_000, 100, true);
    for (long t = 2_000; t <= 6_000; t += 1_000) {
      close(t, t / 10.0, false);
    }
    notInHistory.addAll(List.of(2_000L, 4_000L, 6_000L));
    close(7_000, 700, true);
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 7);
    assertThat(stream())
        .containsExactly(
            "1000", "gap[2000,3000)", "3000", "gap[4000,5000)", "5000", "gap[6000,7000)", "7000");
  }

  @Test
  void theOlderPartOfAHoleBeyondTheRepairsReachIsAnnouncedFirst() throws Exception {
    serveHistory();
    int beyond = 5;
    long last = 1_000L * (SeriesRepair.MAX_WINDOWS + beyond + 2);
    close(1_000, 100, true);
    for (long t = 2_000; t < last; t += 1_000) {
      close(t, t / 10.0, false);
    }
    close(last, last / 10.0, true);
    int expected = 1 + 1 + SeriesRepair.MAX_WINDOWS + 1;
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == expected);
    long firstFetched = last - 1_000L * SeriesRepair.MAX_WINDOWS;
    assertThat(stream().subList(0, 3))
        .containsExactly("1000", "gap[2000," + firstFetched + ")", String.valueOf(firstFetched));
    assertThat(closedTimes()).hasSize(SeriesRepair.MAX_WINDOWS + 2).isSorted();
    assertThat(requests.get(0).getInteger("limit")).isEqualTo(SeriesRepair.MAX_WINDOWS);
  }

  @Test
  void theLastSubscriberLeavingAbandonsTheRepair() throws Exception {
    close(1_000, 100, true);
    close(2_000, 200, false);
    close(3_000, 300, true); // nobody answers: the repair retries
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.repairRetries() >= 1);
    assertThat(Await.onContext(ctx, () -> hub.unsubscribe(KEY, subscriber))).isTrue();
    long retries = hub.repairRetries();
    serveHistory();
    // the abandoned repair neither asks again nor delivers anything later
    await()
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> requests.isEmpty() && hub.repairRetries() == retries);
    assertThat(stream()).containsExactly("1000");
  }
}
