package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seam between a subscriber's snapshot and the live stream holds even when the gateway's series
 * is seeded by a history answer newer than the snapshot (chaos run60, seed 23: 57 clients missed
 * two XRPUSD windows that closed while a new series' registration spread, because the seeding
 * answer, forwarded by another aggregator, came back after they closed and the snapshot before).
 * The subscriber's own first close is checked, and what it skipped is fetched for it or announced.
 */
@ExtendWith(VertxExtension.class)
class SeamRepairTest extends GatewayTestBase {
  private static final Timeframe TF = Timeframe.S1;

  /** What history holds now (the owner's view). */
  private final NavigableMap<Long, Candle> store = new ConcurrentSkipListMap<>();

  /** The seeding request of the gateway's new series, held until the test answers it. */
  private final AtomicReference<Message<Object>> prime = new AtomicReference<>();

  /** Requests for a range ending before a live close (the seam repair). */
  private final List<JsonObject> seamRequests = new CopyOnWriteArrayList<>();

  private volatile boolean failSeam;
  private MessageConsumer<Object> history;

  @BeforeEach
  void up(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c);
    history = vertx.eventBus().consumer(Addresses.HISTORY, this::answer);
    Await.await(history.completion());
  }

  private void answer(Message<Object> m) {
    JsonObject req = (JsonObject) m.body();
    if (!req.containsKey("from") && req.getInteger("limit") == SeriesRepair.PRIME_LIMIT) {
      prime.set(m); // the series' seed: answered when the test says
      return;
    }
    if (req.containsKey("to")) {
      seamRequests.add(req.copy());
      if (failSeam) {
        m.fail(503, "being taken over");
        return;
      }
    }
    m.reply(
        reply(
            store.subMap(
                req.getLong("from", Long.MIN_VALUE),
                true,
                req.getLong("to", Long.MAX_VALUE),
                true)));
  }

  private static JsonObject reply(NavigableMap<Long, Candle> candles) {
    return new JsonObject()
        .put("symbol", "BTCUSD")
        .put("tf", TF.label())
        .put("candles", CandleCodec.toJsonArray(new ArrayList<>(candles.values())))
        .put("oldest", T0);
  }

  private void put(long w, boolean closed) {
    store.put(T0 + w * 1000L, candle("BTCUSD", TF, T0 + w * 1000L, 3, closed));
  }

  /** Subscribes with {@code since} window 5 while window 5 is open; returns the probe. */
  private WsProbe subscribeWhileWindow5IsOpen() throws Exception {
    return subscribeWhileWindow5IsOpen(true);
  }

  /**
   * {@code resume}: with {@code since} window 5 after windows 0-4 closed (the snapshot holds window
   * 5 only); else a plain snapshot of a series whose first window (5) is still open.
   */
  private WsProbe subscribeWhileWindow5IsOpen(boolean resume) throws Exception {
    if (resume) {
      for (int w = 0; w < 5; w++) {
        put(w, true);
      }
    }
    store.put(T0 + 5000, candle("BTCUSD", TF, T0 + 5000, 1, false));
    WsProbe ws = connect();
    JsonObject sub =
        new JsonObject().put("type", "subscribe").put("symbol", "BTCUSD").put("tf", "1s");
    if (resume) {
      sub.put("since", T0 + 5000);
    }
    ws.send(sub.encode());
    ws.nextOfType("subscription");
    JsonObject snap = ws.nextOfType("snapshot");
    assertThat(snap.getJsonArray("candles")).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> prime.get() != null);
    return ws;
  }

  /** Windows 5 and 6 close while the bus does not reach this gateway yet; the seed is newer. */
  private void closeWindows5And6UnseenThenPublish7() {
    put(5, true);
    put(6, true);
    prime.get().reply(reply(store.tailMap(T0 + 5000, true)));
    put(7, true);
    vertx
        .eventBus()
        .publish(Addresses.candles("BTCUSD", TF), CandleCodec.toJson(store.get(T0 + 7000)));
  }

  @Test
  void windowsTheSnapshotDidNotHaveAndTheBusLostAreFetchedBeforeTheNextClose() throws Exception {
    WsProbe ws = subscribeWhileWindow5IsOpen();
    closeWindows5And6UnseenThenPublish7();

    for (int w = 5; w <= 7; w++) {
      JsonObject c = ws.nextOfType("candle");
      assertThat(c.getLong("t")).as("window %d in order", w).isEqualTo(T0 + w * 1000L);
      assertThat(c.getBoolean("closed")).isTrue();
      Candle truth = store.get(T0 + w * 1000L);
      assertThat(c.getDouble("close")).isEqualTo(truth.close());
      assertThat(c.getLong("trades")).isEqualTo(truth.trades());
    }
    assertThat(seamRequests).hasSize(1);
    assertThat(seamRequests.get(0).getLong("from")).isEqualTo(T0 + 5000);
    assertThat(seamRequests.get(0).getLong("to")).isEqualTo(T0 + 7000 - 1);
  }

  @Test
  void aSnapshotWithOnlyAnOpenWindowIsJoinedToTheStreamWithoutAHole() throws Exception {
    WsProbe ws = subscribeWhileWindow5IsOpen(false);
    closeWindows5And6UnseenThenPublish7();

    for (int w = 5; w <= 7; w++) {
      JsonObject c = ws.nextOfType("candle");
      assertThat(c.getLong("t")).as("window %d in order", w).isEqualTo(T0 + w * 1000L);
      assertThat(c.getBoolean("closed")).isTrue();
    }
    assertThat(seamRequests).hasSize(1);
  }

  @Test
  void whatHistoryCannotGiveIsAnnouncedBeforeTheNextClose() throws Exception {
    failSeam = true;
    WsProbe ws = subscribeWhileWindow5IsOpen();
    closeWindows5And6UnseenThenPublish7();

    JsonObject gap = ws.nextOfType("gap");
    assertThat(gap.getString("channel")).isEqualTo("candles");
    assertThat(gap.getLong("from")).isEqualTo(T0 + 5000);
    assertThat(gap.getLong("to")).isEqualTo(T0 + 7000);
    JsonObject c = ws.nextOfType("candle");
    assertThat(c.getLong("t")).isEqualTo(T0 + 7000);
    assertThat(c.getBoolean("closed")).isTrue();
  }

  @Test
  void aStreamThatGoesOnWhereTheSnapshotEndedAsksNothingMore() throws Exception {
    WsProbe ws = subscribeWhileWindow5IsOpen();
    prime.get().reply(reply(store.tailMap(T0 + 4000, true)));
    put(5, true);
    vertx
        .eventBus()
        .publish(Addresses.candles("BTCUSD", TF), CandleCodec.toJson(store.get(T0 + 5000)));
    put(6, true);
    vertx
        .eventBus()
        .publish(Addresses.candles("BTCUSD", TF), CandleCodec.toJson(store.get(T0 + 6000)));

    assertThat(ws.nextOfType("candle").getLong("t")).isEqualTo(T0 + 5000);
    assertThat(ws.nextOfType("candle").getLong("t")).isEqualTo(T0 + 6000);
    assertThat(seamRequests).isEmpty();
  }
}
