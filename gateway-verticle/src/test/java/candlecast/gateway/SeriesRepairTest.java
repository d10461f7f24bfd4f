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
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.hub = Await.onContext(ctx, () -> new SeriesHub(vertx.eventBus()));
    await(Await.onContext(ctx, () -> hub.subscribe(KEY, got::add)));
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
                  JsonArray out = new JsonArray();
                  List<Candle> range =
                      new ArrayList<>(
                          history.subMap(q.getLong("from"), true, q.getLong("to"), true).values());
                  int limit = q.getInteger("limit");
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
  void withoutHistoryTheStreamGoesOnWithTheHole() throws Exception {
    close(1_000, 100, true);
    close(2_000, 200, false);
    close(3_000, 300, true); // nobody answers candlecast.history
    close(4_000, 400, true);
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 3);
    assertThat(closedTimes()).containsExactly(1_000L, 3_000L, 4_000L);
    assertThat(hub.repairsFailed()).isEqualTo(1);
  }
}
